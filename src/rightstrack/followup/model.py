"""The follow-up vocabulary and the create / update schemas of each record type.

Create schemas are what a form, a CSV row or an API body must supply; update schemas are the same
fields, all optional, plus the ``version`` the editor started from (a stale version is refused, so
two people editing one measure cannot silently overwrite each other).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rightstrack.errors import InvalidInput
from rightstrack.messages import msg, validation_problems


class WorkspaceKind(StrEnum):
    CITY_COMMISSION = "city_commission"
    GOVERNMENT_OFFICE = "government_office"
    NHRI = "nhri"
    CIVIL_SOCIETY = "civil_society"
    COALITION = "coalition"


class WorkspaceRole(StrEnum):
    OWNER = "owner"  # manages members, edits everything
    EDITOR = "editor"  # edits actors, commitments, measures, indicators
    CONTRIBUTOR = "contributor"  # reports progress, indicator values, assessments
    VIEWER = "viewer"  # reads the workspace's private records


class ActorKind(StrEnum):
    FEDERAL_AGENCY = "federal_agency"
    STATE_PROVINCE = "state_province"
    STATE_AGENCY = "state_agency"
    COUNTY = "county"
    CITY = "city"
    CITY_AGENCY = "city_agency"
    NHRI = "nhri"
    CIVIL_SOCIETY = "civil_society"
    UN_MECHANISM = "un_mechanism"
    OTHER = "other"


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_MEASURE_STATUSES = frozenset({MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS})


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.value]


class AssessorType(StrEnum):
    GOVERNMENT = "government"
    NHRI = "nhri"
    CIVIL_SOCIETY = "civil_society"
    UN_MECHANISM = "un_mechanism"


class ImplementationStatus(StrEnum):
    """UPR Info's implementation scale."""

    FULLY = "fully"
    PARTIALLY = "partially"
    NOT_IMPLEMENTED = "not_implemented"
    UNKNOWN = "unknown"


STATUS_LABELS = {
    ImplementationStatus.FULLY: "Fully implemented",
    ImplementationStatus.PARTIALLY: "Partially implemented",
    ImplementationStatus.NOT_IMPLEMENTED: "Not implemented",
    ImplementationStatus.UNKNOWN: "Unknown",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _required_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class WorkspaceCreate(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,58}$")
    name: str = Field(min_length=2, max_length=200)
    kind: WorkspaceKind
    state: str | None = None
    description: str | None = None


class ActorCreate(_Strict):
    name: str = Field(min_length=2, max_length=300)
    kind: ActorKind
    parent_id: int | None = None
    state: str | None = None


class ActorUpdate(_Strict):
    version: int
    name: str | None = Field(default=None, min_length=2, max_length=300)
    kind: ActorKind | None = None
    parent_id: int | None = None


class CommitmentCreate(_Strict):
    """Either a recommendation of the public corpus, or a local pledge (title, pledge, source)."""

    recommendation_id: int | None = None
    title: str | None = Field(default=None, max_length=300)
    pledge: str | None = None
    source: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    actor_ids: list[int] = Field(default_factory=list)
    lead_actor_id: int | None = None


class CommitmentUpdate(_Strict):
    version: int
    title: str | None = Field(default=None, min_length=2, max_length=300)
    pledge: str | None = None
    source: str | None = None
    visibility: Visibility | None = None
    actor_ids: list[int] | None = None
    lead_actor_id: int | None = None


class MeasureCreate(_Strict):
    title: str = Field(min_length=2, max_length=300)
    description: str | None = None
    actor_id: int | None = None
    responsible_user: str | None = None
    due_on: date
    status: MeasureStatus = MeasureStatus.PLANNED


class MeasureUpdate(_Strict):
    version: int
    title: str | None = Field(default=None, min_length=2, max_length=300)
    description: str | None = None
    actor_id: int | None = None
    responsible_user: str | None = None
    due_on: date | None = None
    status: MeasureStatus | None = None
    completed_on: date | None = None


class IndicatorCreate(_Strict):
    name: str = Field(min_length=2, max_length=300)
    unit: str | None = None
    baseline: str | None = None
    target: str | None = None
    frequency: Frequency
    starts_on: date
    responsible_user: str | None = None


class IndicatorUpdate(_Strict):
    version: int
    name: str | None = Field(default=None, min_length=2, max_length=300)
    unit: str | None = None
    baseline: str | None = None
    target: str | None = None
    frequency: Frequency | None = None
    starts_on: date | None = None
    responsible_user: str | None = None


class IndicatorValueCreate(_Strict):
    reported_on: date
    value: str = Field(min_length=1, max_length=200)
    note: str | None = None


class ProgressCreate(_Strict):
    reported_on: date
    text: str = Field(min_length=3)
    measure_id: int | None = None
    visibility: Visibility = Visibility.PRIVATE

    _text = field_validator("text")(_required_text)


class ProgressUpdate(_Strict):
    version: int
    reported_on: date | None = None
    text: str | None = Field(default=None, min_length=3)
    measure_id: int | None = None
    visibility: Visibility | None = None


class AssessmentCreate(_Strict):
    assessor_type: AssessorType
    assessor: str = Field(min_length=2, max_length=300)
    status: ImplementationStatus
    assessed_on: date
    source: str = Field(
        min_length=3, description="Where the assessment was published, or who made it and how"
    )
    note: str | None = None
    visibility: Visibility = Visibility.PUBLIC


class AssessmentUpdate(_Strict):
    version: int
    status: ImplementationStatus | None = None
    assessed_on: date | None = None
    source: str | None = Field(default=None, min_length=3)
    note: str | None = None
    visibility: Visibility | None = None


def invalid_input(exc: ValidationError, message: str | None = None) -> InvalidInput:
    """A schema's complaint in the project's one error shape: one Problem per field, in words."""
    return InvalidInput(message or msg("Some answers need correcting."), validation_problems(exc.errors()))
