"""The nouns that importers produce and the store keeps, as plain typed classes (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Response(StrEnum):
    """A state's position on a recommendation (UPR Info's scale, OHCHR's wording mapped onto it)."""

    SUPPORTED = "supported"
    SUPPORTED_IN_PART = "supported in part"
    NOTED = "noted"
    NO_RESPONSE = "no response"

    @classmethod
    def parse(cls, raw: str) -> Response | None:
        """Map the many spellings found in UN documents and exports; None when unrecognised."""
        key = " ".join(raw.lower().replace("-", " ").split()).strip(" .;:")
        return _RESPONSE_WORDS.get(key)


_RESPONSE_WORDS: dict[str, Response] = {
    "accepted": Response.SUPPORTED,
    "supported": Response.SUPPORTED,
    "support": Response.SUPPORTED,
    "enjoyed the support": Response.SUPPORTED,
    "partially accepted": Response.SUPPORTED_IN_PART,
    "partially supported": Response.SUPPORTED_IN_PART,
    "supported in part": Response.SUPPORTED_IN_PART,
    "partly supported": Response.SUPPORTED_IN_PART,
    "accepted in part": Response.SUPPORTED_IN_PART,
    "noted": Response.NOTED,
    "rejected": Response.NOTED,
    "not accepted": Response.NOTED,
    "not supported": Response.NOTED,
    "did not enjoy the support": Response.NOTED,
    "no response": Response.NO_RESPONSE,
    "pending": Response.NO_RESPONSE,
    "no clear position": Response.NO_RESPONSE,
    "general response": Response.NO_RESPONSE,
    # Follow-up tables kept in French or Spanish say their responses so (the UN's documents say
    # them in English).
    "acceptée": Response.SUPPORTED,
    "accepté": Response.SUPPORTED,
    "soutenue": Response.SUPPORTED,
    "appuyée": Response.SUPPORTED,
    "partiellement acceptée": Response.SUPPORTED_IN_PART,
    "notée": Response.NOTED,
    "prise en note": Response.NOTED,
    "rejetée": Response.NOTED,
    "aceptada": Response.SUPPORTED,
    "apoyada": Response.SUPPORTED,
    "parcialmente aceptada": Response.SUPPORTED_IN_PART,
    "anotada": Response.NOTED,
    "tomada nota": Response.NOTED,
    "rechazada": Response.NOTED,
}


class Provenance(StrEnum):
    """Where a tag on a record came from. Confirmed and rejected tags are never overwritten by a model."""

    IMPORTED = "imported"
    PREDICTED = "predicted"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class DocumentKind(StrEnum):
    DATASET_EXPORT = "dataset export"
    UPR_REPORT = "upr working group report"
    UPR_ADDENDUM = "upr response addendum"
    THEMATIC_LIST = "thematic list"
    MATRIX = "matrix"
    CONCLUDING_OBSERVATIONS = "concluding observations"
    OTHER = "other"


@dataclass(frozen=True)
class DocumentInfo:
    """A source file as an importer saw it. Documents are identified by sha256 (and symbol if any)."""

    path: str
    sha256: str
    kind: DocumentKind
    symbol: str | None = None
    language: str | None = None
    title: str | None = None


@dataclass
class RecommendationDraft:
    """One recommendation as read from a source, before names are resolved and rows are stored.

    ``recommenders`` holds names exactly as the source spells them; the store resolves them and
    reports the ones it cannot place. ``tags`` maps a tag family code to tag names, stored with
    provenance "imported". ``locator`` says where in the source the record stands (a line, a page
    and paragraph) so that every stored number can be traced back.
    """

    state_under_review: str
    mechanism: str
    text: str
    locator: str
    line: int | None = None
    cycle: int | None = None
    session: int | None = None
    year: int | None = None
    paragraph: str | None = None
    recommenders: list[str] = field(default_factory=list)
    response: Response | None = None
    response_source: str | None = None
    topic: str | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    symbol: str | None = None
    """The UN document this row cites, where a file mixes many (a UHRI export): matched against
    the documents already stored, and part of the fingerprint of rows outside the UPR."""
    external_id: tuple[str, str] | None = None
    """(scheme, value) of the row in its source's own numbering ("uhri", annotation id): a
    re-import of the same row, from any file, finds its record by it."""
    mechanism_name: str | None = None
    """The full name of a mechanism the project's list does not hold (a special procedure's mandate,
    ``mechanism`` being the code made from it): the store adds it as a special procedure."""
