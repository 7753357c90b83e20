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
from rightstrack.engagement.compare import compare_states, find_state, instrument_counts, world_map
from rightstrack.engagement.corrections import CORRECTABLE, correct_fact, withdraw_correction
from rightstrack.engagement.corrections import STATUSES as CORRECTABLE_STATUSES
from rightstrack.engagement.events import EventKind, add_event
from rightstrack.engagement.instruments import INSTRUMENTS, get_instrument
from rightstrack.engagement.timeline import state_timeline
from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.followup.page_views import CHOICES
from rightstrack.followup.state_view import state_implementation
from rightstrack.messages import msg
from rightstrack.report.overview import state_profile, states_index, tile_map
from rightstrack.store.database import Database
from rightstrack.web.forms import Field, Form, read_form, submit
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
        form = {"correction_form": CORRECTION, "correction_choices": CORRECTION_CHOICES} | form
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

    editor = guard.need(Permission.EDIT, form_csrf=True)

    @router.post("/states/{alpha3}/treaty-corrections", response_class=HTMLResponse)
    async def page_correct_fact(
        request: Request, alpha3: str, session: Session | None = Depends(editor)
    ) -> Any:
        values = CORRECTION.values(await read_form(request, session))
        state = find_state(alpha3).alpha3

        def act() -> str:
            correct_fact(
                db,
                state,
                values["instrument"],
                values["kind"],
                actor=actor_of(session) or "",
                **_fact(values),
            )
            return f"/states/{state}#treaties"

        def again(errors: dict[str, Any], forms: dict[str, Any]) -> Any:
            return state_page(
                request,
                state,
                session,
                correction_error=errors["correction"],
                correction_values=forms["correction"],
            )

        return submit("correction", values, act, again)

    @router.post("/states/{alpha3}/treaty-corrections/{correction_id}/withdraw")
    async def page_withdraw_correction(
        request: Request, alpha3: str, correction_id: int, session: Session | None = Depends(editor)
    ) -> Any:
        await read_form(request, session)
        state = find_state(alpha3).alpha3
        withdraw_correction(db, state, correction_id, actor=actor_of(session) or "")
        return RedirectResponse(f"/states/{state}#treaties", status_code=303)

    @router.get("/compare", response_class=HTMLResponse)
    def page_compare(
        request: Request,
        states: str = DEFAULT_COMPARISON,
        add: str = "",
        session: Session | None = Depends(read),
    ) -> Any:
        codes = [part.strip() for part in states.split(",") if part.strip()]
        if add:  # the picker: a state chosen by name joins the list, and the address says so
            codes = list(dict.fromkeys([*(find_state(c).alpha3 for c in codes), find_state(add).alpha3]))
            return RedirectResponse("/compare?" + urlencode({"states": ",".join(codes)}), status_code=303)
        if not codes or len(codes) > 12:
            raise InvalidInput(msg("Compare 1 to 12 states: choose them by name below."))
        with db.read() as conn:
            compared = compare_states(conn, codes)
        shown = [s["alpha3"] for s in compared["states"]]
        return render(
            request, "compare.html", session, c=compared, states=",".join(shown), instruments=INSTRUMENTS,
            all_states=CHOICES["states"], without=_without(shown),
        )  # fmt: skip

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


CORRECTION = Form(
    "correction",
    (
        Field("instrument", msg("Instrument"), "select", "instruments"),
        Field("kind", msg("Which fact"), "select", "facts"),
        Field(
            "value",
            msg("Corrected status (for the status)"),
            "select",
            "statuses",
            blank=msg("(not the status)"),
        ),
        Field(
            "date",
            msg("Corrected date (for a date)"),
            hint=msg("YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source."),
        ),
        Field(
            "citation",
            msg("Citation"),
            required=True,
            hint=msg("Where the corrected fact is shown: the UN Treaty Collection page, a document symbol."),
        ),
    ),
    msg("Save the correction"),
)
_FACT_NAMES = {
    "status": msg("status"),
    "signature": msg("signature"),
    "consent": msg("ratification, accession or succession"),
    "denunciation": msg("denunciation"),
    "complaints": msg("acceptance of individual complaints"),
    "inquiry": msg("acceptance of the inquiry procedure"),
}
_STATUS_NAMES = {
    "party": msg("party"),
    "signatory": msg("signatory"),
    "no_action": msg("no action"),
    "denounced": msg("denounced"),
}
CORRECTION_CHOICES = {
    "instruments": [(i.code, f"{i.code} – {i.name}") for i in INSTRUMENTS],
    "facts": [(k.value, _FACT_NAMES[k.value]) for k in CORRECTABLE],
    "statuses": [(s.value, _STATUS_NAMES[s.value]) for s in CORRECTABLE_STATUSES],
}


def _fact(values: dict[str, str]) -> dict[str, str]:
    return {"value": values["value"], "date": values["date"], "citation": values["citation"]}


def _without(codes: list[str]) -> dict[str, str]:
    """alpha-3 -> the comparison's address without that state (its Remove link)."""
    return {
        c: "/compare?" + urlencode({"states": ",".join(o for o in codes if o != c)})
        for c in codes
        if len(codes) > 1
    }


def search_link(fixed: dict[str, str]) -> Callable[[str, str], str]:
    """Links from a chart's bar to the search it counts: the fixed filters plus the bar's value."""

    def link(name: str, value: str) -> str:
        return "/?" + urlencode([*fixed.items(), (name, value)])

    return link
