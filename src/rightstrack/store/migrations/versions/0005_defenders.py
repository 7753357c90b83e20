"""Defenders and reprisals (issue 8): incidents, acts, people, sources, interventions, keys.

Also chains the audit log: every event carries the hash of the one before it.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CASE = "hrd_cases.id"
_TS = sa.DateTime(timezone=True)


def _case_fk(name: str = "case_id", *, primary_key: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name,
        sa.String(36),
        sa.ForeignKey(_CASE, ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(64)))
    op.add_column("audit_events", sa.Column("hash", sa.String(64)))
    op.create_table(
        "hrd_master_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("salt", sa.LargeBinary),
        sa.Column("time_cost", sa.Integer, nullable=False),
        sa.Column("memory_kib", sa.Integer, nullable=False),
        sa.Column("parallelism", sa.Integer, nullable=False),
        sa.Column("check_value", sa.LargeBinary, nullable=False),
        sa.Column("previous_id", sa.Integer),
        sa.Column("previous_wrapped", sa.LargeBinary),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "hrd_data_keys",
        sa.Column("key_id", sa.String(40), primary_key=True),
        sa.Column("master_id", sa.Integer, sa.ForeignKey("hrd_master_keys.id"), nullable=False),
        sa.Column("wrapped", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "hrd_cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sensitivity", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("dataset", sa.String(40)),
        sa.Column("source_ref", sa.String(64)),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("monitoring_status", sa.String(20), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("dataset", "source_ref", name="uq_hrd_case_source"),
    )
    op.create_index("ix_hrd_cases_sensitivity", "hrd_cases", ["sensitivity"])
    op.create_table(
        "hrd_case_versions",
        _case_fk(primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("public", sa.Text, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "hrd_sources",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_fk(),
        sa.Column("sensitivity", sa.String(20), nullable=False),
        sa.Column("consent", sa.String(20), nullable=False),
        sa.Column("reliability", sa.String(30), nullable=False),
        sa.Column("connection", sa.String(30), nullable=False),
        sa.Column("corroboration_count", sa.Integer, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_hrd_sources_case_id", "hrd_sources", ["case_id"])
    op.create_table(
        "hrd_interventions",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_fk(),
        sa.Column("mechanism", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("opened_on", sa.String(10), nullable=False),
        sa.Column("reply_due", sa.String(10)),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_hrd_interventions_case_id", "hrd_interventions", ["case_id"])
    op.create_table(
        "hrd_intervention_updates",
        sa.Column(
            "intervention_id",
            sa.String(36),
            sa.ForeignKey("hrd_interventions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("follow_up_due", sa.String(10)),
        sa.Column("sealed", sa.LargeBinary),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "hrd_links",
        sa.Column("id", sa.Integer, primary_key=True),
        _case_fk(),
        _case_fk("related_case_id"),
        sa.Column(
            "intervention_id", sa.String(36), sa.ForeignKey("hrd_interventions.id", ondelete="SET NULL")
        ),
        sa.Column("link_type", sa.String(30), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_hrd_links_case_id", "hrd_links", ["case_id"])
    op.create_table(
        "hrd_grants",
        _case_fk(primary_key=True),
        sa.Column("subject_kind", sa.String(5), primary_key=True),
        sa.Column("subject", sa.String(80), primary_key=True),
        sa.Column("level", sa.String(5), nullable=False),
        sa.Column("granted_by", sa.String(80), nullable=False),
        sa.Column("granted_at", _TS, nullable=False),
    )
    op.create_table(
        "hrd_group_members",
        sa.Column("group_name", sa.String(80), primary_key=True),
        sa.Column("username", sa.String(80), primary_key=True),
    )
    op.create_table(
        "hrd_attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_fk(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(80), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("shared", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_hrd_attachments_case_id", "hrd_attachments", ["case_id"])


def downgrade() -> None:
    for table in (
        "hrd_attachments",
        "hrd_group_members",
        "hrd_grants",
        "hrd_links",
        "hrd_intervention_updates",
        "hrd_interventions",
        "hrd_sources",
        "hrd_case_versions",
        "hrd_cases",
        "hrd_data_keys",
        "hrd_master_keys",
    ):
        op.drop_table(table)
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
