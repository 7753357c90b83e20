"""The demo database: the real UPR Info exports when they are at hand, else a small sample.

The sample is written by the project itself and says so in every record's source: it is
illustrative, not UN data.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.writer import ImportSummary

_EXPORT_NAME = re.compile(r"^\d+-\d+\.csv$")
SAMPLE_NAME = "illustrative-sample-not-un-data.csv"

# Illustrative recommendations in the style of the UPR: invented wording, real states.
_SAMPLE: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    (
        "Norway",
        "Sweden",
        "Strengthen the national human rights institution in line with the Paris Principles.",
        "Accepted",
        "4",
        "NHRI",
        1,
    ),
    (
        "Brazil",
        "Canada",
        "Investigate all allegations of excessive use of force by police officers.",
        "Accepted",
        "5",
        "Human rights violations by state agents,Justice",
        1,
    ),
    (
        "Brazil",
        "Ghana",
        "Continue its efforts to reduce poverty in rural areas.",
        "Accepted",
        "2",
        "Poverty,ESC rights - general",
        1,
    ),
    (
        "United States",
        "France",
        "Consider ratifying the Convention on the Rights of the Child.",
        "Noted",
        "3",
        "International instruments,Rights of the Child",
        9,
    ),
    (
        "United States",
        "Mexico",
        "Abolish the death penalty at the federal level.",
        "Noted",
        "5",
        "Death penalty",
        9,
    ),
    (
        "India",
        "Germany",
        "Adopt a law criminalising torture in line with the Convention against Torture.",
        "Accepted",
        "5",
        "Torture and other CID treatment",
        1,
    ),
    (
        "India",
        "Chile",
        "Ensure access to safe drinking water for all households.",
        "Accepted",
        "4",
        "Right to water",
        1,
    ),
    (
        "Kenya",
        "Finland",
        "Protect human rights defenders and journalists from threats and attacks.",
        "Accepted",
        "4",
        "Human rights defenders,Freedom of the press",
        8,
    ),
    (
        "Kenya",
        "Australia",
        "Extend a standing invitation to the special procedures.",
        "Noted",
        "5",
        "Special procedures",
        8,
    ),
    (
        "France",
        "Morocco",
        "Combat racial discrimination in access to housing and employment.",
        "Accepted",
        "4",
        "Racial discrimination,Right to housing,Labour",
        2,
    ),
    (
        "Philippines",
        "Spain",
        "Take measures to end extrajudicial killings and bring perpetrators to justice.",
        "Accepted",
        "5",
        "Extrajudicial executions,Impunity",
        1,
    ),
    (
        "Philippines",
        "Holy See",
        "Promote the right to education for girls in rural areas.",
        "Accepted",
        "4",
        "Right to education,Women's rights",
        1,
    ),
)


def write_sample(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["To", "Text", "From", "Response", "Action", "Issue", "Session"])
        for to, frm, text, response, action, issue, session in _SAMPLE:
            writer.writerow([to, f"[ILLUSTRATIVE] {text}", frm, response, action, issue, session])
    return path


def real_exports(folder: Path) -> list[Path]:
    found = folder / "upr-info"
    if not found.is_dir():
        return []
    return sorted(
        (p for p in found.iterdir() if _EXPORT_NAME.match(p.name)), key=lambda p: int(p.name.split("-")[0])
    )


def build_demo(db: Database, folder: Path, log: Callable[[str], None]) -> Iterator[ImportSummary]:
    exports = real_exports(folder)
    if exports:
        log(f"importing the UPR Info exports in {folder / 'upr-info'}")
    else:
        sample = write_sample(db_folder(db) / SAMPLE_NAME)
        log(f"{folder} has no UPR Info exports: loading a small ILLUSTRATIVE sample ({sample}), not UN data")
        exports = [sample]
    for path in exports:
        yield import_file(db, path, "upr-info")
    import_treaties(db, folder, log)


def treaty_files(folder: Path) -> list[Path]:
    found = folder / "treaties"
    if not found.is_dir():
        return []
    return sorted(
        p for p in found.iterdir() if p.suffix.lower() in (".csv", ".xls") and p.stem != "SOURCE-README"
    )


def import_treaties(db: Database, folder: Path, log: Callable[[str], None]) -> None:
    """Treaty status for the state profiles: the shared status tables and OHCHR export, if present."""
    from rightstrack.engagement.treaty_store import import_treaty_file

    files = treaty_files(folder)
    if not files:
        log(f"{folder} has no treaty-status files: state profiles will show no ratifications")
        return
    created = changed = 0
    for path in files:
        summary = import_treaty_file(db, path)
        created += summary.created
        changed += summary.statuses_changed
    log(f"treaty status: {len(files)} files, {created} facts created, {changed} statuses changed")


def db_folder(db: Database) -> Path:
    database = db.url.database
    if db.is_sqlite and database and database != ":memory:":
        return Path(database).parent
    return Path("data")
