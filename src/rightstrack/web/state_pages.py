"""State pages: the states index, a state's profile (recommendations, treaties, timeline), states
side by side, and the world map of one instrument. Thin over ``report.overview`` and ``engagement``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.engagement.compare import compare_states, instrument_counts, world_map
from rightstrack.engagement.events import EventKind, add_event
from rightstrack.engagement.instruments import INSTRUMENTS, get_instrument
from rightstrack.engagement.timeline import state_timeline
from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.followup.state_view import state_implementation
from rightstrack.report.overview import state_profile, states_index, tile_map
from rightstrack.store.database import Database
from rightstrack.web.render import renderer
from rightstrack.web.security import Guard, actor_of, check_form_csrf

EVENT_FIELDS = ("kind", "date", "end_date", "target", "description", "amount_usd", "citation", "url")
STATUSES = ("party", "signatory", "no_action", "denounced", "unknown")
# The comparison issue 6 asks for first: the United States beside four states it is often compared with.
DEFAULT_COMPARISON = "USA,CHN,RUS,SAU,IRN"


def state_pages(db: Database, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    render = renderer(templates, guard)
    read = guard.need(Permission.READ)

    @router.get("/states", response_class=HTMLResponse)
    def page_states(request: Request, session: Session | None = Depends(read)) -> Any:
        with db.read() as conn:
            states = states_index(conn)
        return render(request, "states.html", session, states=states, instruments=INSTRUMENTS)

    def state_page(request: Request, alpha3: str, session: Session | None, **form: Any) -> Any:
        profile = state_profile(db, alpha3)
        with db.read() as conn:
            timeline = state_timeline(conn, profile["alpha3"])
            implementation = state_implementation(conn, profile["alpha3"])
        link = search_link({"state": profile["alpha3"]})
        return render(
            request,
            "state.html",
            session,
            p=profile,
            timeline=timeline,
            link=link,
            event_kinds=list(EventKind),
            impl=implementation,
            **form,
        )

    @router.get("/states/{alpha3}", response_class=HTMLResponse)
    def page_state(request: Request, alpha3: str, session: Session | None = Depends(read)) -> Any:
        return state_page(request, alpha3, session)

    @router.post("/states/{alpha3}/events", response_class=HTMLResponse)
    async def page_add_event(
        request: Request,
        alpha3: str,
        session: Session | None = Depends(guard.need(Permission.EDIT, form_csrf=True)),
    ) -> Any:
        # Read as a plain form so that a half-filled one comes back as it was, with every problem named.
        form = await request.form()
        check_form_csrf(session, str(form.get("csrf_token", "")))
        values = {name: str(form.get(name, "")).strip() for name in EVENT_FIELDS}
        try:
            event = add_event(
                db,
                alpha3,
                values["kind"],
                values["date"],
                citation=values["citation"],
                actor=actor_of(session),
                **{k: v or None for k, v in values.items() if k not in ("kind", "date", "citation")},
            )
        except RightstrackError as exc:
            page = state_page(request, alpha3, session, event_error=exc, event_form=values)
            page.status_code = exc.status
            return page
        return RedirectResponse(f"/states/{event['state']}#timeline", status_code=303)

    @router.get("/compare", response_class=HTMLResponse)
    def page_compare(
        request: Request, states: str = DEFAULT_COMPARISON, session: Session | None = Depends(read)
    ) -> Any:
        codes = [part.strip() for part in states.split(",") if part.strip()]
        if not codes or len(codes) > 12:
            raise InvalidInput("give 1 to 12 states, comma separated (USA,CHN)")
        with db.read() as conn:
            compared = compare_states(conn, codes)
        return render(request, "compare.html", session, c=compared, states=states, instruments=INSTRUMENTS)

    @router.get("/treaties", response_class=HTMLResponse)
    def page_treaties(request: Request, session: Session | None = Depends(read)) -> Any:
        with db.read() as conn:
            counts = instrument_counts(conn)
        return render(request, "treaties.html", session, counts=counts, statuses=STATUSES)

    @router.get("/treaties/{instrument}", response_class=HTMLResponse)
    def page_treaty_map(request: Request, instrument: str, session: Session | None = Depends(read)) -> Any:
        found = get_instrument(instrument)
        with db.read() as conn:
            world = world_map(conn, found.code)
        return render(
            request,
            "treaty_map.html",
            session,
            instrument=found,
            world=world,
            groups=tile_map(world),
            statuses=STATUSES,
        )

    return router


def search_link(fixed: dict[str, str]) -> Callable[[str, str], str]:
    """Links from a chart's bar to the search it counts: the fixed filters plus the bar's value."""

    def link(name: str, value: str) -> str:
        return "/?" + urlencode([*fixed.items(), (name, value)])

    return link
