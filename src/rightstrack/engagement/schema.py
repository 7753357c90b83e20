"""The engagement tables, on the project's one ``metadata`` (created by migration 0003).

``treaty_facts`` keeps every statement of every source (which file, which line); ``treaty_status``
is the current answer per state and instrument, chosen from the facts by the precedence rule in
``treaty_store`` and pointing back at the facts it took.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from rightstrack.store.schema import metadata

treaty_instruments = Table(
    "treaty_instruments",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", Text, nullable=False),
    Column("adopted", String(10), nullable=False),
    Column("body", String(10), nullable=False),
    Column("parent", String(20)),
)

treaty_facts = Table(
    "treaty_facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("state", String(3), ForeignKey("states.alpha3"), nullable=False),
    Column("instrument", String(20), ForeignKey("treaty_instruments.code"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("value", Text),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("locator", Text, nullable=False),
    # When the source says the world looked like this; newer sources win (see treaty_store).
    Column("as_of", String(10), nullable=False),
    Column("note", Text),
    UniqueConstraint("document_id", "state", "instrument", "kind", "locator", name="uq_treaty_fact"),
)

treaty_status = Table(
    "treaty_status",
    metadata,
    Column("state", String(3), ForeignKey("states.alpha3"), primary_key=True),
    Column("instrument", String(20), ForeignKey("treaty_instruments.code"), primary_key=True),
    Column("status", String(12), nullable=False),
    Column("signature_date", String(10)),
    Column("signature_precision", String(5)),
    Column("consent_kind", String(30)),
    Column("consent_date", String(10)),
    Column("consent_precision", String(5)),
    Column("denunciation_date", String(10)),
    Column("complaints_date", String(10)),
    Column("inquiry_date", String(10)),
    Column("status_fact_id", Integer, ForeignKey("treaty_facts.id"), nullable=False),
    Column("signature_fact_id", Integer, ForeignKey("treaty_facts.id")),
    Column("consent_fact_id", Integer, ForeignKey("treaty_facts.id")),
    Column("denunciation_fact_id", Integer, ForeignKey("treaty_facts.id")),
    Column("complaints_fact_id", Integer, ForeignKey("treaty_facts.id")),
    Column("inquiry_fact_id", Integer, ForeignKey("treaty_facts.id")),
)

# An editor's correction of one fact (a wrong year in a status file), with its citation; the
# imported facts stay as they are beside it, and treaty_status takes the correction (migration 0008).
treaty_corrections = Table(
    "treaty_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("state", String(3), ForeignKey("states.alpha3"), nullable=False),
    Column("instrument", String(20), ForeignKey("treaty_instruments.code"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("value", Text),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("citation", Text, nullable=False),
    Column("corrected_by", String(80), nullable=False),
    Column("corrected_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("withdrawn_by", String(80)),
)

engagement_events = Table(
    "engagement_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(40), nullable=False, unique=True),
    Column("state", String(3), ForeignKey("states.alpha3"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("date", String(10), nullable=False),
    Column("date_precision", String(5), nullable=False),
    Column("end_date", String(10)),
    Column("end_precision", String(5)),
    Column("target", Text),
    Column("description", Text, nullable=False),
    Column("amount_usd", Float),
    Column("citation", Text, nullable=False),
    Column("url", Text),
    Column("document_id", Integer, ForeignKey("documents.id")),
    Column("locator", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

Index("ix_treaty_facts_state_instrument", treaty_facts.c.state, treaty_facts.c.instrument)
Index("ix_treaty_status_instrument", treaty_status.c.instrument)
Index("ix_treaty_corrections_state_instrument", treaty_corrections.c.state, treaty_corrections.c.instrument)
Index("ix_engagement_events_state_date", engagement_events.c.state, engagement_events.c.date)
