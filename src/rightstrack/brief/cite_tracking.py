"""Citations of what others publish: a tracking workspace's public record (the workspace, one of its
commitments) and the public report on attacks against human rights defenders.

Both are read as an anonymous visitor reads them, so a citation can never point at a private
commitment or at a count the public report withholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select

from rightstrack.brief.citations import Context
from rightstrack.brief.model import Citation
from rightstrack.brief.phrases import Phrases
from rightstrack.defenders import patterns
from rightstrack.defenders.access import ANONYMOUS, MIN_PUBLIC_COUNT
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.followup.access import workspace_access
from rightstrack.followup.commitments import get_commitment
from rightstrack.followup.schema import fu_workspaces
from rightstrack.store.database import Database
from rightstrack.translation import N_


class WorkspaceSource:
    kind = "workspace"

    def cite(self, slug: str, name: str, say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=slug,
            label=say.say(N_("%(workspace)s, public tracking record"), workspace=name),
            url=f"/workspaces/{slug}",
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        w = fu_workspaces
        rows = ctx.conn.execute(select(w.c.slug, w.c.name).where(w.c.slug.in_(list(refs))))
        return {row.slug: self.cite(row.slug, row.name, ctx.say) for row in rows}


class CommitmentSource:
    """One public commitment of a workspace: its claim and independent assessments."""

    kind = "commitment"

    def cite(self, slug: str, name: str, commitment_id: int, say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=f"{slug}/{commitment_id}",
            label=say.say(
                N_("%(workspace)s, public tracking record: commitment %(id)s"),
                workspace=name,
                id=commitment_id,
            ),
            url=f"/workspaces/{slug}/commitments/{commitment_id}",
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        out = {}
        for ref in refs:
            slug, _, number = ref.rpartition("/")
            if not number.isdigit():
                continue
            try:
                access = workspace_access(ctx.conn, slug, None)
                get_commitment(ctx.conn, access, int(number))
            except NotFound:
                continue
            out[ref] = self.cite(slug, str(access.workspace["name"]), int(number), ctx.say)
        return out


def public_defenders_report(db: Database, by: Sequence[str]) -> dict[str, Any]:
    """The public aggregate report, exactly as the defenders pages publish it (small counts
    suppressed there, not here)."""
    return patterns.report(db, ANONYMOUS, list(by), audience="public")


class DefendersSource:
    """One cell of the public report on attacks against defenders, with its count."""

    kind = "defenders_report"

    def cite(self, by: Sequence[str], row: dict[str, Any], say: Phrases) -> Citation:
        cell = {name: str(row[name]) for name in by}
        ref = urlencode([("by", ",".join(by)), *cell.items()])
        shown = [say.state(v) if k == "country" else say.label("act_type", v) for k, v in cell.items()]
        return Citation(
            kind=self.kind,
            ref=ref,
            label=say.say(
                N_(
                    "Public report on attacks against human rights defenders: %(cell)s "
                    "(counts below %(minimum)s withheld)"
                ),
                cell=", ".join(shown),
                minimum=MIN_PUBLIC_COUNT,
            ),
            url=f"/defenders/patterns?{urlencode([('by', ','.join(by))])}",
            value=row["count"],
        )

    @staticmethod
    def _report(ctx: Context, by: tuple[str, ...]) -> dict[str, Any]:
        key = ("defenders", by)
        if key not in ctx.memo:
            ctx.memo[key] = public_defenders_report(ctx.db, by)
        report: dict[str, Any] = ctx.memo[key]
        return report

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        out = {}
        for ref in refs:
            cell = dict(parse_qsl(ref))
            by = tuple(cell.pop("by", "").split(","))
            try:
                report = self._report(ctx, by)
            except InvalidInput:  # not dimensions the report knows
                continue
            for row in report["rows"]:
                if all(str(row.get(k)) == v for k, v in cell.items()):
                    out[ref] = self.cite(by, row, ctx.say)
        return out


WORKSPACE = WorkspaceSource()
COMMITMENT = CommitmentSource()
DEFENDERS = DefendersSource()
SOURCES = (WORKSPACE, COMMITMENT, DEFENDERS)
