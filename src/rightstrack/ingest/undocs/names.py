"""Which bracketed names are recommending states: the one place that asks the state table.

Everything in this package that needs to know whether "France" or "ICCPR" is a state calls
:func:`is_recommender`; switching to another resolver means changing this module only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rightstrack.model.states import NameKind, classify_name, state_by_alpha3

_NOT_A_NAME = re.compile(
    r"\d|\b(?:Protocol|Convention|Covenant|Principles?|Act|Law|Code|Committee|Council|Rules|Statute|"
    r"Declaration|Programme|Plan|Strategy|Agenda|Resolution|Article|Paragraph|Recommendation)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def is_recommender(name: str) -> bool:
    """True when ``name`` names a state (the Holy See and Palestine included) or a territory.

    Only states make recommendations in a UN review: an organisation in brackets ("(ICRC)",
    "(UNHCR)", "(ILO)") is part of the text, not a recommender. Reports do write "(UK)", "(USA)",
    "(DRC)", which the state table knows as names; a bare ISO code that is no such name ("(NLD)", a
    party's acronym) is not taken for a state."""
    cleaned = name.strip(" .;:")
    found = classify_name(cleaned)
    if found.kind not in (NameKind.STATE, NameKind.TERRITORY):
        return False
    code_only = found.state is not None and cleaned.isupper() and len(cleaned) <= 3
    return not code_only or (found.state is not None and cleaned in found.state.aliases)


def state_label(name: str) -> str | None:
    """The state table's name for a state under review, or None when it is not a known state."""
    found = classify_name(name.strip(" .;:*"))
    return found.state.name if found.state is not None else None


def state_of_code(alpha3: str) -> str | None:
    try:
        return state_by_alpha3(alpha3).name
    except KeyError:
        return None


def _two_names(part: str) -> tuple[str, str] | None:
    """ "Trinidad and Tobago and Jamaica" → ("Trinidad and Tobago", "Jamaica"); a lost comma,
    "United Kingdom France" → ("United Kingdom", "France"): both sides must be names as they stand."""
    for match in re.finditer(r" (?:and|&) | ", part):
        left, right = part[: match.start()], part[match.end() :]
        if match.group(0) == " " and not (left[:1].isupper() and right[:1].isupper()):
            continue
        if is_recommender(left) and is_recommender(right):
            return left, right
    return None


@lru_cache(maxsize=8192)
def parse_recommenders(content: str) -> tuple[str, ...] | None:
    """The names in a bracket such as "(Slovakia, Spain)" or "(Trinidad and Tobago and Jamaica)".

    None when the bracket is not a list of recommenders ("(ICCPR)", "(Maputo Protocol)", "(No. 174)").
    A name the table does not know is kept (spelled as written) only when another name in the same
    bracket is known and it looks like a name; the store reports it.
    """
    content = " ".join(content.split()).strip(" .;:,")
    if not content or len(content) > 400:
        return None
    if is_recommender(content):
        return (content,)
    names: list[str] = []
    unknown = 0
    for part in re.split(r" ?[,;] ?", content):
        part = re.sub(r"^(?:and|&) ", "", part.strip(" ."))
        if not part:
            continue
        if is_recommender(part):
            names.append(part)
            continue
        if classify_name(part).kind is NameKind.NON_STATE:
            continue  # "(Canada, UNHCR)": the organisation is named in the ask, the state makes it
        pair = _two_names(part)
        if pair:
            names.extend(pair)
            continue
        if _NOT_A_NAME.search(part) or not part[:1].isupper() or part.isupper() or len(part.split()) > 8:
            return None
        names.append(part)
        unknown += 1
    if not names or unknown == len(names) or unknown > 1:
        return None
    return tuple(names)
