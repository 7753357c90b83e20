"""The brief pages: the list of briefs, drafting one (/briefs/new), and a saved brief with its
editor, versions and downloads. Thin over ``brief.draft`` and ``brief.saved``; the downloads are
the API's (/api/v1/briefs/…/export.docx), which the pages link to.

The page of a brief prints as the brief itself: the print style sheet hides the site's header,
the forms and the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData

from rightstrack.auth.accounts import Session, User
from rightstrack.auth.roles import Permission
from rightstrack.brief import saved
from rightstrack.brief.api import BriefId, brief_request
from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import Brief, BriefCreate, BriefRequest, BriefUpdate, Point
from rightstrack.brief.page_forms import editor_fields, points_from_form, sections
from rightstrack.brief.render import Numbered, document_words
from rightstrack.errors import RightstrackError
from rightstrack.followup.access import WorkspacePermission
from rightstrack.followup.model import Visibility, WorkspaceRole, invalid_input
from rightstrack.followup.workspaces import list_workspaces
from rightstrack.model.reference import ISSUE_FAMILY
from rightstrack.store.catalog import list_tags
from rightstrack.store.database import Database
from rightstrack.translation import LANGUAGES
from rightstrack.web.i18n import choose_language
from rightstrack.web.render import renderer
from rightstrack.web.security import Guard, check_form_csrf

_WRITERS = {WorkspaceRole.OWNER, WorkspaceRole.EDITOR, WorkspaceRole.CONTRIBUTOR}
T = TypeVar("T")


def _user(session: Session | None) -> User | None:
    return session.user if session else None


def brief_pages(db: Database, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    render = renderer(templates, guard)
    read = guard.need(Permission.READ)
    post = guard.need(Permission.READ, form_csrf=True)

    def draft_page(
        request: Request, session: Session | None, asked: BriefRequest | None, **extra: Any
    ) -> Any:
        with db.read() as conn:
            themes = [t["name"] for t in list_tags(conn, ISSUE_FAMILY)]
            mine = [w for w in list_workspaces(conn, _user(session)) if w["my_role"] in _WRITERS]
        brief: Brief | None = extra.pop("brief", None)
        return render(
            request,
            "brief_new.html",
            session,
            asked=asked,
            themes=themes,
            languages=LANGUAGES,
            brief=brief,
            draft_query=_draft_query(asked),
            **_editor(brief),
            workspaces=mine,
            **extra,
        )

    def brief_page(request: Request, session: Session | None, brief_id: int, **extra: Any) -> Any:
        with db.read() as conn:
            shown = saved.get_brief(conn, _user(session), brief_id)
            access = saved.brief_access(conn, _user(session), brief_id)
            versions = saved.brief_versions(conn, _user(session), brief_id) if access.reads_private else []
        edited = extra.pop("edited", None) or shown.points
        return render(
            request,
            "brief.html",
            session,
            b=shown,
            brief=shown.as_brief(),
            numbered=Numbered.of(shown.points),
            words=document_words(shown.as_brief()),
            **_editor(shown.as_brief().model_copy(update={"points": edited})),
            may_edit=access.may(WorkspacePermission.REPORT),
            may_publish=access.may(WorkspacePermission.EDIT),
            versions=versions,
            **extra,
        )

    @router.get("/briefs", response_class=HTMLResponse)
    def page_briefs(request: Request, session: Session | None = Depends(read)) -> Any:
        with db.read() as conn:
            found = saved.list_briefs(conn, _user(session))
        return render(request, "briefs.html", session, briefs=found)

    @router.get("/briefs/new", response_class=HTMLResponse)
    def page_new(request: Request, session: Session | None = Depends(read)) -> Any:
        if "state" not in request.query_params:
            return draft_page(request, session, None)
        try:
            asked = _checked(lambda: brief_request(**_query(request)))
            brief = draft_brief(db, asked)
        except RightstrackError as exc:  # the form comes back with what is wrong
            page = draft_page(request, session, None, error=exc)
            page.status_code = exc.status
            return page
        return draft_page(request, session, asked, brief=brief)

    @router.post("/briefs", response_class=HTMLResponse)
    async def post_brief(request: Request, session: Session | None = Depends(post)) -> Any:
        form = await _form(request, session)
        asked = BriefRequest.model_validate_json(str(form.get("request", "{}")))
        points: list[Point] = []
        try:
            points = points_from_form(form)
            data = _checked(
                lambda: BriefCreate(
                    workspace=str(form.get("workspace", "")),
                    title=str(form.get("title", "")).strip(),
                    request=asked,
                    points=points,
                )
            )
            brief_id = saved.create_brief(db, _user(session), data)
        except RightstrackError as exc:
            title = str(form.get("title", ""))
            kept = Brief(
                title=title, state=asked.state, request=asked, drafted_on=date.today(), points=points
            )
            page = draft_page(request, session, asked, brief=kept, error=exc)
            page.status_code = exc.status
            return page
        return RedirectResponse(f"/briefs/{brief_id}", status_code=303)

    @router.get("/briefs/{brief_id}", response_class=HTMLResponse)
    def page_brief(request: Request, brief_id: BriefId, session: Session | None = Depends(read)) -> Any:
        return brief_page(request, session, brief_id)

    @router.post("/briefs/{brief_id}", response_class=HTMLResponse)
    async def post_version(
        request: Request, brief_id: BriefId, session: Session | None = Depends(post)
    ) -> Any:
        form = await _form(request, session)
        points = None
        try:
            points = points_from_form(form)
            data = _checked(
                lambda: BriefUpdate.model_validate(
                    {
                        "version": str(form.get("version", "")),
                        "title": str(form.get("title", "")).strip() or None,
                        "points": points,
                        "visibility": _visibility(form),
                    }
                )
            )
            saved.update_brief(db, _user(session), brief_id, data)
        except RightstrackError as exc:
            page = brief_page(request, session, brief_id, error=exc, edited=points)
            page.status_code = exc.status
            return page
        return RedirectResponse(f"/briefs/{brief_id}", status_code=303)

    return router


def _checked(build: Callable[[], T]) -> T:
    """A schema built from form fields; what does not validate is the reader's error, named by field."""
    try:
        return build()
    except ValidationError as exc:
        raise invalid_input(exc) from None


