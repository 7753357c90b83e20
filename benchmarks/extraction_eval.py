"""Evaluate the UN-document extractor against reference data (issue 3).

Corpora (from ../shared/data):
* upr-reports/txt (261 Working Group reports) against upr-reports/parsed (someone else's parse);
* upr-reports/pdf (2 original PDFs) against the same reference;
* slovenia/cycle1-3: Working Group report + Add.1 against OHCHR's thematic lists (cycles 2, 3) and,
  for cycle 1, against the parsed reference (paragraphs and states) and, for responses, against
  our reading of its addendum by hand (SLOVENIA_CYCLE1_NOT_SUPPORTED).

Unit: the UN paragraph ("92.1"). The reference splits a paragraph into one row per recommending
state and numbers extra clauses "92.1.1", "92.1.2"; its rows are grouped back by paragraph.

Run: .venv/bin/python benchmarks/extraction_eval.py   → prints, and saves benchmarks/results/extraction.json
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightstrack.errors import ImportFailed  # noqa: E402
from rightstrack.ingest.undocs import (  # noqa: E402
    extract_text,
    parse_addendum,
    read_thematic_docx,
    recognise,
    report_drafts,
)
from rightstrack.model.records import RecommendationDraft, Response  # noqa: E402
from rightstrack.model.states import classify_name  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results" / "extraction.json"
_REF_RESPONSE = {
    "support": Response.SUPPORTED,
    "implemented": Response.SUPPORTED,
    "reject": Response.NOTED,
    "noted": Response.NOTED,
    "consider": None,
    "part": Response.SUPPORTED_IN_PART,
}

# Slovenia's cycle-1 addendum (A/HRC/14/15/Add.1) answers each of the 97 recommendations in prose;
# read by hand on 2026-11-23, every answer accepts except these (our reading, not the reference's):
# 111.1 "cannot, at this point in time, make a definitive statement"; 111.3, 111.32, 111.58 accept
# one part and cannot accept another; 111.84, 111.88, 111.93 "cannot / does not accept".
SLOVENIA_CYCLE1_NOT_SUPPORTED = {
    "111.1": "noted",
    "111.3": "part",
    "111.32": "part",
    "111.58": "part",
    "111.84": "noted",
    "111.88": "noted",
    "111.93": "noted",
}


@dataclass
class RefParagraph:
    texts: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    decision: str = ""


@dataclass
class Score:
    found: int = 0
    expected: int = 0
    matched: int = 0
    state_tp: int = 0
    state_found: int = 0
    state_expected: int = 0
    response_checked: int = 0
    response_correct: int = 0
    similarity: list[float] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    examples: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "paragraphs_found": self.found,
            "paragraphs_expected": self.expected,
            "paragraphs_matched": self.matched,
            "paragraph_precision": ratio(self.matched, self.found),
            "paragraph_recall": ratio(self.matched, self.expected),
            "state_precision": ratio(self.state_tp, self.state_found),
            "state_recall": ratio(self.state_tp, self.state_expected),
            "responses_checked": self.response_checked,
            "response_accuracy": ratio(self.response_correct, self.response_checked),
            "text_similarity_mean": round(sum(self.similarity) / len(self.similarity), 4)
            if self.similarity
            else None,
            "text_similarity_below_0_9": sum(1 for s in self.similarity if s < 0.9),
            "failures": {k: sorted(v) for k, v in self.failures.items()},
            "examples": self.examples[:40],
        }


def state_key(name: str) -> str:
    found = classify_name(name)
    return found.label if found.kind.value != "unknown" else " ".join(name.lower().split())


def words(text: str) -> str:
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", text)
    text = re.sub(r"\)\s*\);?\s*$", ")", text)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def load_reference() -> dict[tuple[str, int], dict[str, RefParagraph]]:
    reference: dict[tuple[str, int], dict[str, RefParagraph]] = defaultdict(dict)
    for path in sorted((DATA / "upr-reports" / "parsed").glob("*.csv")):
        with path.open(encoding="latin-1", newline="") as handle:
            for row in csv.DictReader(handle):
                row = {k.lower(): (v or "") for k, v in row.items() if k}
                match = re.match(r"\s*(\d{1,3})\.\s?(\d{1,3})(?:\.(\d{1,3}))?", row["text"])
                if not match or not row["year"].strip().isdigit():
                    continue
                key = (re.sub(r"[^a-z]", "", row["to"].lower()), int(row["year"]))
                number = f"{match.group(1)}.{match.group(2)}"
                paragraph = reference[key].setdefault(number, RefParagraph())
                text = row["text"]
                if text not in paragraph.texts:
                    paragraph.texts.append(text)
                # The reference writes "NA" for "no state given" (not Namibia, whose code it is).
                if row["from"].strip() not in ("", "NA"):
                    paragraph.states.add(state_key(row["from"].strip()))
                paragraph.decision = paragraph.decision or row["decision"].strip().lower()
    return reference


def compare(
    name: str,
    drafts: list[RecommendationDraft],
    expected: dict[str, RefParagraph],
    score: Score,
    check_responses: bool,
) -> None:
    ours = {d.paragraph: d for d in drafts if d.paragraph}
    score.found += len(ours)
    score.expected += len(expected)
    common = set(ours) & set(expected)
    score.matched += len(common)
    missing = sorted(set(expected) - set(ours))
    extra = sorted(set(ours) - set(expected))
    if missing:
        score.failures["missed paragraphs"].append(
            f"{name}: {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}"
        )
    if extra:
        score.failures["extra paragraphs (not in reference)"].append(
            f"{name}: {', '.join(extra[:8])}{' …' if len(extra) > 8 else ''}"
        )
    for number in sorted(common):
        draft, ref = ours[number], expected[number]
        got = {state_key(s) for s in draft.recommenders}
        score.state_found += len(got)
        score.state_expected += len(ref.states)
        score.state_tp += len(got & ref.states)
        if got != ref.states and len(score.examples) < 200:
            score.failures["recommending states differ"].append(
                f"{name} {number}: ours {sorted(got)} ref {sorted(ref.states)}"
            )
        sim = difflib.SequenceMatcher(
            None, words(draft.text), words(" ".join(ref.texts)), autojunk=False
        ).ratio()
        score.similarity.append(sim)
        if sim < 0.9:
            score.failures["text similarity < 0.9"].append(f"{name} {number}: {sim:.2f}")
        if check_responses and ref.decision in _REF_RESPONSE:
            want = _REF_RESPONSE[ref.decision]
            score.response_checked += 1
            if draft.response == want:
                score.response_correct += 1
            else:
                score.failures["response differs"].append(
                    f"{name} {number}: ours {draft.response} ref {ref.decision}"
                )


def run_txt(reference: dict[tuple[str, int], dict[str, RefParagraph]]) -> dict[str, Any]:
    score = Score()
    files = sorted((DATA / "upr-reports" / "txt").glob("*.txt"))
    started = time.perf_counter()
    no_reference = []
    for path in files:
        stem = re.match(r"([a-z\-]+)(\d{4})", path.stem.lower())
        assert stem
        key = (re.sub(r"[^a-z]", "", stem.group(1)), int(stem.group(2)))
        try:
            doc = extract_text(path)
            drafts = report_drafts(doc, recognise(doc))
        except ImportFailed as exc:
            score.failures["not recognised / import failed"].append(
                f"{path.name}: {exc.message[len(str(path)) + 2 :][:120]}"
            )
            drafts = []
        if key not in reference:
            no_reference.append(path.name)
            continue
        compare(path.name, drafts, reference[key], score, check_responses=True)
    elapsed = time.perf_counter() - started
    result = score.summary()
    result["files"] = len(files)
    result["files_without_reference"] = no_reference
    result["seconds"] = round(elapsed, 2)
    result["documents_per_second"] = round(len(files) / elapsed, 1)
    return result


def run_pdfs(reference: dict[tuple[str, int], dict[str, RefParagraph]]) -> dict[str, Any]:
    score = Score()
    timings: dict[str, Any] = {}
    for path in sorted((DATA / "upr-reports" / "pdf").glob("*.pdf")):
        stem = re.match(r"([a-z]+)(\d{4})", path.stem)
        assert stem
        started = time.perf_counter()
        doc = extract_text(path)
        drafts = report_drafts(doc, recognise(doc))
        timings[path.name] = {"pages": len(doc.pages), "seconds": round(time.perf_counter() - started, 3)}
        compare(
            path.name, drafts, reference[(stem.group(1), int(stem.group(2)))], score, check_responses=True
        )
    result = score.summary()
    result["timings"] = timings
    return result


def run_slovenia(reference: dict[tuple[str, int], dict[str, RefParagraph]]) -> dict[str, Any]:
    base = DATA / "slovenia"
    cycles = {
        1: ("cycle1/g1012049.pdf", "cycle1/g1012465.pdf", None),
        2: (
            "cycle2/g1423930.pdf",
            "cycle2/g1504261.pdf",
            "cycle2/UPR20__Slovenia_ThematicListRecommendations_E.docx",
        ),
        3: (
            "cycle3/g1934994.pdf",
            "cycle3/g2004192.pdf",
            "cycle3/UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
        ),
    }
    results: dict[str, Any] = {}
    for cycle, (report, addendum, thematic) in cycles.items():
        score = Score()
        started = time.perf_counter()
        doc = extract_text(base / report)
        meta = recognise(doc)
        add_doc = extract_text(base / addendum)
        add_meta = recognise(add_doc)
        drafts = report_drafts(doc, meta, parse_addendum(add_doc, add_meta.symbol))
        seconds = time.perf_counter() - started
        if thematic:
            expected: dict[str, RefParagraph] = {}
            for row in read_thematic_docx(base / thematic):
                if row.paragraph:
                    ref = expected.setdefault(row.paragraph, RefParagraph())
                    ref.texts.append(row.text)
                    ref.states |= {state_key(s) for s in row.recommenders}
                    ref.decision = {Response.SUPPORTED: "support", Response.NOTED: "noted"}.get(
                        row.response or Response.NO_RESPONSE, ""
                    )
            against = "OHCHR thematic list " + thematic
        else:
            expected = reference[("slovenia", 2010)]
            for number, ref in expected.items():
                ref.decision = SLOVENIA_CYCLE1_NOT_SUPPORTED.get(number, "support")
            against = (
                "upr-reports/parsed (no thematic list for cycle 1); responses read by hand from its Add.1"
            )
        compare(f"slovenia cycle {cycle}", drafts, expected, score, check_responses=True)
        summary = score.summary()
        summary.update(
            symbol=meta.symbol,
            addendum=add_meta.symbol,
            against=against,
            seconds_report_and_addendum=round(seconds, 3),
            responses=dict(Counter(str(d.response) for d in drafts)),
        )
        results[f"cycle{cycle}"] = summary
    return results


def main() -> None:
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} not found: the evaluation needs the shared data folder")
    reference = load_reference()
    report: dict[str, Any] = {
        "unit": "UN paragraph (reference rows grouped by paragraph number x.y; x.y.k clauses folded in)",
        "txt_261": run_txt(reference),
        "pdf_2": run_pdfs(reference),
        "slovenia": run_slovenia(reference),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for corpus in ("txt_261", "pdf_2"):
        print(corpus, _headline(report[corpus]))
    for cycle, summary in report["slovenia"].items():
        print("slovenia", cycle, _headline(summary))
    txt = report["txt_261"]
    print(
        f"speed: {txt['documents_per_second']} documents/s on the txt corpus; "
        f"PDFs: {report['pdf_2']['timings']}"
    )
    print("failure causes (txt):", {k: len(v) for k, v in txt["failures"].items()})
    print(f"saved {RESULTS}")


def _headline(summary: dict[str, Any]) -> str:
    keys = (
        "paragraphs_found",
        "paragraphs_expected",
        "paragraph_precision",
        "paragraph_recall",
        "state_precision",
        "state_recall",
        "responses_checked",
        "response_accuracy",
        "text_similarity_mean",
    )
    return ", ".join(f"{k}={summary[k]}" for k in keys)


if __name__ == "__main__":
    main()
