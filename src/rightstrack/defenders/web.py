"""Defender cases over HTTP: the API under /api/v1/defenders and three pages.

Routes only translate: who is asking (the session, as a :class:`Viewer`), the library call, the
answer. Access to each case is decided in the library, and a case one may not see is a 404.

No ``from __future__ import annotations`` here: FastAPI must evaluate the local ``Reader`` and
``Editor`` aliases when each route is defined.
"""

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from rightstrack import __version__
from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission, allowed
from rightstrack.defenders import attachments, cases, casework, exports, patterns, sharing
from rightstrack.defenders.access import Viewer, viewer
from rightstrack.defenders.config import check_production, vault_from
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.vocab import ACT_TYPES
from rightstrack.errors import PermissionDenied
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.security import Guard

CaseId = Annotated[str, Path(min_length=36, max_length=36)]


class ActIn(BaseModel):
    act_type: str = Field(max_length=20)
    victim_name: str | None = Field(None, max_length=300)
    victim_aliases: list[str] = []
    victim_age: str | None = Field(None, max_length=10)
    victim_sex: str | None = Field(None, max_length=20)
    victim_consent: str | None = Field(None, max_length=20)
    counting_unit: str | None = Field(None, max_length=30, description="individual, family, community …")
    number_of_persons: int | None = Field(None, ge=1, le=1_000_000)
    defender_status: list[str] = []
    perpetrator_types: list[str] = []
    perpetrator_names: list[str] = []
    degree_of_involvement: str | None = Field(None, max_length=30)
    sector: str | None = Field(None, max_length=60)
    stated_reason: str | None = Field(None, max_length=5000)
    status_at_end: str | None = Field(None, max_length=40)


