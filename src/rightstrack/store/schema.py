"""The tables, as SQLAlchemy Core metadata (Core, not ORM: imports write tens of thousands of rows).

Names are plain and readable because the SQLite file is meant to be opened as-is in Datasette or
sqlite-utils; ``recommendations_view`` gives one readable row per recommendation.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

states = Table(
    "states",
    metadata,
    Column("alpha3", String(3), primary_key=True),
    Column("alpha2", String(2), nullable=False),
    Column("name", Text, nullable=False),
    Column("regional_group", String(20)),
    Column("un_member", Boolean, nullable=False),
)

mechanisms = Table(
    "mechanisms",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(30), nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(80), nullable=False, unique=True),
    Column("mechanism", String(40), ForeignKey("mechanisms.code"), nullable=False),
    Column("state", String(3), ForeignKey("states.alpha3"), nullable=False),
    Column("cycle", Integer),
    Column("session", Integer),
    Column("year", Integer),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("symbol", String(80), index=True),
    Column("kind", String(40), nullable=False),
    Column("language", String(8)),
    Column("filename", Text, nullable=False),
    Column("title", Text),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

recommendations = Table(
    "recommendations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False, index=True),
    Column("fingerprint", String(40), nullable=False, unique=True),
    Column("paragraph", String(20)),
    Column("text", Text, nullable=False),
    Column("response", String(20)),
    Column("response_source", Text),
    Column("topic", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

recommenders = Table(
    "recommenders",
    metadata,
    Column(
        "recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, primary_key=True),
    Column("state", String(3), ForeignKey("states.alpha3"), index=True),
    Column("name", Text, nullable=False),
    Column("kind", String(12), nullable=False),
)

recommendation_sources = Table(
    "recommendation_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "recommendation_id",
        Integer,
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("locator", Text, nullable=False),
    Column("paragraph", String(20)),
    UniqueConstraint("recommendation_id", "document_id", "locator", name="uq_source"),
)

tag_families = Table(
    "tag_families",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("family", String(40), ForeignKey("tag_families.code"), nullable=False),
    Column("name", Text, nullable=False),
    UniqueConstraint("family", "name", name="uq_tag"),
)

recommendation_tags = Table(
    "recommendation_tags",
    metadata,
    Column(
        "recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True, index=True),
    Column("provenance", String(12), nullable=False),
    Column("source", String(80)),  # who assigned an imported tag ("OHCHR thematic list", "UPR Info")
    Column("model", String(80)),
    Column("model_version", String(80)),
    Column("confidence", Float),
    Column("confirmed_by", String(80)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Identifiers a source gives its records (OHCHR's UHRI annotation id): a re-import finds the record
# it made before by these, whatever else changed in the export (migration 0010).
external_ids = Table(
    "external_ids",
    metadata,
    Column("scheme", String(20), primary_key=True),
    Column("value", String(80), primary_key=True),
    Column(
        "recommendation_id",
        Integer,
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

# Column mappings of user spreadsheets, saved by name for ``import table`` (migration 0010):
# ``mapping`` is JSON, field name -> the file's column heading.
table_mappings = Table(
    "table_mappings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("mapping", Text, nullable=False),
    Column("created_by", String(80)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("importer", String(40), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id")),
    Column("filename", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("summary", Text, nullable=False),
)

# One row; bumped by every write transaction so caches (the facet index) know when to reload.
store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# -- accounts, sessions and the audit log -----------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("totp_secret", String(64)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("email", String(200)),  # for notices (migration 0006); optional
)

# Failed logins, per name tried (known or not, so the answers never tell them apart), per client
# address and per trusted device: how many, and until when the next attempt waits (auth/throttle.py).
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", DateTime(timezone=True), nullable=False),
    Column("blocked_until", DateTime(timezone=True)),
)

# Browsers a user logged in from: their token (hashed) exempts the owner from a lock-out that
# strangers cause by guessing at the account name.
login_devices = Table(
    "login_devices",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=False),
)

# Things a user must be told, shown in the app and e-mailed where mail is set up (auth/notices.py).
user_notices = Table(
    "user_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("message", Text, nullable=False),
    Column("link", String(300)),
    Column("read_at", DateTime(timezone=True)),
    Column("emailed_at", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(80)),
    Column("action", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(80)),
    Column("before", Text),
    Column("after", Text),
    # The chain (auth/audit.py): ``seq`` numbers events from 1 without gaps; events written before
    # the database had a master key carry a SHA-256 ``hash`` (migration 0005), later ones an HMAC
    # ``mac`` under the audit key (migration 0006). ``prev_hash`` holds the previous event's value.
    Column("prev_hash", String(64)),
    Column("hash", String(64)),
    Column("seq", Integer),
    Column("mac", String(64)),
)
Index("ix_audit_events_seq", audit_events.c.seq, unique=True)

Index("ix_reviews_state_session", reviews.c.state, reviews.c.session)
Index("ix_tags_family", tags.c.family)

# The tables of other packages live with their package but must share this module's metadata.
from rightstrack.brief import schema as _brief_schema  # noqa: E402,F401
from rightstrack.defenders import schema as _defenders_schema  # noqa: E402,F401
from rightstrack.engagement import schema as _engagement_schema  # noqa: E402,F401
from rightstrack.followup import schema as _followup_schema  # noqa: E402,F401
