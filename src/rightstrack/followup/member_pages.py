"""Starting a workspace from the browser: the "New workspace" page, the members page (roles,
removal, invitations by user name or by e-mail link) and the page an invitation link opens.
Thin over ``followup.creation``, ``followup.workspaces`` and ``followup.invitations``; who may do
what is theirs to decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from rightstrack.auth.accounts import Session, login
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Permission
from rightstrack.followup import form_specs as specs
from rightstrack.followup.access import WorkspacePermission, workspace_access
from rightstrack.followup.creation import CreationPolicy, creation_policy, may_create
from rightstrack.followup.invitations import (
    Sent,
    accept,
    accept_with_new_account,
    find_invitation,
    invite_to_workspace,
    revoke,
    workspace_invitations,
)
from rightstrack.followup.model import WorkspaceCreate, WorkspaceRole
from rightstrack.followup.page_forms import model_input
from rightstrack.followup.page_views import CHOICES, parse
from rightstrack.followup.pages import Pages
from rightstrack.followup.workspaces import create_workspace, members, remove_member, set_member
from rightstrack.messages import msg
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.account_api import login_attempt, set_login_cookies
from rightstrack.web.forms import read_form, refused, submit
from rightstrack.web.security import Guard


def member_routes(router: APIRouter, db: Database, settings: Settings, guard: Guard, pages: Pages) -> None:
    read = guard.need(Permission.READ)
    post = guard.need(Permission.READ, form_csrf=True)
    days = int(settings.invitation_days)
    outbox = Outbox.from_settings(settings)

    def policy() -> CreationPolicy:
        with db.read() as conn:
            return creation_policy(conn, str(settings.workspace_creation))

    def new_page(request: Request, session: Session | None, **extra: Any) -> Any:
        chosen = policy()
        context = {"errors": {}, "forms": {}} | extra
        choices = {k: CHOICES[k] for k in ("workspace_kinds", "states")}
        allowed = may_create(session.user if session else None, chosen)
        return pages.render(
            request, "workspace_new.html", session, spec=specs.WORKSPACE, choices=choices,
            policy=chosen.value, allowed=allowed, **context,
        )  # fmt: skip

    @router.get("/workspaces/new", response_class=HTMLResponse)
    def page_new_workspace(request: Request, session: Session | None = Depends(read)) -> Any:
        return new_page(request, session)  # says who may create one, and to log in first

    @router.post("/workspaces/new", response_class=HTMLResponse)
    async def post_new_workspace(request: Request, session: Session | None = Depends(post)) -> Any:
        values = specs.WORKSPACE.values(await read_form(request, session))
        assert session is not None  # read_form refuses a form without a session's token

        def act() -> str:
            data = parse(WorkspaceCreate, model_input(values))
            create_workspace(db, data, by=session.user, policy=policy(), outbox=outbox)
            return f"/workspaces/{data.slug}"

        return submit("workspace", values, act, lambda **extra: new_page(request, session, **extra))

    def members_page(request: Request, slug: str, session: Session | None, **extra: Any) -> Any:
        user = session.user if session else None
        with db.read() as conn:
            access = workspace_access(conn, slug, user)
            people = members(conn, access)
            manage = access.may(WorkspacePermission.MANAGE)
            invited = workspace_invitations(conn, access) if manage else []
        context = {"errors": {}, "forms": {}, "sent": None} | extra
        return pages.render(
            request, "members.html", session, ws=access.workspace, people=people, invited=invited,
            manage=manage, F=specs.BY_NAME, choices={"workspace_roles": CHOICES["workspace_roles"]},
            role=access.role.value if access.role else None, **context,
        )  # fmt: skip

    @router.get("/workspaces/{slug}/members", response_class=HTMLResponse)
    def page_members(request: Request, slug: str, session: Session | None = Depends(read)) -> Any:
        return members_page(request, slug, session)

    def again(request: Request, slug: str, session: Session | None) -> Any:
        return lambda **extra: members_page(request, slug, session, **extra)

    @router.post("/workspaces/{slug}/members", response_class=HTMLResponse)
    async def post_member(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        values = specs.MEMBER.values(await read_form(request, session))

        def act() -> str:
            access = pages.access(slug, session)
            access.require(WorkspacePermission.MANAGE)
            if not values["username"]:
                raise refused(("username", msg("This is required.")))
            set_member(db, access, values["username"], _role(values["role"]))
            return f"/workspaces/{slug}/members"

        return submit("member", values, act, again(request, slug, session))

    @router.post("/workspaces/{slug}/invitations", response_class=HTMLResponse)
    async def post_invitation(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        values = specs.INVITE.values(await read_form(request, session))
        sent: list[Sent] = []

        def act() -> str:
            access = pages.access(slug, session)
            sent.append(
                invite_to_workspace(
                    db, access, values["email"], _role(values["role"]), days=days, outbox=outbox
                )
            )
            return f"/workspaces/{slug}/members"

        answer = submit("invite", values, act, again(request, slug, session))
        if not sent:
            return answer
        # The link is shown once, to whoever invited, for instances without a mail server.
        link = str(request.base_url).rstrip("/") + sent[0].link
        shown = {"link": link, "email": values["email"], "emailed": sent[0].emailed}
        return members_page(request, slug, session, sent=shown)

    @router.post("/workspaces/{slug}/members/{username}/role", response_class=HTMLResponse)
    async def post_role(
        request: Request, slug: str, username: str, session: Session | None = Depends(post)
    ) -> Any:
        values = specs.ROLE.values(await read_form(request, session))

        def act() -> str:
            set_member(db, pages.access(slug, session), username, _role(values["role"]))
            return f"/workspaces/{slug}/members"

        return submit(f"role-{username}", values, act, again(request, slug, session))

    @router.post("/workspaces/{slug}/members/{username}/remove", response_class=HTMLResponse)
    async def post_remove(
        request: Request, slug: str, username: str, session: Session | None = Depends(post)
    ) -> Any:
        await read_form(request, session)

        def act() -> str:
            remove_member(db, pages.access(slug, session), username)
            return f"/workspaces/{slug}/members"

        return submit(f"remove-{username}", {}, act, again(request, slug, session))

    @router.post("/workspaces/{slug}/invitations/{invitation_id}/revoke", response_class=HTMLResponse)
    async def post_revoke(
        request: Request, slug: str, invitation_id: int, session: Session | None = Depends(post)
    ) -> Any:
        await read_form(request, session)
        revoke(db, pages.access(slug, session), invitation_id)
        return RedirectResponse(f"/workspaces/{slug}/members#invitations", status_code=303)

    invitation_routes(router, db, settings, guard, pages)


def _role(value: str) -> WorkspaceRole:
    try:
        return WorkspaceRole(value)
    except ValueError:
        raise refused(("role", msg("Choose one of the options."))) from None


def invitation_routes(
    router: APIRouter, db: Database, settings: Settings, guard: Guard, pages: Pages
) -> None:
    """The page an invitation link opens. Anyone holding the link may open it, logged in or not
    (the token is the secret, so there is no session token to check before an account exists)."""

    def invitation_page(request: Request, token: str, **extra: Any) -> Any:
        session = guard.session(request)
        with db.read() as conn:
            invitation = find_invitation(conn, token)
        context = {"errors": {}, "forms": {}} | extra
        return pages.render(
            request, "invitation.html", session, invitation=invitation, token=token, spec=specs.ACCOUNT,
            **context,
        )  # fmt: skip

    @router.get("/invitations/{token}", response_class=HTMLResponse)
    def page_invitation(request: Request, token: str) -> Any:
        return invitation_page(request, token)

    @router.post("/invitations/{token}", response_class=HTMLResponse)
    async def post_invitation_answer(request: Request, token: str) -> Any:
        session = guard.session(request)
        form = await request.form() if session is None else await read_form(request, session)
        if session is not None:
            joined = accept(db, token, session.user)
            return RedirectResponse(f"/workspaces/{joined.workspace_slug}", status_code=303)
        values = specs.ACCOUNT.values(form)
        password = str(form.get("password", ""))
        target: dict[str, str] = {}

        def act() -> str:
            invitation, _ = accept_with_new_account(
                db, token, values["username"], password, display_name=values["display_name"]
            )
            target["session"] = "yes"
            return f"/workspaces/{invitation.workspace_slug}" if invitation.workspace_slug else "/"

        answer = submit(
            "account",
            values | {"password": ""},
            act,
            lambda **extra: invitation_page(request, token, **extra),
        )
        if target:  # the account exists: log its owner in, as the login page would
            opened = login(db, values["username"], password, **login_attempt(request, settings))
            set_login_cookies(answer, opened, settings)
        return answer
