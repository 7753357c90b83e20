"""Importers for public datasets of killed defenders and journalists, as public-source cases.

Category mappings (documented in docs/SECURITY.md, "Imported data"):

* Global Witness (land and environmental defenders killed): each row is a case with one act,
  "Deliberate killing" (HURIDOCS 010101000000), defender profile environmental/land defender;
  ``perpetrator_type`` (comma-separated) maps onto HURIDOCS MT 24 through ``GW_PERPETRATORS``;
  ``industry_driver`` becomes the sector.
* CPJ (journalists killed): ``typeOfDeath`` Murder is a deliberate killing; Crossfire, Dangerous
  Assignment and unstated circumstances get extension codes (MT 4 has no term for them);
  ``sourcesOfFire`` maps through ``CPJ_PERPETRATORS``; the date is the year only.

Names, ages and localities are sealed like any other case's: the datasets are public, but a
record of ours must not become a easier place to harvest them. Records are matched on a keyed
hash of the source's own id, so importing a file again adds nothing, and changed facts become a
new version.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.defenders import cases, vocab
from rightstrack.defenders.access import Viewer
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.schema import hrd_cases
from rightstrack.errors import ErrorList, ImportFailed, Problem
from rightstrack.model.states import resolve_state
from rightstrack.store.database import Database

GW, CPJ = "global-witness", "cpj"
GW_PERPETRATORS = {
    "Hitmen": "nonstate.death_squad",
    "Private military actors": "nonstate.private_army",
    "Police": "state.police",
    "Organised crime / mafias": "nonstate.organised_crime",
    "Armed forces": "state.armed_forces",
    "Others": "other",
    "Landowners": "commercial.landowners",
    "Poachers": "other",
    "Private security guards": "nonstate.security_guards",
    "Government officials/entities": "state.executive.national",
    "Corporations": "commercial.corporation",
    "Unknown": "unknown",
    "NA": "unknown",
}
CPJ_PERPETRATORS = {
    "Political Group": "nonstate.political_group",
    "Military Officials": "state.armed_forces",
    "Government Officials": "state.executive.national",
    "Criminal Group": "nonstate.organised_crime",
    "Paramilitary Group": "nonstate.paramilitary",
    "Local Residents": "other",
    "Mob Violence": "nonstate.mob",
    "Unknown Fire": "unknown",
    "Unknown": "unknown",
}
CPJ_ACTS = {
    "Murder": vocab.KILLING,
    "Crossfire": "X-KILLED-CROSSFIRE",
    "Dangerous Assignment": "X-KILLED-ASSIGNMENT",
}
CPJ_UNSTATED = "X-KILLED-UNSTATED"
_UNKNOWN_TEXT = {"", "NA", "N/A", "Unknown"}


@dataclass
class ImportResult:
    dataset: str
    rows: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "skipped"},
            "skipped": [str(p) for p in self.skipped],
        }


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in _UNKNOWN_TEXT else value


def _slug(text: str) -> str:
    return "_".join(text.lower().replace("&", " ").replace("/", " ").split())


def _country(name: str) -> dict[str, Any]:
    state = resolve_state(name) if name else None
    return {"country": state.alpha3 if state else None, "country_name": name or None}


def _split_list(text: str, mapping: dict[str, str]) -> list[str]:
    found = [mapping.get(part.strip(), "other") for part in text.split(",") if part.strip()]
    return sorted(set(found)) or ["unknown"]


def _sex(value: str) -> str:
    return {"male": "male", "female": "female", "non-binary": "non_binary"}.get(
        value.strip().lower(), "unknown"
    )


def global_witness_case(row: dict[str, str]) -> dict[str, Any]:
    sex = _sex(row["gender"])
    profiles = [vocab.DefenderStatus.ENVIRONMENTAL_LAND.value]
    if sex == "female":
        profiles.append(vocab.DefenderStatus.WOMAN.value)
    industry = _clean(row["industry_driver"])
    act = {
        "act_type": vocab.KILLING,
        "victim_name": row["name"].strip(),
        "victim_sex": sex,
        "victim_age": _clean(row["age"]),
        "defender_status": profiles,
        "perpetrator_types": _split_list(row["perpetrator_type"], GW_PERPETRATORS),
        "sector": "unknown" if industry in (None, "Sector could not be confirmed") else _slug(str(industry)),
        "status_at_end": "dead",
    }
    return {
        "start_date": row["date"].strip(),
        **_country(row["country"].strip()),
        "locality": _clean(row["local_region"]),
        "provenance": "Global Witness, land and environmental defenders killed 2012-2023",
        "acts": [act],
    }


def cpj_case(row: dict[str, str]) -> dict[str, Any]:
    sex = _sex(row["gender"])
    profiles = [vocab.DefenderStatus.JOURNALIST.value]
    if sex == "female":
        profiles.append(vocab.DefenderStatus.WOMAN.value)
    act = {
        "act_type": CPJ_ACTS.get(row["typeOfDeath"].strip(), CPJ_UNSTATED),
        "victim_name": row["fullName"].strip(),
        "victim_sex": sex,
        "defender_status": profiles,
        "perpetrator_types": _split_list(row["sourcesOfFire"], CPJ_PERPETRATORS),
        "sector": "media",
        "status_at_end": "dead",
        "motive_confirmed": _clean(row["motiveConfirmed"]),
        "impunity": _clean(row["impunityMurder"]),
    }
    area = _clean(row["state"]) or _clean(row["province"]) or _clean(row["region"])
    return {
        "start_date": row["year"].strip(),
        **_country(row["country"].strip()),
        "admin_area": area,
        "locality": _clean(row["location"]),
        "provenance": "Committee to Protect Journalists, journalists killed 1992-2022",
        "acts": [act],
    }


def _natural_keys(dataset: str, rows: list[dict[str, str]]) -> list[str]:
    if dataset == GW:
        return [row["id"].strip() for row in rows]
    # CPJ exports have no id: the name, year, country and employer, numbered when repeated.
    seen: Counter[str] = Counter()
    keys = []
    for row in rows:
        base = json.dumps(
            [row["fullName"], row["year"], row["country"], row["organizations"], row["location"]]
        )
        seen[base] += 1
        keys.append(f"{base}#{seen[base]}")
    return keys


def detect(header: list[str]) -> str:
    if {"id", "perpetrator_type", "industry_driver"} <= set(header):
        return GW
    if {"fullName", "typeOfDeath", "sourcesOfFire"} <= set(header):
        return CPJ
    raise ImportFailed(f"not a Global Witness or CPJ export (columns: {', '.join(header[:8])} …)")


def import_dataset(db: Database, vault: Vault, who: Viewer, path: Path) -> ImportResult:
    """Import one file in one transaction; rows that cannot be read are reported, not guessed."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        dataset = detect(list(reader.fieldnames or []))
        rows = list(reader)
    builder = global_witness_case if dataset == GW else cpj_case
    result = ImportResult(dataset, rows=len(rows))
    problems = ErrorList(path.name)
    with db.transaction() as conn:
        known = _known(conn, dataset)
        parsed: dict[str, dict[str, Any]] = {}  # keyed reference → content; a repeated key is one record
        for line, (row, key) in enumerate(zip(rows, _natural_keys(dataset, rows), strict=True), start=2):
            name = row.get("name") or row.get("fullName") or ""
            date = row.get("date") or row.get("year") or ""
            if not name.strip() or not date.strip():
                problems.add("no name or date: not a record (a broken line in the export)", line=line)
                continue
            parsed[vault.blind_index(conn, f"{dataset}:{key}")] = builder(row)
        fresh = [ref for ref in parsed if ref not in known]
        cases.insert_cases(
            conn,
            vault,
            who,
            [parsed[r] for r in fresh],
            sensitivity="public",
            dataset=dataset,
            source_refs=fresh,
        )
        result.created = len(fresh)
        stored = cases.read_current(conn, vault, [known[r][0] for r in parsed if r in known])
        for ref, content in parsed.items():
            if ref not in known:
                continue
            if _same(stored[known[ref][0]], cases.validate(dict(content))):
                result.unchanged += 1
            else:
                cases.add_version(db, vault, who, known[ref][0], content, conn=conn)
                result.new_versions += 1
        result.skipped = problems.problems
        audit.record(
            conn,
            actor=who.label,
            action="import",
            entity=cases.ENTITY,
            after={k: v for k, v in result.as_dict().items() if k != "skipped"} | {"file": path.name},
        )
    return result


def _known(conn: Connection, dataset: str) -> dict[str, tuple[str, int]]:
    c = hrd_cases
    query = select(c.c.source_ref, c.c.id, c.c.current_version).where(c.c.dataset == dataset)
    return {r.source_ref: (r.id, r.current_version) for r in conn.execute(query)}


def _same(stored: dict[str, Any], fresh: dict[str, Any]) -> bool:
    stored = {k: v for k, v in stored.items() if k not in ("version", "recorded_by")}
    return json.dumps(stored, sort_keys=True, default=str) == json.dumps(fresh, sort_keys=True, default=str)
