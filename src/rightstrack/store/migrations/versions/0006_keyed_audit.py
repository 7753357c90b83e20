"""Issue 18: the audit log numbered and keyed, login throttling by name, address and device,
notices to users, and administrators' access requests.

Existing audit events keep their SHA-256 chain and get their position (``seq``) in id order; none
is rewritten. They are *sealed* by the first event written with the master key (auth/audit.py):
that event carries a digest of every earlier one under the key. docs/SECURITY.md explains it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_BATCH = 5000


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("seq", sa.Integer))
    op.add_column("audit_events", sa.Column("mac", sa.String(64)))
    _number_existing_events()
    op.create_index("ix_audit_events_seq", "audit_events", ["seq"], unique=True)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(200)))
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", _TS, nullable=False),
        sa.Column("blocked_until", _TS),
    )
    _user_table(
        "login_devices",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("last_used_at", _TS, nullable=False),
    )
    _user_table(
        "user_notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("link", sa.String(300)),
        sa.Column("read_at", _TS),
        sa.Column("emailed_at", _TS),
    )
    op.create_table(
        "hrd_access_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("hrd_cases.id", ondelete="CASCADE")),
        sa.Column("group_name", sa.String(80)),
        sa.Column("subject_kind", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(80), nullable=False),
        sa.Column("level", sa.String(5)),
        sa.Column("requested_by", sa.String(80), nullable=False),
        sa.Column("requested_at", _TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(80)),
        sa.Column("decided_at", _TS),
    )
    op.create_index("ix_hrd_access_requests_case_id", "hrd_access_requests", ["case_id"])


def _user_table(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        *columns[:1],
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        *columns[1:],
    )
    op.create_index(f"ix_{name}_user_id", name, ["user_id"])


def _number_existing_events() -> None:
    # In id order, from 1: the order the old chain was written in.
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM audit_events ORDER BY id"))]
    update = sa.text("UPDATE audit_events SET seq = :seq WHERE id = :id")
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        conn.execute(update, [{"seq": start + n + 1, "id": event_id} for n, event_id in enumerate(chunk)])


def downgrade() -> None:
    op.drop_table("hrd_access_requests")
    op.drop_table("user_notices")
    op.drop_table("login_devices")
    op.drop_table("login_throttle")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", _TS))
        batch.drop_column("email")
    op.drop_index("ix_audit_events_seq", "audit_events")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("mac")
        batch.drop_column("seq")
