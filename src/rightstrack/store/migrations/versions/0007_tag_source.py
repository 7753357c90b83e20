"""Who assigned an imported tag: "OHCHR thematic list", "UPR Info", "UHRI" (issue 15).

0001 builds its tables from the current metadata, so a new database already has the column; a
database made before this revision gets it here.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("recommendation_tags")}
    if "source" not in columns:
        with op.batch_alter_table("recommendation_tags") as batch:
            batch.add_column(sa.Column("source", sa.String(80)))


def downgrade() -> None:
    with op.batch_alter_table("recommendation_tags") as batch:
        batch.drop_column("source")
