"""Every regular expression that reads outside input runs in linear time on adversarial text.

The patterns are collected, not listed: the module-level compiled ones (whatever built them, f-strings
included) and every literal pattern passed to ``re.*`` in the modules that read files, uploads or
search queries. Each runs over long runs of what breaks backtracking engines (digits, dotted and
comma-separated numbers, "and", spaces, brackets, capitals, quotes) in a child process that is
stopped past a bound far above what a linear scan needs: a pattern that backtracks exponentially,
or quadratically on a long run, fails here instead of holding an import or a web worker.

A few patterns only ever see input that is short by construction (a bracket's content, at most 400
characters); they are named below with the reason, and checked on input of that length.
"""

from __future__ import annotations

import ast
import importlib
import re
import time
from pathlib import Path

import pytest

import rightstrack
from rightstrack.ingest.budget import ImportTimedOut, call_within

SOURCE = Path(rightstrack.__file__).parent
MODULES = [
    "rightstrack.ingest.encoding",
    "rightstrack.ingest.review_hint",
    "rightstrack.ingest.uprinfo",
    "rightstrack.ingest.table",
    "rightstrack.ingest.table_cells",
    "rightstrack.ingest.table_mapping",
    "rightstrack.ingest.table_read",
    "rightstrack.ingest.uhri",
    "rightstrack.ingest.uhri_cells",
    "rightstrack.ingest.uhri_rows",
    "rightstrack.ingest.undocs.importer",
    "rightstrack.ingest.undocs.names",
    "rightstrack.ingest.undocs.numbers",
    "rightstrack.ingest.undocs.pdf",
    "rightstrack.ingest.undocs.recognise",
    "rightstrack.ingest.undocs.responses",
    "rightstrack.ingest.undocs.text",
    "rightstrack.ingest.undocs.thematic",
    "rightstrack.ingest.undocs.treaty",
    "rightstrack.ingest.undocs.upr",
    "rightstrack.engagement.dates",
    "rightstrack.engagement.hr_status",
    "rightstrack.engagement.instruments",
    "rightstrack.engagement.ohchr_export",
    "rightstrack.defenders.vocab",
    "rightstrack.model.states",
    "rightstrack.classify.thematic",
    "rightstrack.classify.crosswalk",
    "rightstrack.store.fulltext",
]
# Patterns applied only to short input, and how short: (module, pattern start) → characters.
SHORT_INPUT = {
    ("rightstrack.ingest.undocs.names", r"\s*[,;]\s*|\s+and\s+"): 400,  # a bracket's content
    ("rightstrack.ingest.undocs.names", r"\s+(?:and|&)\s+"): 400,
    ("rightstrack.ingest.undocs.names", r"^(?:and|&)\s+"): 400,
}
ATOMS = [
    "1", "1.", "1.1", "1, ", "1.1, ", "11.1 ", "1 and ", "1., ", "1-", "1–1", ". ", ", ", " and ", "a", "A",
    "a ", "A ", "Aa ", "(", ")", "(a", "(A, ", "((", "\"", "“a", " ", "\n", "1\n", "-", "/", "A/", "*",
    "140.1 ", "recommendations 1, ", "accepts recommendations 140.1, ", "Supported ", ": ", "a-\n", "a\ufffe",
]  # fmt: skip
LENGTH = 8_000
BOUND_SECONDS = 5.0
_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _literal_patterns(module: str) -> list[tuple[str, int]]:
    path = SOURCE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            flags = re.IGNORECASE if "IGNORECASE" in ast.unparse(node) else 0
            found.append((node.args[0].value, flags))
    return found


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    seen: dict[tuple[str, int], str] = {}
    for module in MODULES:
        loaded = importlib.import_module(module)
        for name, value in vars(loaded).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                seen.setdefault((value.pattern, value.flags), f"{module}.{name}")
        for pattern, flags in _literal_patterns(module):
            seen.setdefault((pattern, flags | re.UNICODE), f"{module}:{pattern[:40]}")
    return [(where, re.compile(pattern, flags)) for (pattern, flags), where in seen.items()]


PATTERNS = _patterns()


def _input_length(where: str, pattern: re.Pattern[str]) -> int:
    module = where.split(":")[0].rsplit(".", 1)[0] if ":" not in where else where.split(":")[0]
    for (owner, start), length in SHORT_INPUT.items():
        if owner in (module, where.split(":")[0]) and pattern.pattern.startswith(start):
            return length
    return LENGTH


def scan_adversarial(pattern: re.Pattern[str], length: int) -> float:
    """Run ``pattern`` over every adversarial text; the seconds it took."""
    started = time.perf_counter()
    for atom in ATOMS:
        for tail in ("", "!"):
            text = atom * max(1, length // len(atom)) + tail
            for _ in pattern.finditer(text):
                pass
    return time.perf_counter() - started


def test_the_collection_finds_the_patterns_that_read_documents() -> None:
    names = {where for where, _ in PATTERNS}
    assert "rightstrack.ingest.undocs.numbers._NUMBER" in names
    assert "rightstrack.ingest.undocs.responses._CUE" in names
    assert len(PATTERNS) > 80


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[where for where, _ in PATTERNS])
def test_pattern_is_linear_on_adversarial_text(where: str, pattern: re.Pattern[str]) -> None:
    try:
        call_within(BOUND_SECONDS, scan_adversarial, pattern, _input_length(where, pattern))
    except ImportTimedOut:
        pytest.fail(f"{where} ({pattern.pattern!r}) backtracks: over {BOUND_SECONDS:g} s on adversarial text")


def test_a_backtracking_pattern_is_caught() -> None:
    # The kind of pattern that held a 2025 addendum for hours: a repeated group of optional pieces.
    nested = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})?\.?,?\s*)+\s+(?=[A-Z])")
    with pytest.raises(ImportTimedOut):
        call_within(2.0, scan_adversarial, nested, 200)
