"""``--review STATE[:SESSION]``: what the user knows about a file's review, checked against the file.

A hint fills what a source leaves out (a thematic list that never names its session, a report whose
first page is missing) and refuses a file that contradicts it, so a mislabelled upload cannot land
in the wrong review.
"""

from __future__ import annotations

from dataclasses import dataclass

from rightstrack.errors import ImportFailed, InvalidInput, Problem
from rightstrack.ingest.base import ImportBatch
from rightstrack.model.states import resolve_state
from rightstrack.model.upr import cycle_of_session, year_of_session


@dataclass(frozen=True)
class ReviewHint:
    state: str
    """ISO 3166 alpha-3 code."""
    session: int | None = None

    @classmethod
    def parse(cls, text: str) -> ReviewHint:
        name, _, session_text = text.strip().partition(":")
        found = resolve_state(name.strip()) if name.strip() else None
        if found is None:
            raise InvalidInput(f"--review {text!r}: {name.strip()!r} is not a known state (try SVN:20)")
        session: int | None = None
        if session_text.strip():
            if not session_text.strip().isdigit() or cycle_of_session(int(session_text)) is None:
                raise InvalidInput(f"--review {text!r}: {session_text!r} is not a UPR session number")
            session = int(session_text)
        return cls(found.alpha3, session)

    @classmethod
    def from_options(cls, review: str | None, state: str | None) -> ReviewHint | None:
        """``--review STATE[:SESSION]`` and ``--state STATE`` together: one hint, or None."""
        hint = cls.parse(review) if review and review.strip() else None
        if not state or not state.strip():
            return hint
        named = resolve_state(state.strip())
        if named is None:
            raise InvalidInput(f"--state {state!r}: not a known state (a name or an ISO code, such as SVN)")
        if hint is not None and hint.state != named.alpha3:
            raise InvalidInput(f"--state {state} and --review {review} name different states")
        return hint or cls(named.alpha3)

    def apply(self, batch: ImportBatch) -> None:
        """Fill missing review fields from the hint; refuse the file when it says otherwise."""
        problems: list[Problem] = []
        for draft in batch.drafts:
            said = resolve_state(draft.state_under_review) if draft.state_under_review else None
            if draft.state_under_review and (said is None or said.alpha3 != self.state):
                problems.append(
                    _conflict(batch, draft.locator, "state", draft.state_under_review, self.state)
                )
            if self.session is None:
                continue
            if draft.session is not None and draft.session != self.session:
                problems.append(_conflict(batch, draft.locator, "session", draft.session, self.session))
        if problems:
            raise ImportFailed(
                f"{batch.document.path}: the file does not match --review {self.state}"
                + (f":{self.session}" if self.session else ""),
                problems[:20],
            )
        for draft in batch.drafts:
            draft.state_under_review = draft.state_under_review or self.state
            if self.session is not None and draft.mechanism == "UPR":
                draft.session = self.session
                draft.cycle = draft.cycle or cycle_of_session(self.session)
                draft.year = draft.year or year_of_session(self.session)


def _conflict(batch: ImportBatch, locator: str, field: str, found: object, hinted: object) -> Problem:
    return Problem(
        f"{locator}: the file says {field} {found}, --review says {hinted}", batch.document.path, field=field
    )
