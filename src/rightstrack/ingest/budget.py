"""Reading a document under a time budget, in a process of its own that can be stopped.

A pattern that backtracks, a damaged PDF that sends pdfium round in circles or a zip bomb inside a
DOCX must not hold the importer, or a web worker, for good. A Python thread cannot be stopped and
the regular-expression engine does not look at signals, so a budgeted read runs in a child process
(forked from a small preloaded server, so starting one costs milliseconds): the parent waits for
its answer until the budget is spent, then kills it and says how far it had got.

The budget grows with the document: ``base_seconds`` plus ``seconds_per_page`` for every page the
child reports (a PDF's page count as soon as it is open; an estimate of 3,000 characters a page for
text, HTML and DOCX). Parsers report where they are with :func:`reached`, which costs nothing
outside a budgeted read.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightstrack.errors import ImportFailed, Problem, RightstrackError
from rightstrack.ingest.base import ImportBatch, Importer, ProgressCallback

CHARACTERS_PER_PAGE = 3000
"""A UN document page holds about this many characters; TXT, HTML and DOCX pages are estimated."""

_PRELOAD = ["rightstrack.ingest.undocs.importer", "pypdfium2", "docx"]


@dataclass(frozen=True)
class ReadBudget:
    """How long one document may take to read, and how much memory its reader may use."""

    seconds_per_page: float = 2.0
    base_seconds: float = 5.0
    memory_mb: int = 2048

    @classmethod
    def from_settings(cls, settings: Any) -> ReadBudget | None:
        """The budget the settings set; None when ``import_seconds_per_page`` is 0 (read in-process)."""
        per_page = float(settings.import_seconds_per_page)
        if per_page <= 0:
            return None
        return cls(per_page, float(settings.import_base_seconds), int(settings.import_memory_mb))

    def seconds_for(self, pages: int | None) -> float:
        return self.base_seconds + self.seconds_per_page * max(pages or 0, 0)

    def describe(self, pages: int | None) -> str:
        size = f"a {pages}-page document" if pages else "a document whose size was not yet known"
        return (
            f"the time budget for {size}: {self.base_seconds:g} s + {self.seconds_per_page:g} s a page "
            "(settings import_base_seconds, import_seconds_per_page)"
        )


class ImportTimedOut(ImportFailed):
    """A document took longer than its budget; its reader was stopped and nothing was stored."""

    code = "import_timed_out"


# -- the child's side: where the reader has got to -------------------------------------------------


class _Reporter:
    """Sends the parent what the reader has reached, once per change (a pipe write is cheap, but
    a parser may call this for every paragraph)."""

    def __init__(self, conn: multiprocessing.connection.Connection) -> None:
        self.conn = conn
        self.last: tuple[Any, ...] = ()

    def send(self, *message: Any) -> None:
        if message[0] != "at" or message != self.last:
            self.last = message
            self.conn.send(message)


_reporter: _Reporter | None = None


def report_pages(pages: int) -> None:
    """A document of ``pages`` pages (or that many 3,000-character pages) is being read: the budget
    grows by as many pages (a report read with its addendum has the pages of both)."""
    if _reporter is not None:
        _reporter.send("pages", max(int(pages), 1))


def report_characters(characters: int) -> None:
    report_pages(estimated_pages(characters))


def estimated_pages(characters: int) -> int:
    return max(1, -(-characters // CHARACTERS_PER_PAGE))


def reached(where: str) -> None:
    """Where the reader is ("page 3", "table row 40"): said in the error if the budget runs out."""
    if _reporter is not None:
        _reporter.send("at", where)


@dataclass(frozen=True)
class _Read:
    importer: Importer
    path: Path

    def __call__(self, progress: ProgressCallback) -> ImportBatch:
        return self.importer.read(self.path, progress)


@dataclass(frozen=True)
class _Call:
    function: Callable[..., Any]
    args: tuple[Any, ...]

    def __call__(self, progress: ProgressCallback) -> Any:
        return self.function(*self.args)


def _child_main(
    conn: multiprocessing.connection.Connection, task: Callable[[ProgressCallback], Any], memory_mb: int
) -> None:
    global _reporter
    _limit_memory(memory_mb)
    _reporter = _Reporter(conn)
    try:
        _perform(conn, task)
    finally:
        conn.close()


def _serve(conn: multiprocessing.connection.Connection, memory_mb: int) -> None:
    """A worker's loop: tasks one after the other, until the parent hangs up."""
    global _reporter
    _limit_memory(memory_mb)
    _reporter = _Reporter(conn)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        _reporter.last = ()
        _perform(conn, task)


