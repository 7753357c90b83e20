"""The follow-up tables, on the project's one ``metadata`` (created by migration 0004).

Everything a workspace writes carries ``workspace_id``, so every read can be scoped to the
workspaces the reader belongs to. Editable records keep a ``version`` and write a row to
``fu_revisions`` (before / after) on every change; deleting sets ``deleted_at`` and is undone by
a restore until the retention period ends. ``recommendation_links`` belongs to the public corpus:
which recommendation repeats which one of the same state's earlier cycle.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
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

_WS = "fu_workspaces.id"
_TS = DateTime(timezone=True)


def workspace_column() -> Column:  # type: ignore[type-arg]
    """The column that scopes a record to its workspace (tables of other packages use it too)."""
    return Column("workspace_id", Integer, ForeignKey(_WS, ondelete="CASCADE"), nullable=False, index=True)


def lifecycle_columns() -> list[Column]:  # type: ignore[type-arg]
    """Who created a record and when, its version, and the marks of a reversible delete: what
    ``followup.history`` writes for every editable record type."""
    return [
        Column("created_at", _TS, nullable=False),
        Column("created_by", String(80)),
        Column("updated_at", _TS, nullable=False),
        Column("version", Integer, nullable=False, default=1),
        Column("deleted_at", _TS),
        Column("deleted_by", String(80)),
    ]


fu_workspaces = Table(
    "fu_workspaces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(60), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("state", String(3), ForeignKey("states.alpha3")),
    Column("description", Text),
    Column("created_at", _TS, nullable=False),
    Column("created_by", String(80)),
    # "active", or "pending" while a self-service workspace awaits an admin (migration 0008)
    Column("status", String(10), nullable=False, server_default="active"),
)

fu_members = Table(
    "fu_members",
    metadata,
    Column("workspace_id", Integer, ForeignKey(_WS, ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("email", String(200)),
)

# An invitation to join a workspace (and, for someone without an account, to make one), or an
# administrator's invitation to make an account; the link carries a token whose digest is kept.
fu_invitations = Table(
    "fu_invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("email", String(200), nullable=False),
    Column("workspace_id", Integer, ForeignKey(_WS, ondelete="CASCADE"), index=True),
    Column("workspace_role", String(20)),
    Column("account_role", String(20), nullable=False),
    Column("invited_by", String(80), nullable=False),
    Column("created_at", _TS, nullable=False),
    Column("expires_at", _TS, nullable=False),
    Column("accepted_at", _TS),
    Column("accepted_by", String(80)),
    Column("revoked_at", _TS),
)

fu_actors = Table(
    "fu_actors",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("parent_id", Integer, ForeignKey("fu_actors.id")),
    Column("name", Text, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("state", String(3), ForeignKey("states.alpha3")),
    *lifecycle_columns(),
)

fu_commitments = Table(
    "fu_commitments",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("recommendation_id", Integer, ForeignKey("recommendations.id"), index=True),
    Column("title", Text, nullable=False),
    Column("pledge", Text),
    Column("source", Text),
    Column("visibility", String(10), nullable=False),
    *lifecycle_columns(),
)

fu_commitment_actors = Table(
    "fu_commitment_actors",
    metadata,
    Column("commitment_id", Integer, ForeignKey("fu_commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("fu_actors.id"), primary_key=True),
    Column("lead", Boolean, nullable=False, default=False),
)

fu_measures = Table(
    "fu_measures",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("commitment_id", Integer, ForeignKey("fu_commitments.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("actor_id", Integer, ForeignKey("fu_actors.id")),
    Column("responsible_user_id", Integer, ForeignKey("users.id")),
    Column("due_on", Date, nullable=False),
    Column("status", String(12), nullable=False),
    Column("completed_on", Date),
    *lifecycle_columns(),
)

fu_indicators = Table(
    "fu_indicators",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("commitment_id", Integer, ForeignKey("fu_commitments.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("unit", Text),
    Column("baseline", Text),
    Column("target", Text),
    Column("frequency", String(12), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("responsible_user_id", Integer, ForeignKey("users.id")),
    *lifecycle_columns(),
)

fu_indicator_values = Table(
    "fu_indicator_values",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("indicator_id", Integer, ForeignKey("fu_indicators.id"), nullable=False, index=True),
    Column("reported_on", Date, nullable=False),
    Column("value", Text, nullable=False),
    Column("note", Text),
    Column("created_at", _TS, nullable=False),
    Column("created_by", String(80)),
)

fu_progress = Table(
    "fu_progress",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("commitment_id", Integer, ForeignKey("fu_commitments.id"), nullable=False, index=True),
    Column("measure_id", Integer, ForeignKey("fu_measures.id")),
    Column("reported_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("visibility", String(10), nullable=False),
    *lifecycle_columns(),
)

fu_evidence = Table(
    "fu_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("progress_id", Integer, ForeignKey("fu_progress.id"), nullable=False, index=True),
    Column("filename", Text, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", _TS, nullable=False),
    Column("created_by", String(80)),
)

fu_assessments = Table(
    "fu_assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("commitment_id", Integer, ForeignKey("fu_commitments.id"), nullable=False, index=True),
    Column("assessor_type", String(20), nullable=False),
    Column("assessor", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("assessed_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("note", Text),
    Column("visibility", String(10), nullable=False),
    *lifecycle_columns(),
)

fu_reminders = Table(
    "fu_reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("item_kind", String(12), nullable=False),
    Column("item_id", Integer, nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("reason", String(12), nullable=False),
    Column("sent_on", Date, nullable=False),
    UniqueConstraint("item_kind", "item_id", "recipient", "reason", "sent_on", name="uq_fu_reminder"),
)

fu_revisions = Table(
    "fu_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("entity", String(20), nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("action", String(10), nullable=False),
    Column("actor", String(80)),
    Column("at", _TS, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Index("ix_fu_revisions_entity", "entity", "entity_id"),
)

# Kinds of recommendation link: readers follow "repeats"; "rejected" records a person's "not a repeat".
LINK_REPEATS = "repeats"
LINK_REJECTED = "rejected"

recommendation_links = Table(
    "recommendation_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "recommendation_id",
        Integer,
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "earlier_id",
        Integer,
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(12), nullable=False),
    Column("score", Float),
    Column("method", String(60), nullable=False),
    Column("created_at", _TS, nullable=False),
    Column("created_by", String(80)),
    UniqueConstraint("recommendation_id", "earlier_id", name="uq_recommendation_link"),
)
