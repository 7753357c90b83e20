"""The shapes of a brief: what is asked for, its points and their citations, and the create /
update / public schemas of a brief saved in a workspace.

A point is one sentence or a few that go together, in one of the three sections; a generated point
carries the citations its sentences rest on. People may reword a generated point (it becomes
``edited`` and keeps its citations and its ``original`` wording), drop it, move it, or add a
``hand-written`` one, which is marked as such wherever the brief is shown.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rightstrack.followup.model import Visibility
from rightstrack.translation import LANGUAGES

MAX_PEERS = 12


class Section(StrEnum):
    ISSUE = "issue"
    TALKING_POINTS = "talking_points"
    RECOMMENDATIONS = "recommendations"


class Origin(StrEnum):
    GENERATED = "generated"
    EDITED = "edited"
    HAND_WRITTEN = "hand-written"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Citation(_Strict):
    """Where a sentence comes from: a stored record (``kind`` and ``ref`` say which) and how the
    brief names it. ``value`` is the figure the sentence states when the source is a count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(max_length=40)
    ref: str = Field(max_length=2000)
    label: str = Field(max_length=2000)
    url: str | None = Field(default=None, max_length=2000)
    value: int | None = None


class Point(_Strict):
    section: Section
    text: str = Field(min_length=1, max_length=5000)
    quote: str | None = Field(default=None, max_length=5000)
    """A recommendation quoted word for word (the Recommendations section)."""
    citations: list[Citation] = Field(default_factory=list, max_length=200)
    origin: Origin = Origin.GENERATED
    generator: str | None = Field(default=None, max_length=60)
    original: str | None = Field(default=None, max_length=5000)
    """The generated wording, kept when people reword a point."""


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"one of {', '.join(LANGUAGES)}")
    return value


class BriefRequest(_Strict):
    """What to draft a brief about: a state, narrowed by themes, a search and a first year, and
    compared with peers on treaty ratification."""

    state: str = Field(min_length=2, max_length=80)
    themes: list[str] = Field(default_factory=list, max_length=10)
    """Tags of the issue or theme families (UPR Info issues, UHRI themes); several mean any of them."""
    query: str = Field(default="", max_length=500)
    since: int | None = Field(default=None, ge=1945, le=2100)
    compare: list[str] = Field(default_factory=list, max_length=MAX_PEERS)
    lang: str = "en"
    asks: int = Field(default=5, ge=1, le=20)
    """How many repeated asks the Issue names, and how many recommendations the brief puts forward."""

    _lang = field_validator("lang")(_language)


class Brief(BaseModel):
    """A drafted brief: its points in order, each in its section."""

    title: str
    state: str
    request: BriefRequest
    drafted_on: date
    points: list[Point]

    def section(self, section: Section) -> list[Point]:
        return [p for p in self.points if p.section == section]


class BriefCreate(_Strict):
    workspace: str = Field(min_length=2, max_length=60)
    title: str = Field(min_length=2, max_length=300)
    request: BriefRequest
    points: list[Point] = Field(max_length=500)
    visibility: Visibility = Visibility.PRIVATE


class BriefUpdate(_Strict):
    version: int
    title: str | None = Field(default=None, min_length=2, max_length=300)
    points: list[Point] | None = Field(default=None, max_length=500)
    visibility: Visibility | None = None


class BriefOut(BaseModel):
    """A saved brief as a reader sees it."""

    id: int
    workspace: str
    workspace_name: str
    title: str
    state: str
    lang: str
    visibility: Visibility
    version: int
    created_at: datetime
    created_by: str | None
    updated_at: datetime
    request: BriefRequest
    points: list[Point]

    def as_brief(self) -> Brief:
        return Brief(
            title=self.title,
            state=self.state,
            request=self.request,
            drafted_on=self.updated_at.date(),
            points=self.points,
        )


class BriefVersion(BaseModel):
    """One saved state of a brief: who saved it and when."""

    version: int
    action: str
    by: str | None
    at: datetime
