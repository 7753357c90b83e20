"""The whole UN record and users' spreadsheets (issue 17): external ids of imported records (UHRI
annotation ids, so that re-importing an export is a no-op) and saved column mappings of tables.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "external_ids",
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scheme", "value"),
    )
    op.create_index(
        op.f("ix_external_ids_recommendation_id"), "external_ids", ["recommendation_id"], unique=False
    )
    op.create_table(
        "table_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("table_mappings")
    op.drop_index(op.f("ix_external_ids_recommendation_id"), table_name="external_ids")
    op.drop_table("external_ids")
