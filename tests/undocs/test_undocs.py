"""UN-document extraction: fixtures written as code, real documents when ../shared/data exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.errors import ImportFailed
from rightstrack.ingest.base import importers
from rightstrack.ingest.undocs import (
    UNDocumentImporter,
    extract_text,
    parse_addendum,
    parse_concluding_observations,
    parse_report,
    recognise,
    report_drafts,
)
from rightstrack.ingest.undocs.importer import ThematicListImporter
from rightstrack.ingest.undocs.names import parse_recommenders
from rightstrack.ingest.undocs.responses import expand_list, prose_response, resolve_numbers
from rightstrack.ingest.undocs.text import DocumentText, Page, plain_text
from rightstrack.model.records import DocumentKind, Response
from tests.undocs.fixtures import addendum_pdf, docx_table, pdf_bytes, report_pdf

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(not SHARED.is_dir(), reason=f"real data folder {SHARED} is not present")

CYCLE1_TXT = (
    "United Nations A/HRC/8/29 General Assembly Report of the Working Group on the Universal Periodic "
    "Review Algeria 1. The Working Group held its first session. The review of Algeria was held on 14 "
    "April 2008. II. CONCLUSIONS AND/OR RECOMMENDATIONS 69. The recommendations formulated during the "
    "interactive dialogue have been examined by Algeria and the recommendations listed below enjoy the "
    "support of Algeria: 1. \tThe establishment of a round table (Kuwait). 2. \tThat Algeria share its "
    "experience (Sudan). 70. The following recommendations will be examined by Algeria: 1. Consider "
    "ratifying the Rome Statute (Slovakia, Spain); ratify the Rome Statute (Costa Rica); 2. Abolish the "
    "death penalty (Italy). 71. The recommendations below did not enjoy the support of Algeria: 1. Ratify "
    "the Optional Protocol (ICCPR) (Chile). 72. All conclusions and/or recommendations contained in the "
    "present report reflect the position of the submitting State(s). Annex Composition of the delegation"
)


def test_pdf_report_drops_headers_footnotes_and_joins_hyphens(tmp_path: Path) -> None:
    doc = extract_text(report_pdf(tmp_path / "g1299999.pdf"))
    assert "GE.12-99999" not in doc.flat and "footnote" not in doc.flat
    meta = recognise(doc)
    assert (meta.symbol, meta.kind, meta.state, meta.session, meta.cycle) == (
        "A/HRC/99/7",
        DocumentKind.UPR_REPORT,
        "France",
        13,
        2,
    )
    drafts = report_drafts(doc, meta)
    assert [d.paragraph for d in drafts] == ["90.1", "90.2", "90.3"]
    first, second, third = drafts
    assert first.recommenders == ["Denmark", "Brazil", "Chad"]  # "(Maputo Protocol)" is no state
    assert "non-discrimination of migrants" in second.text and second.recommenders == ["Lithuania"]
    assert second.locator == "A/HRC/99/7 para 90.2, page 1" and third.locator.endswith("page 2")
    assert all(d.response is None for d in drafts)  # still to be examined


def test_split_clauses_gives_one_draft_per_ask(tmp_path: Path) -> None:
    doc = extract_text(report_pdf(tmp_path / "r.pdf"))
    drafts = report_drafts(doc, recognise(doc), split_clauses=True)
    assert [d.recommenders for d in drafts if d.paragraph == "90.1"] == [["Denmark", "Brazil"], ["Chad"]]


def test_cycle1_layout_grouped_by_response() -> None:
    doc = plain_text(CYCLE1_TXT, "algeria.txt")
    meta = recognise(doc)
    paragraphs = parse_report(doc)
    got = {p.number: (p.response, p.recommenders) for p in paragraphs}
    assert got == {
        "69.1": (Response.SUPPORTED, ["Kuwait"]),
        "69.2": (Response.SUPPORTED, ["Sudan"]),
        "70.1": (None, ["Slovakia", "Spain", "Costa Rica"]),
        "70.2": (None, ["Italy"]),
        "71.1": (Response.NOTED, ["Chile"]),
    }
    assert meta.state == "Algeria" and meta.symbol == "A/HRC/8/29"
    assert len(paragraphs[2].clauses) == 2


def test_responses_given_after_the_list_or_as_the_state_noting_them() -> None:
    # ghana2008: the list, then "69. The recommendations listed above enjoy the support of Ghana.";
    # vietnam2009: "Viet Nam noted the following recommendations".
    text = (
        "United Nations A/HRC/8/29 Report of the Working Group on the Universal Periodic Review Ghana "
        "1. The review of Ghana was held on 14 April 2008. II. Conclusions and/or recommendations "
        "68. In the course of the discussion, the following recommendations were made to Ghana: "
        "1. Reinforce the campaign against violence against women (France); "
        "2. Adopt a plan on housing (Brazil). "
        "69. The recommendations listed above enjoy the support of Ghana. "
        "70. Ghana noted the following recommendations: 1. Abolish the death penalty (Italy). "
        "71. The following recommendations did not enjoy the support of Ghana: 1. Ratify CAT (Austria); "
        "2. Ratify OP-CAT (Chile). "
        "72. All conclusions and/or recommendations contained in the present report reflect the position "
        "of the submitting State(s)."
    )
    got = {p.number: (p.response, p.recommenders) for p in parse_report(plain_text(text, "ghana.txt"))}
    assert got == {
        "68.1": (Response.SUPPORTED, ["France"]),
        "68.2": (Response.SUPPORTED, ["Brazil"]),
        "70.1": (Response.NOTED, ["Italy"]),
        "71.1": (Response.NOTED, ["Austria"]),
        "71.2": (Response.NOTED, ["Chile"]),
    }


def test_txt_with_cp1252_and_mac_roman_artefacts(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(
        CYCLE1_TXT.replace("share its", "share women’s “Miséria”").encode("cp1252").replace(b"\t", b"\r")
    )
    doc = extract_text(path)
    assert "women’s “Miséria”" in doc.flat
    assert len(report_drafts(doc, recognise(doc))) == 5


def test_recommender_brackets() -> None:
    assert parse_recommenders("Slovakia, Spain") == ("Slovakia", "Spain")
    assert parse_recommenders("Trinidad and Tobago and Jamaica") == ("Trinidad and Tobago", "Jamaica")
    assert parse_recommenders("Venezuela (Bolivarian Republic of)") is not None
    for not_states in (
        "ICCPR",
        "Maputo Protocol",
        "No. 174",
        "ICC",
        "ICRC",
        "UNHCR",
        "ILO",
        "NLD",
        "European Union",
    ):
        assert parse_recommenders(not_states) is None, not_states
    # Reports do abbreviate some states; those abbreviations are names in the state table.
    assert [parse_recommenders(s) for s in ("UK", "USA", "DRC", "Holy See")] == [
        ("UK",),
        ("USA",),
        ("DRC",),
        ("Holy See",),
    ]
    assert parse_recommenders("Canada, UNHCR") == ("Canada",)  # the organisation is part of the ask


def test_addendum_lists_ranges_and_prose() -> None:
    assert expand_list("1–3, 14, 122.30-32 and 140.1–140.2") == [
        "1",
        "2",
        "3",
        "14",
        "122.30",
        "122.31",
        "122.32",
        "140.1",
        "140.2",
    ]
    lists = DocumentText(
        "add.pdf",
        [
            Page(
                2,
                (
                    "3. The Government accepts the following recommendations 122.1, 122.3-4. "
                    "4. For the time being, the Government notes recommendations 122.2, 121.5. "
                    "Recommendations 122.6 and 122.7 are partially accepted."
                ),
            )
        ],
    )
    found = parse_addendum(lists, "A/HRC/1/1/Add.1")
    assert {k: v.response for k, v in found.items()} == {
        "122.1": Response.SUPPORTED,
        "122.3": Response.SUPPORTED,
        "122.4": Response.SUPPORTED,
        "122.2": Response.NOTED,
        "121.5": Response.NOTED,
        "122.6": Response.SUPPORTED_IN_PART,
        "122.7": Response.SUPPORTED_IN_PART,
    }
    assert found["122.1"].source == "A/HRC/1/1/Add.1, page 2"
    prose = DocumentText(
        "add.pdf",
        [
            Page(
                1,
                (
                    "1. Slovenia cannot, at this point in time, make a definitive statement. "
                    "2. Slovenia accepts the recommendation. "
                    "3., 4. Slovenia accepts these recommendations. 5. Slovenia accepts the part on "
                    "training but cannot accept the part on a new law."
                ),
            )
        ],
    )
    positions = resolve_numbers(parse_addendum(prose, None), ["111.1", "111.2", "111.3", "111.4", "111.5"])
    assert {k: v.response for k, v in positions.items()} == {
        "111.1": Response.NOTED,
        "111.2": Response.SUPPORTED,
        "111.3": Response.SUPPORTED,
        "111.4": Response.SUPPORTED,
        "111.5": Response.SUPPORTED_IN_PART,
    }
    assert prose_response("The Government notes this recommendation.") is Response.NOTED
    assert prose_response("Slovenia accepts this. It has noted that rates fall.") is Response.SUPPORTED


def test_addendum_table_with_a_wrapped_number_column() -> None:
    # The number column wraps into the answer ("… the 6., 8. decision"); 4 and 7 are answered after.
    wrapped = DocumentText(
        "add.pdf",
        [
            Page(
                1,
                "1. Slovenia accepts the recommendation. 2., 3., 5., Slovenia accepts these recommendations "
                "in the light of the 6., 8. decision of the Court. 4. Slovenia cannot accept the "
                "recommendation. 7. Slovenia accepts the recommendation. 9. Slovenia accepts the "
                "recommendation. Its report of 2010. Says more.",
            )
        ],
    )
    positions = {k: str(v.response) for k, v in parse_addendum(wrapped, None).items()}
    assert positions == {str(n): "supported" for n in (1, 2, 3, 5, 6, 8, 7, 9)} | {"4": "noted"}


CO_PAGES = [
    "United Nations CCPR/C/USA/CO/5\nInternational Covenant on Civil and Political Rights\n"
    "Concluding observations on the fifth periodic report of the United States of America*\n"
    "1. The Committee considered the fifth periodic report of the United States of America.\n"
    "A. Positive aspects\n2. The Committee welcomes the adoption of the Act.\n"
    "Death penalty\n3. The Committee is concerned about the continued use of the death penalty.\n"
    "4. The Committee recommends that the State party:\n(a) Establish a moratorium;\n"
    "(b) Ensure that no innocent person is executed.\n",
    "Freedom of expression\n5. The State party should review its legislation on\n"
    "defamation and urges nothing else.\n6. The Committee urges the State party to repeal the law.\n",
]


def test_concluding_observations(tmp_path: Path) -> None:
    doc = DocumentText("co.pdf", [Page(i + 1, text) for i, text in enumerate(CO_PAGES)])
    meta = recognise(doc)
    assert (meta.symbol, meta.kind, meta.mechanism, meta.state) == (
        "CCPR/C/USA/CO/5",
        DocumentKind.CONCLUDING_OBSERVATIONS,
        "CCPR",
        "United States of America",
    )
    found = parse_concluding_observations(doc)
    assert [(o.number, o.topic, o.page) for o in found] == [
        ("4", "Death penalty", 1),
        ("5", "Freedom of expression", 2),
        ("6", "Freedom of expression", 2),
    ]
    assert "(b) Ensure that no innocent person is executed." in found[0].text
    path = tmp_path / "co.pdf"
    path.write_bytes(
        pdf_bytes([[(10, 780 - 14 * i, line) for i, line in enumerate(p.splitlines())] for p in CO_PAGES])
    )
    batch = UNDocumentImporter().read(path)
    assert [d.paragraph for d in batch.drafts] == ["4", "5", "6"]
    assert batch.drafts[0].mechanism == "CCPR" and batch.drafts[0].locator == "CCPR/C/USA/CO/5 para 4, page 1"


def test_importer_reads_report_with_its_addendum_next_to_it(tmp_path: Path) -> None:
    report_pdf(tmp_path / "g1.pdf")
    addendum_pdf(tmp_path / "g2.pdf")
    batch = UNDocumentImporter().read(tmp_path / "g1.pdf")
    assert {d.paragraph: d.response for d in batch.drafts} == {
        "90.1": Response.SUPPORTED,
        "90.2": Response.NOTED,
        "90.3": Response.SUPPORTED,
    }
    assert batch.document.symbol == "A/HRC/99/7"
    via_addendum = UNDocumentImporter().read(tmp_path / "g2.pdf")
    assert via_addendum.document.kind is DocumentKind.UPR_ADDENDUM and len(via_addendum.drafts) == 3
    assert {"document", "thematic-list"} <= set(importers())


def test_thematic_list_docx(tmp_path: Path) -> None:
    path = docx_table(
        tmp_path / "UPR34_Ruritania_France_Thematic_list.docx",
        [
            "Recommendation",
            "Position",
            "Full list of themes",
            "Assessment/comments on level of implementation",
        ],
        [
            ["Theme: Acceptance of international norms"] * 4,
            [
                "121.1 Ratify the Convention (France) (Lithuania);\n"
                "Source of Position: A/HRC/43/15 - Para 121",
                "Supported",
                "- Acceptance of international norms\nSDGs: \n- 16 - PEACE\n"
                "Affected persons: \n- Disappeared persons",
                "",
            ],
        ],
    )
    batch = ThematicListImporter().read(path)
    (draft,) = batch.drafts
    assert (draft.paragraph, draft.recommenders, draft.response, draft.topic) == (
        "121.1",
        ["France", "Lithuania"],
        Response.SUPPORTED,
        "Acceptance of international norms",
    )
    assert draft.tags == {
        "uhri_theme": ["Acceptance of international norms"],
        "sdg": ["16 - PEACE"],
        "affected_persons": ["Disappeared persons"],
    }
    assert draft.state_under_review == "France" and batch.document.symbol == "A/HRC/43/15"


def test_matrix_with_separate_columns(tmp_path: Path) -> None:
    # Another layout: states, source of position, affected persons and SDGs each in a column.
    path = docx_table(
        tmp_path / "UPR99_France_matrix.docx",
        ["No.", "Recommendation", "Recommending State(s)", "Position", "Source of position",
         "Affected persons", "SDGs", "Assessment"],
        [
            ["1", "99.4 Abolish the death penalty", "Norway\nIceland", "Noted", "A/HRC/99/7/Add.1, para 5",
             "- Persons deprived of their liberty", "16 - PEACE", ""],
            ["2", "99.5 Ratify OP-CAT (Chile)", "Chile", "Supported", "", "", "",
             "Partially implemented: bill tabled"],
        ],
    )  # fmt: skip
    batch = ThematicListImporter().read(path)
    draft, ratify = batch.drafts
    assert ratify.recommenders == ["Chile"] and ratify.response is Response.SUPPORTED
    notes = [(n.message, n.line, n.field) for n in batch.notes]
    assert notes[0][0].startswith("recognised: thematic list (France, session 99")
    assert notes[1][0].startswith("1 rows carry an implementation assessment") and notes[1][1:] == (
        3,
        "assessment",
    )
    assert (draft.paragraph, draft.recommenders, draft.response) == (
        "99.4",
        ["Norway", "Iceland"],
        Response.NOTED,
    )
    assert draft.response_source == "A/HRC/99/7/Add.1, para 5"
    assert draft.tags == {"affected_persons": ["Persons deprived of their liberty"], "sdg": ["16 - PEACE"]}


def test_thematic_list_with_unexpected_columns(tmp_path: Path) -> None:
    path = docx_table(
        tmp_path / "matrix.docx", ["Recommendation", "Colour", "Mood"], [["1.1 Do (France)", "red", "ok"]]
    )
    with pytest.raises(ImportFailed) as caught:
        ThematicListImporter().read(path)
    assert (
        "matrix.docx" in str(caught.value)
        and "'Colour'" in str(caught.value)
        and "'Mood'" in str(caught.value)
    )


def test_image_only_pdf_asks_for_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[]]))
    with pytest.raises(ImportFailed, match=r"scan\.pdf.*OCR"):
        extract_text(path)


def test_encrypted_and_corrupt_pdf(tmp_path: Path) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ImportFailed, match="encrypted"):
        extract_text(locked)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(ImportFailed, match=r"broken\.pdf.*not a readable PDF"):
        extract_text(broken)


def test_not_a_review_document(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(
        pdf_bytes([[(10, 700, "Dear colleague, please find the minutes of our meeting attached.")]])
    )
    with pytest.raises(ImportFailed, match=r"letter\.pdf: not a UN review document"):
        UNDocumentImporter().read(path)


@needs_data
def test_real_pdf_report_and_speed() -> None:
    import time

    started = time.perf_counter()
    doc = extract_text(SHARED / "upr-reports" / "pdf" / "brazil2012.pdf")
    drafts = report_drafts(doc, recognise(doc))
    assert time.perf_counter() - started < 2.0
    assert len(drafts) == 170 and drafts[0].locator == "A/HRC/21/11 para 119.1, page 14"
    assert drafts[-1].recommenders == ["Holy See"]


@needs_data
def test_real_slovenia_cycle3_matches_thematic_list() -> None:
    batch = UNDocumentImporter().read(SHARED / "slovenia" / "cycle3" / "g1934994.pdf")
    responses = [d.response for d in batch.drafts]
    assert len(batch.drafts) == 215
    assert responses.count(Response.SUPPORTED) == 182 and responses.count(Response.NOTED) == 33


@needs_data
def test_real_slovenia_cycle2_takes_its_responses_from_the_addendum_not_the_thematic_list() -> None:
    # The thematic list lying beside the report cites A/HRC/28/15/Add.1 near its top; it must not
    # be taken for the addendum itself (it once was: 115.2 came out "supported in part").
    from rightstrack.ingest.undocs.thematic import read_thematic_docx

    folder = SHARED / "slovenia" / "cycle2"
    batch = UNDocumentImporter().read(folder / "g1423930.pdf")
    assert "responses read from g1504261.pdf" in [note.message for note in batch.notes]
    thematic = read_thematic_docx(folder / "UPR20__Slovenia_ThematicListRecommendations_E.docx")
    expected = {row.paragraph: row.response for row in thematic if row.paragraph}
    assert len(batch.drafts) == len(expected) == 163
    assert {d.paragraph: d.response for d in batch.drafts} == expected


@needs_data
def test_real_slovenia_cycle1_answers_every_recommendation() -> None:
    # A/HRC/14/15/Add.1 answers in a two-column table whose number column wraps ("77., 78., 79.,
    # 82.," … "83., 85., 86., 87.") and then answers 80 and 81; and "43., 44. 45." misses a comma.
    batch = UNDocumentImporter().read(SHARED / "slovenia" / "cycle1" / "g1012049.pdf")
    responses = {d.paragraph: d.response for d in batch.drafts}
    assert len(responses) == 97 and None not in responses.values()
    not_supported = {number: str(r) for number, r in responses.items() if r is not Response.SUPPORTED}
    assert not_supported == {
        "111.1": "noted",
        "111.3": "supported in part",
        "111.32": "supported in part",
        "111.58": "supported in part",
        "111.84": "noted",
        "111.88": "noted",
        "111.93": "noted",
    }


REPORT_LINES = [
    "United Nations A/HRC/99/7",
    "Report of the Working Group on the Universal Periodic Review",
    "France",
    "1. The Working Group held its thirteenth session. The review of France was held on 25 May 2012.",
    "II. Conclusions and/or recommendations",
    "90. The following recommendations will be examined by France, which will respond in due course:",
    "90.1. Ratify the Optional Protocol to the Convention against Torture (Denmark, Brazil);",
    "90.2. Guarantee non-discrimination of migrants in law and in practice (Viet Nam).",
    "91. All conclusions and/or recommendations contained in the present report reflect the position "
    "of the submitting State(s).",
]


def _report_as(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"A_HRC_99_7{suffix}"
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for line in REPORT_LINES:
            document.add_paragraph(line)
        document.save(str(path))
    else:
        body = "".join(f"<p>{line}</p>\n" for line in REPORT_LINES)
        path.write_text(f"<html><head><title>A/HRC/99/7</title></head><body>{body}</body></html>")
    return path


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_report_as_docx_or_html(tmp_path: Path, suffix: str) -> None:
    batch = UNDocumentImporter().read(_report_as(tmp_path, suffix))
    assert batch.document.symbol == "A/HRC/99/7" and batch.document.kind is DocumentKind.UPR_REPORT
    assert [(d.paragraph, d.recommenders) for d in batch.drafts] == [
        ("90.1", ["Denmark", "Brazil"]),
        ("90.2", ["Viet Nam"]),
    ]
    assert batch.drafts[0].session == 13 and batch.drafts[0].state_under_review == "France"


def test_footnote_markers_after_the_states_are_dropped() -> None:
    # Text exports glue footnote numbers to the bracket: "(France)5;" (lesotho2010, 97.33).
    from rightstrack.ingest.undocs.upr import split_clauses_of

    clauses = split_clauses_of("Implement a plan (France)5; raise the age of responsibility (Brazil)12.")
    assert [(c.text, c.recommenders) for c in clauses] == [
        ("Implement a plan (France);", ["France"]),
        ("raise the age of responsibility (Brazil).", ["Brazil"]),
    ]
    # dominicanrepublic2010 89.4: the State's comment follows the bracket after a colon; kept whole.
    (commented,) = split_clauses_of("Stop cancelling documents (United States): This is not acceptable.")
    assert commented.recommenders == ["United States"] and commented.text.endswith("not acceptable.")
    (kept,) = split_clauses_of("Implement resolution 1325 (2000) fully (Chile).")
    assert kept.text == "Implement resolution 1325 (2000) fully (Chile)." and kept.recommenders == ["Chile"]


def test_a_footnote_run_into_a_paragraph_is_not_part_of_it() -> None:
    # lesotho2010 100.9: a page-end footnote lands after the paragraph in the text export.
    text = (
        "United Nations A/HRC/15/7 Report of the Working Group on the Universal Periodic Review Lesotho "
        "1. The review of Lesotho was held on 5 May 2010. II. Conclusions and/or recommendations "
        "100. The following recommendations will be examined by Lesotho: "
        "1. Sign and ratify OP-CAT and CED (Spain); 7 Recommendation originally read: “Adopt legislation "
        "criminalizing female genital mutilation (FGM) as well as to protect children” (Germany). "
        "2. Reconsider the reservation to article 2 of CEDAW (Norway). "
        "101. All conclusions and/or recommendations contained in the present report reflect the position "
        "of the submitting State(s)."
    )
    first, second = parse_report(plain_text(text, "lesotho.txt"))
    assert (first.number, first.recommenders, first.text) == (
        "100.1",
        ["Spain"],
        "Sign and ratify OP-CAT and CED (Spain);",
    )
    assert second.recommenders == ["Norway"]
