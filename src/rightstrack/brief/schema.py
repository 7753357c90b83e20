"""The saved briefs, on the project's one ``metadata`` (created by migration 0006).

A brief belongs to a workspace and goes through the workspace's write path (``followup.history``):
every save is a new version with who and when (and the brief before and after), deletes are
reversible, and a brief stays private until someone who may publish makes it public. The request it
was drafted from and its points are JSON (the schemas of ``brief.model``).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from rightstrack.followup.schema import lifecycle_columns, workspace_column
from rightstrack.store.schema import metadata

br_briefs = Table(
    "br_briefs",
    metadata,
    Column("id", Integer, primary_key=True),
    workspace_column(),
    Column("title", Text, nullable=False),
    Column("state", String(3), ForeignKey("states.alpha3"), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("visibility", String(10), nullable=False),
    Column("request", Text, nullable=False),
    Column("points", Text, nullable=False),
    *lifecycle_columns(),
)