def _perform(conn: multiprocessing.connection.Connection, task: Callable[[ProgressCallback], Any]) -> None:
    def progress(done: int, total: int | None) -> None:
        conn.send(("progress", done, total))

    conn.send(("started",))
    try:
        conn.send(("done", task(progress)))
    except RightstrackError as exc:
        conn.send(("failed", exc))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # a crash inside a reader is reported, not raised in the child
        message = f"{type(exc).__name__}: {str(exc)[:300]}"
        conn.send(("crashed", f"{message}\n{traceback.format_exc(limit=8)[-3000:]}"))


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# -- the parent's side -----------------------------------------------------------------------------

_context: Any = None


_STARTING = threading.Lock()


@contextlib.contextmanager
def _without_main_script() -> Iterator[None]:
    """Start a child without it running the parent's main script again.

    multiprocessing makes each child import the parent's ``__main__`` from its path (the console
    script, a benchmark, "<stdin>"): hundreds of milliseconds a child, or a failure when there is no
    such file. The readers need nothing from it (importers live in modules), and a main module whose
    spec is named "__main__" is one multiprocessing skips."""
    main = sys.modules.get("__main__")
    with _STARTING:
        if main is None or getattr(getattr(main, "__spec__", None), "name", None) is not None:
            yield
            return
        saved = main.__spec__
        main.__spec__ = types.SimpleNamespace(name="__main__")  # type: ignore[assignment]
        try:
            yield
        finally:
            main.__spec__ = saved


def _forkserver() -> Any:
    global _context
    if _context is None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(_PRELOAD)
        _context = context
    return _context


def start_child(target: Callable[..., None], args: tuple[Any, ...], name: str) -> Any:
    """A daemon process from the forkserver (not a fork of a threaded web server), started without
    running the main script again: for any long read in a second process (ingest/read_ahead.py)."""
    child = _forkserver().Process(target=target, args=args, daemon=True, name=name)
    with _without_main_script():
        child.start()
    return child


def one_way_pipe() -> tuple[Any, Any]:
    """(receiving end, sending end) of a pipe a :func:`start_child` process can be handed."""
    receiver, sender = _forkserver().Pipe(duplex=False)
    return receiver, sender


_STARTUP_SECONDS = 60.0
"""How long a child may take to start, before its budget counts: a forked child starts in
milliseconds; one that has to import a test module first, in a second or two on a busy machine."""


@dataclass
class _Watch:
    """What the parent knows of a running read."""

    path: Path
    budget: ReadBudget
    launched: float
    started: float | None = None
    pages: int | None = None
    where: str | None = None

    @property
    def deadline(self) -> float:
        if self.started is None:
            return self.launched + _STARTUP_SECONDS
        return self.started + self.budget.seconds_for(self.pages)

    def timed_out(self) -> ImportTimedOut:
        if self.started is None:
            return ImportTimedOut(
                f"{self.path}: the reading process did not start within {_STARTUP_SECONDS:g} s "
                "(the machine is overloaded?). Nothing was stored.",
                [Problem("reader did not start", str(self.path))],
            )
        elapsed = time.monotonic() - self.started
        reached_text = f"; it had reached {self.where}" if self.where else "; it was still opening the file"
        return ImportTimedOut(
            f"{self.path}: stopped after {elapsed:.1f} s, over {self.budget.describe(self.pages)}"
            f"{reached_text}. Nothing was stored.",
            [Problem("time budget exceeded", str(self.path), page=_page_of(self.where), value=self.where)],
        )


def _page_of(where: str | None) -> int | None:
    if where and where.startswith("page "):
        number = where.split()[1]
        return int(number) if number.isdigit() else None
    return None


def read_within_budget(
    importer: Importer, path: Path, budget: ReadBudget, progress: ProgressCallback | None = None
) -> ImportBatch:
    """``importer.read(path)`` in a child process, stopped when it runs past ``budget``."""
    batch: ImportBatch = _run(_Read(importer, path), path, budget, progress)
    return batch