class CaseIn(BaseModel):
    title: str | None = Field(None, max_length=500)
    summary: str | None = Field(None, max_length=20000)
    public_summary: str | None = Field(None, max_length=5000)
    start_date: str | None = Field(None, max_length=10)
    country: str | None = Field(None, max_length=3)
    country_name: str | None = Field(None, max_length=100)
    admin_area: str | None = Field(None, max_length=200)
    locality: str | None = Field(None, max_length=300)
    geo: list[float] | None = None
    notes: str | None = Field(None, max_length=20000)
    violation_status: str | None = Field(None, max_length=20)
    impact: str | None = Field(None, max_length=5000)
    acts: list[ActIn] = Field(min_length=1, max_length=200)

    def content(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class NewCase(CaseIn):
    sensitivity: str = "internal"
    monitoring_status: str = "active"


class SearchIn(BaseModel):
    q: str | None = Field(None, max_length=200)
    country: str | None = Field(None, max_length=3)
    act_type: str | None = Field(None, max_length=20)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class GrantIn(BaseModel):
    subject: str = Field(max_length=80)
    kind: str = "user"
    level: str = "read"


class StatusIn(BaseModel):
    status: str = Field(max_length=20, description="active, pending or not_active")


class SourceIn(BaseModel):
    identity: dict[str, str] = {}
    statement: str = Field("", max_length=20000)
    sensitivity: str = "source_protected"
    consent: str = "none"
    reliability: str = "unknown"
    connection: str = "unknown"
    corroboration_count: int = Field(0, ge=0, le=1000)


class InterventionIn(BaseModel):
    mechanism: str
    kind: str
    opened_on: str
    reply_due: str | None = None
    details: dict[str, Any] = {}


class UpdateIn(BaseModel):
    on_date: str
    status: str
    follow_up_due: str | None = None
    note: str = Field("", max_length=20000)


class ReportFilter(BaseModel):
    """Count only the acts of one country, year or act type."""

    country: str | None = Field(None, max_length=100)
    year: str | None = Field(None, max_length=10)
    act_type: str | None = Field(None, max_length=20)


class LinkIn(BaseModel):
    related_case_id: str = Field(min_length=36, max_length=36)
    link_type: str
    intervention_id: str | None = Field(None, max_length=36)


def defenders_router(
    db: Database, settings: Settings, guard: Guard, templates: Jinja2Templates, *, vault: Vault | None = None
) -> APIRouter:
    check_production(db, settings)
    vault = vault or vault_from(db)
    router = APIRouter()
    api = "/api/v1/defenders"

    def who(permission: Permission) -> Callable[..., Viewer]:
        check = guard.need(permission)

        def resolve(request: Request) -> Viewer:
            session = check(request)
            if session is None:
                return viewer_anonymous()
            with db.read() as conn:
                return viewer(conn, session.user.username, session.user.role)

        return resolve

    def viewer_anonymous() -> Viewer:
        return Viewer(None, None)

    Reader = Annotated[Viewer, Depends(who(Permission.READ))]
    Editor = Annotated[Viewer, Depends(who(Permission.EDIT))]
    Admin = Annotated[Viewer, Depends(who(Permission.MANAGE_USERS))]
    rules = sharing.SharingRules.from_settings(settings)

    @router.get(f"{api}/cases", summary="Cases you may see")
    def api_cases(
        reader: Reader,
        country: Annotated[str | None, Query(max_length=3)] = None,
        act_type: Annotated[str | None, Query(max_length=20)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> dict[str, Any]:
        return cases.list_cases(
            db, vault, reader, country=country, act_type=act_type, limit=limit, offset=offset
        )

    # Search terms travel in the body: a name in a URL ends up in access logs and proxies.
    @router.post(f"{api}/cases/search", summary="Search the cases you may read (sealed text included)")
    def api_search(reader: Reader, search: SearchIn) -> dict[str, Any]:
        return cases.list_cases(db, vault, reader, **search.model_dump())

    @router.post(f"{api}/cases", summary="Record a case", status_code=201)
    def api_new_case(editor: Editor, case: NewCase) -> dict[str, Any]:
        options = {"sensitivity": case.sensitivity, "monitoring_status": case.monitoring_status}
        content = CaseIn.model_validate(case.model_dump(exclude={"sensitivity", "monitoring_status"}))
        return {"id": cases.create_case(db, vault, editor, content.content(), **options)}

    @router.get(f"{api}/cases/{{case_id}}", summary="One case, as far as you may see it")
    def api_case(reader: Reader, case_id: CaseId) -> dict[str, Any]:
        return casework.dossier(db, vault, reader, case_id)

    @router.post(f"{api}/cases/{{case_id}}/versions", summary="New facts: a new version", status_code=201)
    def api_new_version(editor: Editor, case_id: CaseId, case: CaseIn) -> dict[str, Any]:
        return {"version": cases.add_version(db, vault, editor, case_id, case.content())}

    @router.get(f"{api}/cases/{{case_id}}/history", summary="The versions of a case")
    def api_history(reader: Reader, case_id: CaseId) -> list[dict[str, Any]]:
        return cases.history(db, reader, case_id)

    @router.delete(f"{api}/cases/{{case_id}}", summary="Delete a case and destroy its key")
    def api_delete(editor: Editor, case_id: CaseId) -> dict[str, Any]:
        cases.delete_case(db, vault, editor, case_id)
        return {"deleted": case_id}

    @router.post(
        f"{api}/cases/{{case_id}}/grants",
        summary="Share a case with a user or group (202: waits for a second administrator)",
    )
    def api_grant(editor: Editor, case_id: CaseId, grant: GrantIn, response: Response) -> dict[str, Any]:
        pending = sharing.grant(
            db, editor, case_id, grant.subject, kind=grant.kind, level=grant.level, rules=rules
        )
        return _granted(response, grant.subject, pending)

    @router.delete(f"{api}/cases/{{case_id}}/grants/{{kind}}/{{subject}}", summary="Stop sharing a case")
    def api_revoke(
        editor: Editor,
        case_id: CaseId,
        kind: Annotated[str, Path(max_length=5)],
        subject: Annotated[str, Path(max_length=80)],
    ) -> dict[str, Any]:
        sharing.revoke(db, editor, case_id, subject, kind=kind, rules=rules)
        return {"revoked": subject}

    @router.get(f"{api}/requests", summary="Access requests waiting for a second administrator")
    def api_requests(admin: Admin) -> list[dict[str, Any]]:
        return sharing.requests(db, admin)

    @router.post(f"{api}/requests/{{request_id}}/{{decision}}", summary="Approve or reject an access request")
    def api_decide(
        admin: Admin, request_id: CaseId, decision: Annotated[str, Path(pattern="^(approve|reject)$")]
    ) -> dict[str, Any]:
        sharing.decide(db, admin, request_id, approve=decision == "approve", rules=rules)
        return {"request": request_id, "decision": decision}

    @router.post(f"{api}/cases/{{case_id}}/monitoring", summary="Set the monitoring status")
    def api_monitoring_status(editor: Editor, case_id: CaseId, status: StatusIn) -> dict[str, Any]:
        cases.set_monitoring(db, editor, case_id, status.status)
        return {"monitoring_status": status.status}

    @router.post(f"{api}/cases/{{case_id}}/sources", summary="Add a source", status_code=201)
    def api_source(editor: Editor, case_id: CaseId, source: SourceIn) -> dict[str, Any]:
        return {"id": casework.add_source(db, vault, editor, case_id, **source.model_dump())}

    @router.post(f"{api}/cases/{{case_id}}/interventions", summary="Add an intervention", status_code=201)
    def api_intervention(editor: Editor, case_id: CaseId, item: InterventionIn) -> dict[str, Any]:
        return {"id": casework.add_intervention(db, vault, editor, case_id, **item.model_dump())}

    @router.post(
        f"{api}/interventions/{{intervention_id}}/updates", summary="Record a follow-up", status_code=201
    )
    def api_update(editor: Editor, intervention_id: CaseId, update: UpdateIn) -> dict[str, Any]:
        return {"seq": casework.add_update(db, vault, editor, intervention_id, **update.model_dump())}

    @router.post(f"{api}/cases/{{case_id}}/links", summary="Link to an earlier event", status_code=201)
    def api_link(editor: Editor, case_id: CaseId, link: LinkIn) -> dict[str, Any]:
        made = casework.link(db, editor, case_id, link.related_case_id, link.link_type, link.intervention_id)
        return {"id": made}

    @router.post(f"{api}/cases/{{case_id}}/attachments", summary="Attach a file (raw body)", status_code=201)
    def api_attach(
        editor: Editor, case_id: CaseId, request: Request, data: bytes = Body(b"")
    ) -> dict[str, Any]:
        media = request.headers.get("content-type", "application/octet-stream")
        return attachments.add_attachment(db, vault, editor, case_id, data, media)

    @router.get(f"{api}/attachments/{{attachment_id}}", summary="A file: the shared copy, or the original")
    def api_attachment(
        reader: Reader, attachment_id: CaseId, copy: Annotated[str, Query(max_length=10)] = "shared"
    ) -> Response:
        data, media = attachments.get_attachment(db, vault, reader, attachment_id, copy=copy)
        # Always a download, never rendered: an uploaded HTML file must not run in our origin.
        headers = {"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"}
        return Response(data, media_type=media, headers=headers)

    @router.get(f"{api}/cases/{{case_id}}/pack", summary="Submission pack for the UN SR (consent honoured)")
    def api_pack(reader: Reader, case_id: CaseId) -> dict[str, Any]:
        return exports.submission_pack(db, vault, reader, [case_id])

    @router.get(
        f"{api}/report", summary="Patterns: counts of acts (public: public cases, small groups left out)"
    )
    def api_report(
        reader: Reader,
        where: Annotated[ReportFilter, Query()],
        by: Annotated[str, Query(max_length=100)] = "country,year",
        audience: Annotated[str, Query(max_length=10)] = "public",
    ) -> dict[str, Any]:
        return patterns.report(db, reader, by, audience=audience, vault=vault, where=where.model_dump())

    @router.get(f"{api}/monitoring", summary="Open cases, replies awaited, overdue follow-ups")
    def api_monitoring(reader: Reader) -> dict[str, Any]:
        return casework.monitoring(db, vault, reader)

    @router.get(f"{api}/export.json", summary="Public export: whitelisted fields only")
    def api_export(reader: Reader) -> dict[str, Any]:
        return exports.public_export(db, reader)

    _pages(router, db, vault, guard, templates, who)
    return router


def _granted(response: Response, subject: str, pending: str | None) -> dict[str, Any]:
    if pending is None:
        return {"granted": subject}
    response.status_code = 202
    return {"pending": pending, "message": "a second administrator must approve this"}


def _pages(
    router: APIRouter,
    db: Database,
    vault: Vault,
    guard: Guard,
    templates: Jinja2Templates,
    who: Callable[[Permission], Callable[..., Viewer]],
) -> None:
    def resolve_viewer(session: Session | None) -> Viewer:
        if session is None:
            return Viewer(None, None)
        with db.read() as conn:
            return viewer(conn, session.user.username, session.user.role)

    Reader = Annotated[Viewer, Depends(who(Permission.READ))]

    def render(request: Request, name: str, **context: Any) -> Any:
        session: Session | None = guard.session(request)
        role = session.user.role if session else None
        may = {p.name.lower(): allowed(role, p, public_read=guard.public_read) for p in Permission}
        return templates.TemplateResponse(
            request,
            name,
            {"version": __version__, "session": session, "may": may, "act_types": ACT_TYPES, **context},
        )

    @router.get("/defenders", response_class=HTMLResponse, include_in_schema=False)
    def page_cases(request: Request, reader: Reader) -> Any:
        return render(
            request, "defenders_cases.html", result=cases.list_cases(db, vault, reader, limit=100), q=""
        )

    @router.post("/defenders", response_class=HTMLResponse, include_in_schema=False)
    def page_search(
        request: Request,
        q: Annotated[str, Form(max_length=200)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Any:
        # A POST form (not ?q=) keeps the search words out of access logs; the CSRF token comes
        # in the form because a form cannot send the header.
        session = guard.need(Permission.READ, form_csrf=True)(request)
        if session is not None and not hmac.compare_digest(csrf_token, session.csrf_token):
            raise PermissionDenied("missing or wrong CSRF token")
        reader = resolve_viewer(session)
        return render(
            request, "defenders_cases.html", result=cases.list_cases(db, vault, reader, q=q, limit=100), q=q
        )

    @router.get("/defenders/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_case(request: Request, reader: Reader, case_id: CaseId) -> Any:
        return render(request, "defenders_case.html", case=casework.dossier(db, vault, reader, case_id))

    @router.get("/defenders/patterns", response_class=HTMLResponse, include_in_schema=False)
    def page_patterns(
        request: Request,
        reader: Reader,
        where: Annotated[ReportFilter, Query()],
        by: Annotated[str, Query(max_length=100)] = "country,year",
    ) -> Any:
        audience = "staff" if reader.username else "public"
        found = patterns.report(db, reader, by, audience=audience, vault=vault, where=where.model_dump())
        return render(request, "defenders_patterns.html", report=found)
