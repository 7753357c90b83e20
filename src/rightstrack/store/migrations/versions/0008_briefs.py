"""Advocacy briefs (issue 16): briefs saved in a workspace, versioned through its revisions.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "br_briefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", _TS, nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["state"], ["states.alpha3"]),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_br_briefs_workspace_id"), "br_briefs", ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_br_briefs_workspace_id"), table_name="br_briefs")
    op.drop_table("br_briefs")
