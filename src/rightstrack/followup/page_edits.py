"""Edit forms of the commitment page: the commitment itself and who is responsible for it, its
visibility (publish / unpublish), and each measure, indicator, progress report and assessment.
Every change goes through the audited history (``followup.history``) with the version the form
was opened at, so an edit made meanwhile by someone else is refused, never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rightstrack.followup import form_specs as specs
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.commitments import (
    get_commitment,
    update_commitment,
    update_indicator,
    update_measure,
)
from rightstrack.followup.model import (
    AssessmentUpdate,
    CommitmentUpdate,
    IndicatorUpdate,
    MeasureUpdate,
    ProgressUpdate,
)
from rightstrack.followup.page_forms import Build, Files, optional, record_id
from rightstrack.followup.page_views import parse
from rightstrack.followup.progress import update_assessment, update_progress
from rightstrack.messages import msg
from rightstrack.store.database import Database
from rightstrack.web.forms import Form, refused

Values = dict[str, Any]
Register = Callable[..., Callable[[Build], Build]]


def add_edit_routes(commitment_form: Register, db: Database) -> None:
    @commitment_form("edit", specs.PLEDGE_EDIT)
    def _edit(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        with db.read() as conn:
            pledge = get_commitment(conn, access, commitment_id)["recommendation_id"] is None
        spec = specs.PLEDGE_EDIT if pledge else specs.COMMITMENT_EDIT
        data = _only(values, spec)
        blank = [name for name in spec.names if not data.get(name)]
        if blank:  # a local pledge keeps its title, its text and its source
            raise refused(*[(name, msg("This is required.")) for name in blank])
        update_commitment(db, access, commitment_id, parse(CommitmentUpdate, data))

    @commitment_form("visibility", _VISIBILITY)
    def _visibility(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        update_commitment(db, access, commitment_id, parse(CommitmentUpdate, values))

    @commitment_form("actors", specs.ASSIGN)
    def _assign(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        # The lead select sends "" for "no lead actor", which must clear the lead, not leave it unset.
        data = optional(values, "lead_actor_id")
        update_commitment(db, access, commitment_id, parse(CommitmentUpdate, data))

    @commitment_form("measure-edit", specs.MEASURE_EDIT, "measures", row="measure_id")
    def _measure(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        data = optional(
            _only(values, specs.MEASURE_EDIT), "description", "actor_id", "responsible_user", "completed_on"
        )
        update_measure(db, access, record_id(values, "measure_id"), parse(MeasureUpdate, data))

    @commitment_form("indicator-edit", specs.INDICATOR_EDIT, "indicators", row="indicator_id")
    def _indicator(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        data = optional(_only(values, specs.INDICATOR_EDIT), "unit", "baseline", "target", "responsible_user")
        update_indicator(db, access, record_id(values, "indicator_id"), parse(IndicatorUpdate, data))

    @commitment_form("progress-edit", specs.PROGRESS_EDIT, "progress", row="progress_id")
    def _progress(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.REPORT)
        data = optional(_only(values, specs.PROGRESS_EDIT), "measure_id")
        update_progress(db, access, record_id(values, "progress_id"), parse(ProgressUpdate, data))

    @commitment_form("assessment-edit", specs.ASSESSMENT_EDIT, "assessments", row="assessment_id")
    def _assessment(values: Values, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.REPORT)
        data = optional(_only(values, specs.ASSESSMENT_EDIT), "note")
        update_assessment(db, access, record_id(values, "assessment_id"), parse(AssessmentUpdate, data))


# Publishing sends only the visibility it asks for and the version the page showed.
_VISIBILITY = Form("visibility", (), specs.COMMITMENT_EDIT.submit, hidden=("version", "visibility"))


def _only(values: Values, spec: Form) -> Values:
    """The values of ``spec``'s fields and the version (not the hidden id of a per-row form)."""
    return {k: v for k, v in values.items() if k in (*spec.names, "version")}
