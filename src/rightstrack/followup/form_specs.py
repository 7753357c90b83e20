"""The tracking pages' forms, as data (rightstrack.web.forms): each field's label as people read
it, its control and where its choices come from. An edit form is its add form with the record's
values in it (and the version it started from)."""

from __future__ import annotations

from rightstrack.messages import msg
from rightstrack.web.forms import Field, Form

_NONE = msg("(none)")
_VISIBILITY = Field(
    "visibility",
    msg("Visibility"),
    "select",
    "visibilities",
    hint=msg("Public records show to everyone, on the workspace's page and the state's profile."),
)
_LEAD = Field("lead_actor_id", msg("Lead actor"), "select", "actors", blank=_NONE)
_PERSON = Field("responsible_user", msg("Responsible person"), "select", "members", blank=_NONE)

ACTOR = Form(
    "actor",
    (
        Field("name", msg("Name"), required=True),
        Field("kind", msg("Kind"), "select", "actor_kinds"),
        Field("parent_id", msg("Part of"), "select", "actors", blank=msg("(top level)")),
    ),
    msg("Add the actor"),
)
ACTOR_EDIT = Form("actor-edit", ACTOR.fields, msg("Save the actor"), hidden=("version",))

PLEDGE = Form(
    "pledge",
    (
        Field("title", msg("Title"), required=True),
        Field("pledge", msg("The pledge"), "textarea", required=True),
        Field("source", msg("Source (ordinance, resolution, statement)"), required=True),
        _VISIBILITY,
        _LEAD,
    ),
    msg("Add the pledge"),
)
COMMITMENT_EDIT = Form(
    "commitment-edit",
    (Field("title", msg("Title"), required=True, hint=msg("How this workspace names the commitment.")),),
    msg("Save the commitment"),
    hidden=("version",),
)
PLEDGE_EDIT = Form("pledge-edit", PLEDGE.fields[:3], msg("Save the commitment"), hidden=("version",))
ASSIGN = Form(
    "actors",
    (Field("actor_ids", msg("Responsible actors"), "checkboxes", "actors"), _LEAD),
    msg("Save the actors"),
    hidden=("version",),
)
TAKE_ON = Form(
    "take-on",
    (
        Field(
            "recommendation_ids",
            msg("Recommendations to take on"),
            "checkboxes",
            "found",
            aliases=("recommendation_id",),
        ),
        _LEAD,
        _VISIBILITY,
    ),
    msg("Take on the chosen recommendations"),
)
TRACK = Form(
    "track",
    (
        Field("workspace", msg("Track in workspace"), "select", "workspaces"),
        Field(
            "lead_actor_id",
            msg("Lead actor"),
            "select",
            "workspace_actors",
            blank=_NONE,
            hint=msg("Actors of the workspace chosen above."),
        ),
        _VISIBILITY,
    ),
    msg("Track"),
)
MEASURE = Form(
    "measure",
    (
        Field("title", msg("Title"), required=True),
        Field("description", msg("Description"), "textarea"),
        Field("actor_id", msg("Actor"), "select", "actors", blank=_NONE),
        _PERSON,
        Field("due_on", msg("Due on"), "date", required=True),
        Field("status", msg("Status"), "select", "measure_statuses"),
    ),
    msg("Plan the measure"),
)
MEASURE_EDIT = Form(
    "measure-edit",
    (*MEASURE.fields, Field("completed_on", msg("Completed on"), "date")),
    msg("Save the measure"),
    hidden=("version", "measure_id"),
)
INDICATOR = Form(
    "indicator",
    (
        Field("name", msg("Name"), required=True),
        Field("unit", msg("Unit")),
        Field("baseline", msg("Baseline")),
        Field("target", msg("Target")),
        Field("frequency", msg("Reporting frequency"), "select", "frequencies"),
        Field("starts_on", msg("Starts on"), "date", required=True, today=True),
        _PERSON,
    ),
    msg("Add the indicator"),
)
INDICATOR_EDIT = Form(
    "indicator-edit", INDICATOR.fields, msg("Save the indicator"), hidden=("version", "indicator_id")
)
VALUE = Form(
    "value",
    (
        Field("reported_on", msg("Reported on"), "date", required=True, today=True),
        Field("value", msg("Value"), required=True),
        Field("note", msg("Note")),
    ),
    msg("Save the value"),
    hidden=("indicator_id",),
)
PROGRESS = Form(
    "progress",
    (
        Field("reported_on", msg("Reported on"), "date", required=True, today=True),
        Field("text", msg("What was done"), "textarea", required=True),
        Field("measure_id", msg("Measure"), "select", "measures", blank=_NONE),
        _VISIBILITY,
        Field(
            "files",
            msg("Evidence files (PDF, images, office documents, text)"),
            "files",
            aliases=("file", "filename"),
        ),
    ),
    msg("Save the report"),
)
PROGRESS_EDIT = Form(
    "progress-edit", PROGRESS.fields[:4], msg("Save the report"), hidden=("version", "progress_id")
)
ASSESSMENT = Form(
    "assessment",
    (
        Field("assessor_type", msg("Assessed by (type)"), "select", "assessor_types"),
        Field("assessor", msg("Assessor"), required=True),
        Field("status", msg("Status"), "select", "implementation"),
        Field("assessed_on", msg("Assessed on"), "date", required=True, today=True),
        Field("source", msg("Source (where it was published, or who made it and how)"), required=True),
        Field("note", msg("Note"), "textarea"),
        _VISIBILITY,
    ),
    msg("Save the assessment"),
)
ASSESSMENT_EDIT = Form(
    "assessment-edit",
    tuple(f for f in ASSESSMENT.fields if f.name not in ("assessor_type", "assessor")),
    msg("Save the assessment"),
    hidden=("version", "assessment_id"),
)
CSV = Form(
    "csv",
    (
        Field("kind", msg("What the file holds"), "select", "csv_kinds"),
        Field(
            "file",
            msg("CSV file (every row is checked; nothing is stored unless all are good)"),
            "file",
            required=True,
        ),
    ),
    msg("Import the file"),
)
REPORT = Form(
    "report",
    (
        Field(
            "period",
            msg("Reporting period"),
            hint=msg("Shown on the title page, e.g. 2022–2026 or “mid-term of the fourth cycle”."),
        ),
        Field("lang", msg("Language of the report"), "select", "languages"),
    ),
    msg("Download"),
)

