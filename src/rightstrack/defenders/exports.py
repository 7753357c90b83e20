"""What leaves the system: the submission pack for a UN special rapporteur and the public export.

Both are default-deny: they copy named fields, never whole records. The pack honours consent: a
victim's name only when the act's ``victim_consent`` allows UN mechanisms, a source's statement
only when the source's consent does, and a source's identity never.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rightstrack.auth import audit
from rightstrack.defenders import casework, patterns
from rightstrack.defenders.access import Access, Viewer, public_view
from rightstrack.defenders.cases import ENTITY, read_version, require, visible_cases
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.vocab import ACT_TYPES, Consent, Sensitivity
from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database

UN_OK = {Consent.UN_MECHANISMS.value, Consent.PUBLIC_ANONYMISED.value}
WITHHELD_NAME = "[name withheld: no consent to share with UN mechanisms]"
PACK_CASE_FIELDS = (
    "start_date",
    "date_precision",
    "country",
    "country_name",
    "admin_area",
    "locality",
    "summary",
)


def submission_pack(db: Database, vault: Vault, who: Viewer, case_ids: Sequence[str]) -> dict[str, Any]:
    if not case_ids or len(case_ids) > 100:
        raise InvalidInput("a pack holds 1 to 100 cases")
    entries = []
    with db.transaction(bump=False) as conn:  # only an audit event
        for case_id in case_ids:
            case, _ = require(conn, who, case_id, Access.READ)
            content = read_version(conn, vault, case_id, case.current_version)
            shared_sources = []
            withheld = 0
            for source in casework.sources(conn, vault, who, case_id):
                if source["consent"] in UN_OK:
                    shared_sources.append(
                        {
                            k: source[k]
                            for k in ("connection", "reliability", "corroboration_count", "statement")
                        }
                    )
                else:
                    withheld += 1
            entries.append(
                {
                    "reference": case_id,
                    **{k: content.get(k) for k in PACK_CASE_FIELDS},
                    "acts": [_pack_act(act) for act in content.get("acts", [])],
                    "sources": shared_sources,
                    "sources_withheld_for_consent": withheld,
                    "previous_interventions": [
                        {k: i[k] for k in ("mechanism", "kind", "opened_on", "status", "next_due")}
                        | {"reference": i["details"].get("reference")}
                        for i in casework.interventions(conn, vault, case_id)
                    ],
                    "related_events": casework.links(conn, who, case_id),
                }
            )
        audit.record(
            conn, actor=who.label, action="export pack", entity=ENTITY, after={"cases": list(case_ids)}
        )
    return {"addressee": "UN Special Rapporteur on the situation of human rights defenders", "cases": entries}


def _pack_act(act: dict[str, Any]) -> dict[str, Any]:
    consented = act.get("victim_consent") in UN_OK
    return {
        "act_type": act.get("act_type"),
        "act": ACT_TYPES.get(str(act.get("act_type")), act.get("act_type")),
        "victim": act.get("victim_name") if consented else WITHHELD_NAME,
        "defender_status": act.get("defender_status"),
        "perpetrator_types": act.get("perpetrator_types"),
        "status_at_end": act.get("status_at_end"),
    }


def public_export(db: Database, who: Viewer) -> dict[str, Any]:
    """Public cases through the public whitelist, plus the public patterns report."""
    with db.transaction(bump=False) as conn:  # only an audit event
        records = [
            public_view(ref.id, ref.sensitivity, public)
            for ref, _, public in visible_cases(conn, who)
            if ref.sensitivity == Sensitivity.PUBLIC
        ]
        audit.record(conn, actor=who.label, action="export", entity=ENTITY, after={"records": len(records)})
    return {
        "records": records,
        "patterns": patterns.report(db, who, "act_type,country,year", audience="public"),
    }
