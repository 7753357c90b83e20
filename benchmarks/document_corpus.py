"""Benchmark: every UN document we have, each through `rightstrack import auto` (issue 15).

Corpus (../shared/data): every file of slovenia/cycle1-3 (reports, addenda, thematic lists, national
reports, compilations, HRC decisions, legacy .doc, a scanned letter, an infographic), the two report
PDFs and all 261 report texts of upr-reports. Each file goes through ``import_file`` as the CLI's
``import auto`` does (format recognised from the content, read in a child process under the default
time budget, written to one SQLite database), and is one of:

* imported: kind recognised, recommendations read, responses among them;
* refused: a RightstrackError whose message names the file and says why;
* crashed: any other exception (a bug);
* timed out: stopped by the budget (a parser that should be linear is not).

Pages: a PDF's own; TXT, HTML and DOCX are counted in 3,000-character pages (about a UN page).
Targets: no file over 5 s, median time per page under 50 ms, no crash, no time-out, every refusal
names its file and gives a reason.

Run: .venv/bin/python benchmarks/document_corpus.py   → prints, saves benchmarks/results/document_corpus.json
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import func, select

from benchmarks.common import percentile, require_shared_data, save
from rightstrack.errors import RightstrackError
from rightstrack.importing import import_file
from rightstrack.ingest.base import sha256_of
from rightstrack.ingest.budget import ImportTimedOut, estimated_pages
from rightstrack.store import schema
from rightstrack.store.database import Database

MAX_FILE_SECONDS = 5.0
MAX_MEDIAN_PAGE_MS = 50.0


@dataclass
class FileResult:
    file: str
    outcome: str
    kind: str | None
    recommendations: int
    responses: int
    pages: int
    seconds: float
    reason: str | None = None

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / max(self.pages, 1)


def corpus(shared: Path) -> list[Path]:
    slovenia = sorted(p for p in (shared / "slovenia").rglob("*") if p.is_file())
    pdfs = sorted((shared / "upr-reports" / "pdf").glob("*.pdf"))
    texts = sorted((shared / "upr-reports" / "txt").glob("*.txt"))
    return [*slovenia, *pdfs, *texts]


def pages_of(path: Path) -> int:
    if path.read_bytes()[:4] == b"%PDF":
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return 1
        try:
            return len(document)
        finally:
            document.close()
    return estimated_pages(path.stat().st_size)


_KIND = re.compile(r"recognised: (upr working group report|upr response addendum|thematic list|"
                   r"concluding observations)")  # fmt: skip


def import_one(db: Database, path: Path) -> FileResult:
    pages = pages_of(path)
    started = time.perf_counter()
    try:
        summary = import_file(db, path)
    except ImportTimedOut as exc:
        return FileResult(
            path.name, "timed out", None, 0, 0, pages, time.perf_counter() - started, exc.message
        )
    except RightstrackError as exc:
        seconds = time.perf_counter() - started
        return FileResult(path.name, "refused", None, 0, 0, pages, seconds, exc.message)
    except Exception as exc:  # a bug: the benchmark counts it rather than stopping
        seconds = time.perf_counter() - started
        return FileResult(path.name, "crashed", None, 0, 0, pages, seconds, f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    kind = next((m.group(1) for note in summary.notes if (m := _KIND.search(note))), None)
    recommendations, responses = _stored(db, path)
    return FileResult(path.name, "imported", kind, recommendations, responses, pages, seconds)


def _stored(db: Database, path: Path) -> tuple[int, int]:
    """Recommendations the file is a source of, and how many of them carry a response."""
    d, s, r = schema.documents, schema.recommendation_sources, schema.recommendations
    query = (
        select(func.count(), func.count(r.c.response))
        .select_from(s.join(d, d.c.id == s.c.document_id).join(r, r.c.id == s.c.recommendation_id))
        .where(d.c.sha256 == sha256_of(path))
    )
    with db.read() as conn:
        total, answered = conn.execute(query).one()
    return int(total), int(answered)


def clear_refusal(result: FileResult) -> bool:
    """A refusal names the file and says why after it."""
    reason = result.reason or ""
    return result.file in reason and len(reason.split(result.file, 1)[1].strip(" :")) > 10


def run(files: list[Path]) -> tuple[list[FileResult], dict[str, object]]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'corpus.db'}")
        db.init()
        results = [import_one(db, path) for path in files]
        db.close()
    return results, totals(results)


def totals(results: list[FileResult]) -> dict[str, object]:
    per_page = [r.ms_per_page for r in results if r.outcome in ("imported", "refused")]
    slowest = max(results, key=lambda r: r.seconds)
    unclear = [r.file for r in results if r.outcome == "refused" and not clear_refusal(r)]
    figures: dict[str, object] = {
        "files": len(results),
        "outcomes": dict(Counter(r.outcome for r in results)),
        "kinds": dict(Counter(r.kind or "-" for r in results if r.outcome == "imported")),
        "recommendations": sum(r.recommendations for r in results),
        "responses": sum(r.responses for r in results),
        "slowest": {"file": slowest.file, "seconds": round(slowest.seconds, 3), "pages": slowest.pages},
        "median_ms_per_page": round(statistics.median(per_page), 2) if per_page else None,
        "p95_ms_per_page": round(percentile(per_page, 0.95), 2) if per_page else None,
        "total_seconds": round(sum(r.seconds for r in results), 2),
        "unclear_refusals": unclear,
    }
    figures["targets"] = {
        "no file over 5 s": slowest.seconds <= MAX_FILE_SECONDS,
        "median page under 50 ms": bool(per_page) and statistics.median(per_page) < MAX_MEDIAN_PAGE_MS,
        "no crash": not any(r.outcome in ("crashed", "timed out") for r in results),
        "every refusal clear": not unclear,
    }
    return figures


def main() -> int:
    shared = require_shared_data()
    results, figures = run(corpus(shared))
    print(f"{'file':44} {'outcome':9} {'kind':26} {'recs':>5} {'resp':>5} {'pages':>5} {'seconds':>8}")
    for r in results:
        print(
            f"{r.file[:44]:44} {r.outcome:9} {(r.kind or '-')[:26]:26} {r.recommendations:5} "
            f"{r.responses:5} {r.pages:5} {r.seconds:8.3f}"
        )
    print("\nrefusals:")
    for r in results:
        if r.outcome != "imported":
            print(f"  {r.file}: {(r.reason or '').splitlines()[0].split(r.file, 1)[-1].strip(' :')[:150]}")
    for key, value in figures.items():
        print(f"{key}: {value}")
    save("document_corpus", {**figures, "per_file": [asdict(r) | {"ms_per_page": round(r.ms_per_page, 2)}
                                                      for r in results]})  # fmt: skip
    return 0 if all(figures["targets"].values()) else 1  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
