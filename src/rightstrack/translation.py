"""The interface languages and their message catalogues, shared by the web pages and by the
documents the library writes itself (advocacy briefs), so a French page and a French brief say the
same words.

The catalogues are the ``.po`` files in ``web/locales/``, compiled in memory (Babel's ``write_mo``)
the first time a language is used: there is no build step and no ``.mo`` file to forget. Python
code marks the text it will translate later with ``N_("…")``; ``scripts/update-catalogs`` collects
those beside the templates' messages (see :func:`library_messages`).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from rightstrack.defenders.vocab import ACT_TYPES

_PACKAGE = Path(__file__).parent
LOCALES = _PACKAGE / "web" / "locales"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT = "en"
# Library modules whose N_() messages are interface text (beside the templates).
MESSAGE_SOURCES: tuple[Path, ...] = (_PACKAGE / "brief",)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues; it is translated where it is shown, in that language."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    if lang == DEFAULT:
        return NullTranslations()
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext(lang: str, message: str, **values: Any) -> str:
    """``message`` in ``lang``, its ``%(name)s`` placeholders filled from ``values``."""
    translated = translations(lang).gettext(message)
    return translated % values if values else translated


# Values the store keeps in English that pages and briefs show in the reader's language:
# group → value → msgid.
LABELS: dict[str, dict[str, str]] = {
    "status": {
        "party": "party",
        "signatory": "signatory",
        "no_action": "no action",
        "denounced": "denounced",
        "unknown": "unknown",
    },
    "response": {
        "supported": "supported",
        "supported in part": "supported in part",
        "noted": "noted",
        "no response": "no response",
        "none": "no response",
    },
    "treaty_action": {
        "signature": "signature",
        "ratification": "ratification",
        "accession": "accession",
        "succession": "succession",
        "ratification or accession": "ratification or accession",
        "denunciation": "denunciation",
        "acceptance of individual complaints": "acceptance of individual complaints",
        "acceptance of the inquiry procedure": "acceptance of the inquiry procedure",
    },
    "fact": {
        "status": "status",
        "signature": "signature",
        "consent": "ratification, accession or succession",
        "denunciation": "denunciation",
        "complaints": "acceptance of individual complaints",
        "inquiry": "acceptance of the inquiry procedure",
    },
    "event_kind": {
        "hrc_membership": "Human Rights Council membership",
        "withdrawal": "withdrawal",
        "upr_participation": "UPR participation",
        "upr_non_participation": "UPR non-participation",
        "midterm_report": "mid-term report",
        "standing_invitation": "standing invitation to special procedures",
        "special_procedure_visit": "special procedure visit",
        "overdue_report": "overdue treaty body report",
        "contribution": "contribution",
        "withholding": "withholding",
        "sanctions_on_staff": "sanctions against UN or ICC staff",
    },
    "facet": {
        "state": "State under review",
        "state_group": "Regional group of the state under review",
        "mechanism": "Mechanism",
        "body": "Committee or mandate",
        "cycle": "Cycle",
        "session": "Session",
        "year": "Year",
        "response": "Response",
        "recommending_state": "Recommending states",
        "recommending_group": "Regional group of the recommending states",
        "upr_issue": "Issues (UPR Info)",
        "upr_action": "Action category (UPR Info)",
        "uhri_theme": "Themes (UHRI)",
        "affected_persons": "Affected persons",
        "sdg": "Sustainable Development Goals",
    },
    "regional_group": {"none": "No regional group"},
    "mechanism_kind": {
        "upr": "UPR",
        "treaty body": "Treaty bodies",
        "special procedures": "Special procedures",
    },
    "act_type": dict(ACT_TYPES),
}


def label(lang: str, group: str, value: Any) -> str:
    """``label("fr", "status", "no_action")`` → "aucune action"; unknown values as they are."""
    msgid = LABELS[group].get(str(value))
    if msgid is None:
        return str(value).replace("_", " ") if group == "facet" else str(value)
    return translations(lang).gettext(msgid)


def library_messages() -> dict[str, list[str]]:
    """Every msgid the library shows: the ``label()`` tables and the ``N_()`` marks in
    MESSAGE_SOURCES, each with where it is used."""
    from babel.messages.extract import extract

    found: dict[str, list[str]] = {}
    for table in LABELS.values():
        for msgid in table.values():
            found.setdefault(msgid, ["translation.py:LABELS"])
    for folder in MESSAGE_SOURCES:
        for path in sorted(folder.glob("*.py")):
            with path.open("rb") as source:
                for _, message, _, _ in extract("python", source, keywords={"N_": None}):
                    if isinstance(message, str) and message:
                        found.setdefault(message, []).append(path.name)
    return found
