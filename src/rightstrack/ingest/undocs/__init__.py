"""Recommendations straight from UN documents (issue 3).

Importing :mod:`rightstrack.ingest.undocs.importer` registers two importers:

* ``document`` (:class:`UNDocumentImporter`): UPR Working Group reports (PDF, TXT, HTML, DOCX),
  with the responses of their ``…/Add.1`` when it lies in the same folder; an addendum given on
  its own is read together with its report; treaty-body concluding observations.
* ``thematic-list`` (:class:`ThematicListImporter`): OHCHR thematic lists and matrices (DOCX).

Lower-level entry points, for the store, the CLI and the evaluation: :func:`extract_text`,
:func:`recognise`, :func:`parse_report`, :func:`parse_addendum`, :func:`report_drafts`,
:func:`read_thematic_docx`, :func:`parse_concluding_observations`.
"""

from rightstrack.ingest.undocs.importer import (
    ThematicListImporter,
    UNDocumentImporter,
    report_drafts,
)
from rightstrack.ingest.undocs.recognise import DocumentMeta, recognise
from rightstrack.ingest.undocs.responses import Position, parse_addendum, resolve_numbers
from rightstrack.ingest.undocs.text import DocumentText, extract_text
from rightstrack.ingest.undocs.thematic import ThematicRow, read_thematic_docx
from rightstrack.ingest.undocs.treaty import Observation, parse_concluding_observations
from rightstrack.ingest.undocs.upr import Clause, Paragraph, parse_report

__all__ = [
    "Clause",
    "DocumentMeta",
    "DocumentText",
    "Observation",
    "Paragraph",
    "Position",
    "ThematicListImporter",
    "ThematicRow",
    "UNDocumentImporter",
    "extract_text",
    "parse_addendum",
    "parse_concluding_observations",
    "parse_report",
    "read_thematic_docx",
    "recognise",
    "report_drafts",
    "resolve_numbers",
]