def call_within(seconds: float, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` in a worker process, stopped (ImportTimedOut) after ``seconds``: how the
    tests hold every parser to a bound without letting a runaway one hang them. The worker stays up
    between calls (it has imported what they need) and is replaced when one is stopped."""
    budget = ReadBudget(seconds_per_page=0.0, base_seconds=seconds, memory_mb=0)
    return _WORKER.call(_Call(function, args), Path(getattr(function, "__name__", "call")), budget)


class _Worker:
    def __init__(self) -> None:
        self.child: Any = None
        self.conn: multiprocessing.connection.Connection | None = None

    def call(self, task: Callable[[ProgressCallback], Any], path: Path, budget: ReadBudget) -> Any:
        if self.child is None or self.conn is None or not self.child.is_alive():
            self._start(budget.memory_mb)
        assert self.conn is not None
        self.conn.send(task)
        try:
            return _wait(self.conn, self.child, _Watch(path, budget, time.monotonic()), None)
        except ImportTimedOut:
            self.stop()
            raise

    def _start(self, memory_mb: int) -> None:
        self.stop()
        context = _forkserver()
        self.conn, there = context.Pipe(duplex=True)
        self.child = context.Process(
            target=_serve, args=(there, memory_mb), daemon=True, name="rightstrack-call"
        )
        with _without_main_script():
            self.child.start()
        there.close()

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.child is not None:
            if self.child.is_alive():
                self.child.kill()
            self.child.join(timeout=5)
        self.child, self.conn = None, None


_WORKER = _Worker()


def _run(
    task: Callable[[ProgressCallback], Any], path: Path, budget: ReadBudget, progress: ProgressCallback | None
) -> Any:
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main, args=(sender, task, budget.memory_mb), daemon=True, name="rightstrack-read"
    )
    with _without_main_script():
        child.start()
    sender.close()
    watch = _Watch(path, budget, time.monotonic())
    try:
        return _wait(receiver, child, watch, progress)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)


def _wait(
    receiver: multiprocessing.connection.Connection,
    child: Any,
    watch: _Watch,
    progress: ProgressCallback | None,
) -> Any:
    while True:
        remaining = watch.deadline - time.monotonic()
        if remaining <= 0:
            raise watch.timed_out()
        if not receiver.poll(min(remaining, 1.0)):
            continue
        try:
            message = receiver.recv()
        except EOFError:
            child.join(timeout=5)
            raise _died(watch, child.exitcode) from None
        kind = message[0]
        if kind == "done":
            return message[1]
        _HANDLERS[kind](watch, message, progress)


def _on_started(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    watch.started = time.monotonic()


def _on_pages(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    watch.pages = (watch.pages or 0) + int(message[1])


def _on_at(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    watch.where = str(message[1])
    words = watch.where.split()  # "page 3 of 24": a progress bar can show the pages
    if progress is not None and len(words) == 4 and words[0] == "page" and words[1].isdigit():
        progress(int(words[1]), int(words[3]) if words[3].isdigit() else None)


def _on_progress(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    if progress is not None:
        progress(message[1], message[2])


def _on_failed(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    raise message[1]


def _on_memory(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    raise ImportFailed(
        f"{watch.path}: reading it needed more than {watch.budget.memory_mb} MiB (setting import_memory_mb)"
        + (f" at {watch.where}" if watch.where else "")
        + ". Nothing was stored.",
        [Problem("memory budget exceeded", str(watch.path), page=_page_of(watch.where))],
    )


def _on_crashed(watch: _Watch, message: tuple[Any, ...], progress: ProgressCallback | None) -> None:
    raise ImportFailed(
        f"{watch.path}: the reader failed"
        + (f" at {watch.where}" if watch.where else "")
        + f" ({str(message[1]).splitlines()[0]}). Nothing was stored; please report this with the file.",
        [Problem("reader crashed", str(watch.path), page=_page_of(watch.where), value=str(message[1]))],
    )


_HANDLERS: dict[str, Callable[[_Watch, tuple[Any, ...], ProgressCallback | None], None]] = {
    "started": _on_started,
    "pages": _on_pages,
    "at": _on_at,
    "progress": _on_progress,
    "failed": _on_failed,
    "memory": _on_memory,
    "crashed": _on_crashed,
}


def _died(watch: _Watch, exitcode: int | None) -> ImportFailed:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return ImportFailed(
        f"{watch.path}: the reader stopped unexpectedly ({how})"
        + (f" at {watch.where}" if watch.where else "")
        + ". Nothing was stored.",
        [Problem("reader stopped", str(watch.path), page=_page_of(watch.where))],
    )