def _visibility(form: FormData) -> Visibility | None:
    """The form offers "published" only to those who may publish; without it nothing changes."""
    if "visibility" not in form:
        return None
    return Visibility.PUBLIC if form.get("published") else Visibility.PRIVATE


def _editor(brief: Brief | None) -> dict[str, Any]:
    if brief is None:
        return {"fields": [], "sections": sections()}
    return {"fields": editor_fields(brief.points), "sections": sections()}


def _draft_query(asked: BriefRequest | None) -> str:
    """The API's query string for the same draft (its downloads)."""
    if asked is None:
        return ""
    pairs = [("state", asked.state), *(("theme", t) for t in asked.themes), ("query", asked.query)]
    pairs += [("compare", ",".join(asked.compare)), ("lang", asked.lang), ("asks", str(asked.asks))]
    pairs += [("since", str(asked.since))] if asked.since else []
    return urlencode([(k, v) for k, v in pairs if v])


def _query(request: Request) -> dict[str, Any]:
    params = request.query_params
    asked: dict[str, Any] = {
        "state": params.get("state", ""),
        "theme": [t for t in params.getlist("theme") if t],
        "query": params.get("query", ""),
        "compare": [c for c in params.getlist("compare") if c],
        "lang": params.get("brief_lang") or choose_language(request),
    }
    for name in ("since", "asks"):
        if params.get(name, "").strip().isdigit():
            asked[name] = int(params[name])
    return asked


async def _form(request: Request, session: Session | None) -> FormData:
    form = await request.form()
    check_form_csrf(session, str(form.get("csrf_token", "")))
    return form
