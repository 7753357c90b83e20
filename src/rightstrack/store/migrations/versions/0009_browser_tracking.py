"""Issue 19: a workspace's status (self-service workspaces await an administrator's approval),
invitations by e-mail link, and editors' corrections of treaty facts kept beside the imported ones.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("fu_workspaces") as batch:
        batch.add_column(sa.Column("status", sa.String(10), nullable=False, server_default="active"))
    op.create_table(
        "fu_invitations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column(
            "workspace_id", sa.Integer, sa.ForeignKey("fu_workspaces.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("workspace_role", sa.String(20)),
        sa.Column("account_role", sa.String(20), nullable=False),
        sa.Column("invited_by", sa.String(80), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("accepted_at", _TS),
        sa.Column("accepted_by", sa.String(80)),
        sa.Column("revoked_at", _TS),
    )
    op.create_index("ix_fu_invitations_workspace_id", "fu_invitations", ["workspace_id"])
    op.create_table(
        "treaty_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(3), sa.ForeignKey("states.alpha3"), nullable=False),
        sa.Column("instrument", sa.String(20), sa.ForeignKey("treaty_instruments.code"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("corrected_by", sa.String(80), nullable=False),
        sa.Column("corrected_at", _TS, nullable=False),
        sa.Column("withdrawn_at", _TS),
        sa.Column("withdrawn_by", sa.String(80)),
    )
    op.create_index("ix_treaty_corrections_state_instrument", "treaty_corrections", ["state", "instrument"])


def downgrade() -> None:
    op.drop_index("ix_treaty_corrections_state_instrument", "treaty_corrections")
    op.drop_table("treaty_corrections")
    op.drop_index("ix_fu_invitations_workspace_id", "fu_invitations")
    op.drop_table("fu_invitations")
    with op.batch_alter_table("fu_workspaces") as batch:
        batch.drop_column("status")
