"""The mid-term report through the city scenario: built, exported as DOCX and PDF, read back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import Connection, select

from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.commitments import add_commitment, add_measure
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    MeasureCreate,
    MeasureStatus,
    ProgressCreate,
    Visibility,
)
from rightstrack.followup.progress import add_assessment, add_progress
from rightstrack.followup.report import MidtermReport, midterm_report
from rightstrack.followup.report_render import pdf_safe, render_docx, render_pdf
from rightstrack.followup.schema import recommendation_links
from rightstrack.store.database import Database
from rightstrack.web.i18n import translations
from tests.followup.scenario import (
    PASSWORD,
    USE_OF_FORCE_1,
    USE_OF_FORCE_2,
    City,
    add_city_actors,
    build_city,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date(2026, 5, 1)
PLEDGE = "Adopt a municipal ordinance implementing CEDAW"


@pytest.fixture
def city(db: Database, tmp_path: Path) -> City:
    city = build_city(db, tmp_path)
    owner = city.access(city.chair)
    gotham, police = add_city_actors(city)
    earlier = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(USE_OF_FORCE_1),
            visibility=Visibility.PUBLIC,
            lead_actor_id=police,
        ),
    )
    later = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(USE_OF_FORCE_2), actor_ids=[gotham], lead_actor_id=police
        ),
    )
    add_commitment(db, owner, CommitmentCreate(title="CEDAW ordinance", pledge=PLEDGE, source="Council vote"))
    with db.transaction() as conn:
        _link(conn, city.recommendation(USE_OF_FORCE_2), city.recommendation(USE_OF_FORCE_1))
    _work_on(city, later, police, tmp_path)
    _public_work(city, earlier)
    return city


def _link(conn: Connection, later: int, earlier: int) -> None:
    """The cycle-2 ask repeats the cycle-1 one (an import may have linked them already)."""
    links = recommendation_links
    if conn.scalar(
        select(links.c.id).where(links.c.recommendation_id == later, links.c.earlier_id == earlier)
    ):
        return
    conn.execute(
        recommendation_links.insert(),
        {
            "recommendation_id": later,
            "earlier_id": earlier,
            "kind": "repeats",
            "score": 0.9,
            "method": "manual",
            "created_at": datetime.now(UTC),
        },
    )


def _work_on(city: City, commitment: int, police: int, tmp_path: Path) -> None:
    analyst = city.access(city.analyst)
    measure = add_measure(
        city.db,
        analyst,
        commitment,
        MeasureCreate(title="Publish a use-of-force policy", actor_id=police, due_on=date(2026, 3, 1)),
    )
    add_measure(
        city.db,
        analyst,
        commitment,
        MeasureCreate(title="Train officers", due_on=date(2026, 2, 1), status=MeasureStatus.DONE),
    )
    add_progress(
        city.db,
        analyst,
        commitment,
        ProgressCreate(reported_on=date(2026, 2, 1), text="Draft policy published.", measure_id=measure),
        files=[("draft-policy.pdf", PDF)],
        store=EvidenceStore(tmp_path / "evidence", max_bytes=1 << 20),
    )
    for who, kind, status, day in (
        ("Office of the Mayor", AssessorType.GOVERNMENT, ImplementationStatus.FULLY, 1),
        ("Gotham Justice Coalition", AssessorType.CIVIL_SOCIETY, ImplementationStatus.NOT_IMPLEMENTED, 15),
    ):
        add_assessment(
            city.db,
            city.access(city.ngo),
            commitment,
            AssessmentCreate(
                assessor_type=kind,
                assessor=who,
                status=status,
                assessed_on=date(2026, 4, day),
                source="Report",
            ),
        )


def _public_work(city: City, commitment: int) -> None:
    add_assessment(
        city.db,
        city.access(city.ngo),
        commitment,
        AssessmentCreate(
            assessor_type=AssessorType.NHRI,
            assessor="Commission for Human Rights – Łódź office",
            status=ImplementationStatus.PARTIALLY,
            assessed_on=date(2014, 9, 1),
            source="Mid-term review",
        ),
    )


def _report(city: City, access: WorkspaceAccess) -> MidtermReport:
    with city.db.read() as conn:
        return midterm_report(conn, access, TODAY)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_report_data_for_a_member(city: City) -> None:
    report = _report(city, city.access(city.chair))
    assert not report.public_edition and report.state == "United States of America"
    assert [c.title[:20] for c in report.commitments] == [
        "Take effective measu",
        "Take effective measu",
        "CEDAW ordinance",
    ]
    earlier, later, pledge = report.commitments
    assert later.lead == "Gotham Police Department" and later.other_actors == ("City of Gotham",)
    assert [(m.title, m.overdue) for m in later.measures] == [
        ("Train officers", False),
        ("Publish a use-of-force policy", True),
    ]
    assert later.disputed and later.claim and later.claim.status == "Fully implemented"
    assert later.independent and later.independent.assessor == "Gotham Justice Coalition"
    assert [r.text for r in later.repeats] == [USE_OF_FORCE_1]
    assert [r.text for r in earlier.repeated_later] == [USE_OF_FORCE_2]
    assert later.recommendation and later.recommendation.recommending_states == ("Ghana",)
    assert later.progress[0].evidence[0].filename == "draft-policy.pdf"
    assert len(later.progress[0].evidence[0].sha256_prefix) == 12
    assert pledge.recommendation is None and pledge.pledge_source == "Council vote"
    summary = {row.status: (row.government, row.independent) for row in report.summary}
    assert summary["Fully implemented"] == (1, 0)
    assert summary["Not implemented"] == (0, 1)
    assert summary["Partially implemented"] == (0, 1)
    assert report.overdue == 1 and report.disputed == 1


@pytest.mark.parametrize("render", [render_docx, render_pdf], ids=["docx", "pdf"])
def test_the_exported_document_says_what_the_report_holds(city: City, render: object) -> None:
    with city.db.read() as conn:
        report = midterm_report(conn, city.access(city.chair), TODAY, period="UPR cycle 4, mid-term")
    data = render(report)  # type: ignore[operator]
    text = _docx_text(data) if render is render_docx else _pdf_text(data)
    for expected in (
        "Gotham Human Rights Commission",
        "Prepared with rightstrack",
        "Internal edition",
        "Reporting period: UPR cycle 4, mid-term",
        "Status as of 2026-05-01",
        USE_OF_FORCE_2,
        "Gotham Police Department",
        "City of Gotham",
        "OVERDUE",
        "Publish a use-of-force policy",
        "Office of the Mayor",
        "Gotham Justice Coalition",
        "DISPUTED",
        "draft-policy.pdf",
        report.commitments[1].progress[0].evidence[0].sha256_prefix,
        "Recommended again in a later cycle",
        "Repeats an earlier recommendation",
        PLEDGE,
    ):
        assert expected in text, expected
    nhri = "Commission for Human Rights – Łódź office"
    assert (nhri if render is render_docx else pdf_safe(nhri)) in text


def test_a_public_export_by_a_non_member_lacks_private_records(city: City) -> None:
    for reader in (city.outsider, None):
        report = _report(city, city.access(reader))
        assert report.public_edition
        assert [c.text for c in report.commitments] == [USE_OF_FORCE_1]
        for text in (_docx_text(render_docx(report)), _pdf_text(render_pdf(report))):
            assert "Public edition" in text and USE_OF_FORCE_1 in text
            for private in ("draft-policy.pdf", "Office of the Mayor", PLEDGE, "Publish a use-of-force"):
                assert private not in text, private
            # the repetition is public corpus, so it is named although the workspace keeps its own
            # commitment on it private
            assert "Recommended again in a later cycle" in text


def test_pdf_characters_outside_the_built_in_fonts() -> None:
    assert pdf_safe("Łódź – “Habré” 東京") == "Lódz – “Habré” ??"


def test_pdf_with_a_truetype_font_keeps_every_character(city: City) -> None:
    fonts = sorted(Path("/usr/share/fonts").glob("**/LiberationSans-Regular.ttf")) + sorted(
        Path("/usr/share/fonts").glob("**/DejaVuSans.ttf")
    )
    if not fonts:
        pytest.skip("no TrueType font (Liberation Sans or DejaVu Sans) installed on this machine")
    text = _pdf_text(render_pdf(_report(city, city.access(city.chair)), font=fonts[0]))
    assert "Commission for Human Rights – Łódź office" in text


def test_a_long_assessment_note_does_not_break_the_pdf(city: City) -> None:
    report = _report(city, city.access(city.chair))
    later = report.commitments[1]
    note = "A long shadow report. " * 400
    longer = replace(later, others=(replace(later.others[0], note=note),))
    data = render_pdf(replace(report, commitments=(longer,)))
    assert "A long shadow report." in _pdf_text(data) and "Gotham Justice Coalition" in _pdf_text(data)


def _pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_first_page_is_not_left_blank(city: City) -> None:
    report = _report(city, city.access(city.chair))
    first = _pdf_pages(render_pdf(report))[0]
    assert "Gotham Human Rights Commission" in first and "Summary" in first and "Commitment" in first
    document = Document(io.BytesIO(render_docx(report)))
    assert not document.element.body.xpath('.//w:br[@w:type="page"]')  # no page break after the title


def test_counts_are_said_with_their_plurals(city: City) -> None:
    report = _report(city, city.access(city.chair))
    one = replace(report, commitments=report.commitments[1:2])
    text = _docx_text(render_docx(one))
    assert (
        "1 commitment; 1 overdue measure; 1 government claim disputed by an independent assessment." in text
    )
    assert "3 commitments; 1 overdue measure; 1 government claim disputed" in _docx_text(render_docx(report))


@pytest.mark.parametrize("render", [render_docx, render_pdf], ids=["docx", "pdf"])
def test_the_report_in_spanish(city: City, render: object) -> None:
    with city.db.read() as conn:
        report = midterm_report(conn, city.access(city.chair), TODAY, period="2022–2026")
    spanish = translations("es")
    data = render(report, spanish) if render is render_docx else render_pdf(report, catalogue=spanish)  # type: ignore[operator]
    text = _docx_text(data) if render is render_docx else _pdf_text(data)
    for expected in (
        "Informe de mitad de período sobre la aplicación de las recomendaciones",
        "Período que abarca: 2022–2026",
        "Situación a 2026-05-01",
        "3 compromisos; 1 medida atrasada; 1 afirmación del gobierno impugnada",
        "Plenamente aplicada",
        "IMPUGNADA",
        "ATRASADA",
        "recomendada por Ghana",
        USE_OF_FORCE_2,  # the recommendation's own words stay as the UN wrote them
    ):
        assert (expected if render is render_docx else pdf_safe(expected)) in text, expected
    for english in ("Mid-term report", "Government claim", "Lead actor", "OVERDUE"):
        assert english not in text, english


def test_a_commitment_is_kept_on_one_page(city: City) -> None:
    """Each commitment starts on a new page when it would otherwise run over the foot of one."""
    report = _report(city, city.access(city.chair))
    model = report.commitments[1]
    copies = tuple(
        replace(
            model,
            id=100 + n,
            title=f"Copy {n}",
            progress=tuple(replace(p, text=f"Progress of copy {n}.") for p in model.progress),
        )
        for n in range(8)
    )
    pages = _pdf_pages(render_pdf(replace(report, commitments=copies)))
    assert len(pages) > 2
    for n in range(8):
        starts = [i for i, page in enumerate(pages) if f"Commitment {100 + n}: Copy {n}" in page]
        ends = [i for i, page in enumerate(pages) if f"Progress of copy {n}." in page]
        assert starts == ends and len(starts) == 1, n
    document = Document(io.BytesIO(render_docx(replace(report, commitments=copies))))
    heading = next(p for p in document.paragraphs if p.text.startswith("Commitment 100: Copy 0"))
    assert heading.paragraph_format.keep_with_next
    assert document.element.body.xpath(".//w:trPr/w:cantSplit")  # table rows are not split either


def test_the_report_page_takes_a_period_and_a_language(city: City, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from rightstrack.settings import load_settings
    from rightstrack.web.app import create_app

    client = TestClient(create_app(city.db, load_settings({"data_dir": str(tmp_path)}, environ={})))
    client.post("/api/v1/login", json={"username": "chair", "password": PASSWORD})
    answer = client.get("/workspaces/gotham-hrc/report.docx", params={"period": "2022–2026", "lang": "fr"})
    assert answer.status_code == 200
    text = _docx_text(answer.content)
    assert "Période couverte : 2022–2026" in text and "Rapport à mi-parcours" in text
    board = client.get("/workspaces/gotham-hrc", params={"lang": "es"}).text
    assert 'name="period"' in board and '<option value="es" selected>' in board
