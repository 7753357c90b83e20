"""Engagement: treaty instruments, sourced treaty facts, the current treaty status, events.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FACT = "treaty_facts.id"


def upgrade() -> None:
    op.create_table(
        "treaty_instruments",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("adopted", sa.String(10), nullable=False),
        sa.Column("body", sa.String(10), nullable=False),
        sa.Column("parent", sa.String(20)),
    )
    op.create_table(
        "treaty_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(3), sa.ForeignKey("states.alpha3"), nullable=False),
        sa.Column("instrument", sa.String(20), sa.ForeignKey("treaty_instruments.code"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("document_id", "state", "instrument", "kind", "locator", name="uq_treaty_fact"),
    )
    op.create_index("ix_treaty_facts_state_instrument", "treaty_facts", ["state", "instrument"])
    op.create_table(
        "treaty_status",
        sa.Column("state", sa.String(3), sa.ForeignKey("states.alpha3"), primary_key=True),
        sa.Column("instrument", sa.String(20), sa.ForeignKey("treaty_instruments.code"), primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("signature_date", sa.String(10)),
        sa.Column("signature_precision", sa.String(5)),
        sa.Column("consent_kind", sa.String(30)),
        sa.Column("consent_date", sa.String(10)),
        sa.Column("consent_precision", sa.String(5)),
        sa.Column("denunciation_date", sa.String(10)),
        sa.Column("complaints_date", sa.String(10)),
        sa.Column("inquiry_date", sa.String(10)),
        sa.Column("status_fact_id", sa.Integer, sa.ForeignKey(_FACT), nullable=False),
        sa.Column("signature_fact_id", sa.Integer, sa.ForeignKey(_FACT)),
        sa.Column("consent_fact_id", sa.Integer, sa.ForeignKey(_FACT)),
        sa.Column("denunciation_fact_id", sa.Integer, sa.ForeignKey(_FACT)),
        sa.Column("complaints_fact_id", sa.Integer, sa.ForeignKey(_FACT)),
        sa.Column("inquiry_fact_id", sa.Integer, sa.ForeignKey(_FACT)),
    )
    op.create_index("ix_treaty_status_instrument", "treaty_status", ["instrument"])
    op.create_table(
        "engagement_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(40), nullable=False, unique=True),
        sa.Column("state", sa.String(3), sa.ForeignKey("states.alpha3"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("date_precision", sa.String(5), nullable=False),
        sa.Column("end_date", sa.String(10)),
        sa.Column("end_precision", sa.String(5)),
        sa.Column("target", sa.Text),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("amount_usd", sa.Float),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("locator", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_engagement_events_state_date", "engagement_events", ["state", "date"])


def downgrade() -> None:
    op.drop_table("engagement_events")
    op.drop_table("treaty_status")
    op.drop_table("treaty_facts")
    op.drop_table("treaty_instruments")
