"""The first schema: states, reviews, documents, recommendations, tags, full-text search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from rightstrack.store import fulltext
from rightstrack.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# 0001 builds from the metadata because it is the first schema; tables added since come from their
# own revisions of explicit op.* calls , and test_migrations checks that the
# migrated database and the metadata agree.


# The tables of this first revision; later tables come from their own revisions.
_TABLES = (
    "states",
    "mechanisms",
    "reviews",
    "documents",
    "recommendations",
    "recommenders",
    "recommendation_sources",
    "tag_families",
    "tags",
    "recommendation_tags",
    "import_runs",
    "store_meta",
)


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in _TABLES])
    for statement in fulltext.ddl(bind.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in fulltext.drop_ddl(bind.dialect.name):
        op.execute(statement)
    metadata.drop_all(bind, tables=[metadata.tables[name] for name in _TABLES])
