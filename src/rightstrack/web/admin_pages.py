"""The administrator's page: who may create workspaces, the workspaces awaiting approval, and the
accounts (with invitations to make one by e-mail link). Thin over ``followup.creation`` and
``followup.invitations``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from rightstrack.auth.accounts import Session, list_users
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Permission, Role
from rightstrack.followup.creation import (
    CreationPolicy,
    creation_policy,
    decide_workspace,
    pending_workspaces,
    set_creation_policy,
)
from rightstrack.followup.form_specs import EMAIL
from rightstrack.followup.invitations import Sent, invite_account, open_invitations
from rightstrack.followup.terms import term
from rightstrack.messages import msg
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.forms import Field, Form, read_form, refused, submit
from rightstrack.web.render import renderer
from rightstrack.web.security import Guard

POLICY = Form(
    "policy",
    (Field("policy", msg("Who may create a workspace"), "select", "policies"),),
    msg("Save"),
)
ACCOUNT_INVITE = Form(
    "account-invite",
    (
        EMAIL,
        Field("role", msg("Role on this instance"), "select", "roles"),
    ),
    msg("Send the invitation"),
)
CHOICES = {
    "policies": [(p.value, term(p.value)) for p in CreationPolicy],
    "roles": [(r.value, term(r.value)) for r in Role],
}


def admin_pages(db: Database, settings: Settings, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    render = renderer(templates, guard)
    admin = guard.need(Permission.MANAGE_USERS)
    post = guard.need(Permission.MANAGE_USERS, form_csrf=True)
    outbox = Outbox.from_settings(settings)

    def page(request: Request, session: Session | None, **extra: Any) -> Any:
        with db.read() as conn:
            policy = creation_policy(conn, str(settings.workspace_creation))
            pending = pending_workspaces(conn)
            invited = open_invitations(conn, None)
        context = {"errors": {}, "forms": {}, "sent": None} | extra
        return render(
            request, "admin.html", session, policy=policy.value, pending=pending, invited=invited,
            users=list_users(db), F={"policy": POLICY, "invite": ACCOUNT_INVITE}, choices=CHOICES, **context,
        )  # fmt: skip

    @router.get("/admin", response_class=HTMLResponse)
    def page_admin(request: Request, session: Session | None = Depends(admin)) -> Any:
        return page(request, session)

    @router.post("/admin/workspace-creation", response_class=HTMLResponse)
    async def post_policy(request: Request, session: Session | None = Depends(post)) -> Any:
        values = POLICY.values(await read_form(request, session))
        assert session is not None

        def act() -> str:
            set_creation_policy(db, session.user, CreationPolicy.parse(values["policy"]))
            return "/admin#workspace-creation"

        return submit("policy", values, act, lambda **extra: page(request, session, **extra))

    @router.post("/admin/invitations", response_class=HTMLResponse)
    async def post_account_invitation(request: Request, session: Session | None = Depends(post)) -> Any:
        values = ACCOUNT_INVITE.values(await read_form(request, session))
        assert session is not None
        sent: list[Sent] = []

        def act() -> str:
            if values["role"] not in {r.value for r in Role}:
                raise refused(("role", msg("Choose one of the options.")))
            days = int(settings.invitation_days)
            sent.append(
                invite_account(
                    db, session.user, values["email"], Role(values["role"]), days=days, outbox=outbox
                )
            )
            return "/admin#accounts"

        answer = submit("invite", values, act, lambda **extra: page(request, session, **extra))
        if not sent:
            return answer
        link = str(request.base_url).rstrip("/") + sent[0].link
        return page(
            request, session, sent={"link": link, "email": values["email"], "emailed": sent[0].emailed}
        )

    @router.post("/admin/workspaces/{slug}/{decision}")
    async def post_decision(
        request: Request, slug: str, decision: str, session: Session | None = Depends(post)
    ) -> Any:
        await read_form(request, session)
        assert session is not None
        if decision not in ("approve", "reject"):
            raise refused(("decision", msg("Choose one of the options.")))
        decide_workspace(db, session.user, slug, approve=decision == "approve")
        return RedirectResponse("/admin#pending", status_code=303)

    return router
