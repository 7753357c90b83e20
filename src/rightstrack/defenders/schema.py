"""Tables for defender cases, on the shared metadata (the migration is 0005_defenders).

Everything marked sealed is AES-GCM ciphertext under the case's own data key; the plain columns
hold only what the per-label whitelists may show or count. Case content is append-only: a new
fact is a new row in ``hrd_case_versions`` or ``hrd_intervention_updates``; nothing is updated
in place except the pointer to the current version.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from rightstrack.store.schema import metadata

_CASE = "hrd_cases.id"

hrd_master_keys = Table(
    "hrd_master_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # passphrase | keyfile
    Column("salt", LargeBinary),
    Column("time_cost", Integer, nullable=False),
    Column("memory_kib", Integer, nullable=False),
    Column("parallelism", Integer, nullable=False),
    Column("check_value", LargeBinary, nullable=False),
    Column("previous_id", Integer),
    Column("previous_wrapped", LargeBinary),
    Column("state", String(12), nullable=False),  # active | rotating | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
)

hrd_data_keys = Table(
    "hrd_data_keys",
    metadata,
    Column("key_id", String(40), primary_key=True),  # a case id, or "index" for the blind-index key
    Column("master_id", Integer, ForeignKey("hrd_master_keys.id"), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

hrd_cases = Table(
    "hrd_cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sensitivity", String(20), nullable=False, index=True),
    Column("owner", String(80), nullable=False),
    Column("dataset", String(40)),
    Column("source_ref", String(64)),  # keyed hash of the source's own id: idempotent imports
    Column("current_version", Integer, nullable=False),
    Column("monitoring_status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("dataset", "source_ref", name="uq_hrd_case_source"),
)

hrd_case_versions = Table(
    "hrd_case_versions",
    metadata,
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("public", Text, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)

hrd_sources = Table(
    "hrd_sources",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), nullable=False, index=True),
    Column("sensitivity", String(20), nullable=False),
    Column("consent", String(20), nullable=False),
    Column("reliability", String(30), nullable=False),
    Column("connection", String(30), nullable=False),
    Column("corroboration_count", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
)

hrd_interventions = Table(
    "hrd_interventions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), nullable=False, index=True),
    Column("mechanism", String(40), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("opened_on", String(10), nullable=False),
    Column("reply_due", String(10)),
    Column("sealed", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
)

hrd_intervention_updates = Table(
    "hrd_intervention_updates",
    metadata,
    Column(
        "intervention_id",
        String(36),
        ForeignKey("hrd_interventions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True),
    Column("on_date", String(10), nullable=False),
    Column("status", String(30), nullable=False),
    Column("follow_up_due", String(10)),
    Column("sealed", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
)

hrd_links = Table(
    "hrd_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), nullable=False, index=True),
    Column("related_case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), nullable=False),
    Column("intervention_id", String(36), ForeignKey("hrd_interventions.id", ondelete="SET NULL")),
    Column("link_type", String(30), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
)

hrd_grants = Table(
    "hrd_grants",
    metadata,
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), primary_key=True),
    Column("subject_kind", String(5), primary_key=True),  # user | group
    Column("subject", String(80), primary_key=True),
    Column("level", String(5), nullable=False),  # read | write
    Column("granted_by", String(80), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
)

hrd_group_members = Table(
    "hrd_group_members",
    metadata,
    Column("group_name", String(80), primary_key=True),
    Column("username", String(80), primary_key=True),
)

# An administrator giving themselves access, waiting for a second administrator when the
# ``grant_approval`` setting is on (defenders/sharing.py): a case grant, or joining a group.
hrd_access_requests = Table(
    "hrd_access_requests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), index=True),  # a grant
    Column("group_name", String(80)),  # joining a group
    Column("subject_kind", String(5), nullable=False),  # user | group
    Column("subject", String(80), nullable=False),
    Column("level", String(5)),  # read | write (grants)
    Column("requested_by", String(80), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),  # pending | approved | rejected
    Column("decided_by", String(80)),
    Column("decided_at", DateTime(timezone=True)),
)

hrd_attachments = Table(
    "hrd_attachments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey(_CASE, ondelete="CASCADE"), nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("media_type", String(80), nullable=False),
    Column("size", Integer, nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("shared", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(80), nullable=False),
)