WORKSPACE = Form(
    "workspace",
    (
        Field("name", msg("Name"), required=True, hint=msg("e.g. Gotham Human Rights Commission")),
        Field(
            "slug",
            msg("Short name for its address"),
            required=True,
            hint=msg(
                "Lower-case letters, digits and hyphens, e.g. gotham-hrc:"
                " the address becomes /workspaces/gotham-hrc."
            ),
        ),
        Field("kind", msg("Kind"), "select", "workspace_kinds"),
        Field("state", msg("State it follows"), "select", "states", blank=_NONE),
        Field("description", msg("Description"), "textarea"),
    ),
    msg("Create the workspace"),
)
EMAIL = Field("email", msg("E-mail address"), "email", required=True, autocomplete="off")
INVITE = Form(
    "invite",
    (
        EMAIL,
        Field("role", msg("Role in the workspace"), "select", "workspace_roles"),
    ),
    msg("Send the invitation"),
)
MEMBER = Form(
    "member",
    (
        Field(
            "username", msg("User name"), required=True, hint=msg("Someone who has an account here already.")
        ),
        Field("role", msg("Role in the workspace"), "select", "workspace_roles"),
    ),
    msg("Add the member"),
)
ROLE = Form("role", (Field("role", msg("Role"), "select", "workspace_roles"),), msg("Change the role"))
ACCOUNT = Form(
    "account",
    (
        Field("username", msg("User name"), required=True, autocomplete="username"),
        Field("display_name", msg("Your name as others see it")),
        Field(
            "password",
            msg("Password"),
            "password",
            required=True,
            hint=msg("At least 10 characters."),
            autocomplete="new-password",
        ),
    ),
    msg("Make my account and accept"),
)

# Forms whose values a refused post shows again, by the name the page keys their errors with.
BY_NAME: dict[str, Form] = {
    f.name: f
    for f in (
        ACTOR,
        ACTOR_EDIT,
        PLEDGE,
        COMMITMENT_EDIT,
        PLEDGE_EDIT,
        ASSIGN,
        TAKE_ON,
        TRACK,
        MEASURE,
        MEASURE_EDIT,
        INDICATOR,
        INDICATOR_EDIT,
        VALUE,
        PROGRESS,
        PROGRESS_EDIT,
        ASSESSMENT,
        ASSESSMENT_EDIT,
        CSV,
        REPORT,
        WORKSPACE,
        INVITE,
        MEMBER,
        ROLE,
        ACCOUNT,
    )
}
