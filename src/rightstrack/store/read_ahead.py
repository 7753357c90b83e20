"""Reading and resolving a large export in a second process while the store writes.

Parsing cells, resolving names and writing rows are all Python work that holds the interpreter
lock, so a thread gains nothing; a second process reads and resolves chunk n + 1 while the store
writes chunk n, and so uses the second core. Resolving needs no database (names → states,
fingerprints), so it moves with the reading. The pipe holds one message at a time: the reader is
never more than a chunk ahead (memory stays bounded), and a store that stops (a dry run, a failed
write) stops the reader too.

The child sends, in order: ``start`` (the document and labels); ``progress`` and ``chunk``
messages, each chunk with what the resolver has learnt so far; ``end`` (rows read, notes and the
resolver's last state), or ``failed`` (the ImportFailed to raise here).
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rightstrack.errors import ErrorList, ImportFailed
from rightstrack.ingest.base import ProgressCallback, StreamedBatch, StreamingImporter
from rightstrack.ingest.budget import one_way_pipe, start_child
from rightstrack.model.records import RecommendationDraft, Response
from rightstrack.store.resolve import Resolved, Resolver


@dataclass
class ReadAhead(StreamedBatch):
    """A streamed batch whose chunks arrive already resolved from the reading process."""

    receiver: Any = None
    child: Any = None
    progress: ProgressCallback | None = None

    def resolved(self, resolver: Resolver) -> Iterator[list[Resolved]]:
        """The resolved chunks; ``resolver`` is kept in step with the child's (its problems,
        recommenders that are not states, new special procedures)."""
        try:
            while True:
                kind, *body = _receive(self.receiver, self.document.path)
                if kind == "progress":
                    _report(self.progress, body)
                elif kind == "chunk":
                    packed, answers, self.rows_read, state = body
                    _take_state(resolver, state)
                    drafts = _unpack(packed)
                    yield [Resolved(draft, *answer) for draft, answer in zip(drafts, answers, strict=True)]
                elif kind == "failed":
                    raise _failure(body)
                else:  # "end"
                    self.rows_read, notes, state = body
                    self.notes.extend(notes)
                    _take_state(resolver, state)
                    return
        finally:
            self.stop()

    def stop(self) -> None:
        _stop(self.receiver, self.child)


def read_ahead(importer: StreamingImporter, path: Path, progress: ProgressCallback | None) -> ReadAhead:
    """``importer.read_chunks(path)`` read and resolved in a child process; its errors are raised
    here as they would have been there."""
    receiver, sender = one_way_pipe()
    child = start_child(_read, (importer, path, sender), "rightstrack-read-ahead")
    sender.close()
    try:
        kind, *body = _receive(receiver, str(path))
        while kind == "progress":  # a reader may report progress before its first chunk
            _report(progress, body)
            kind, *body = _receive(receiver, str(path))
        if kind == "failed":
            raise _failure(body)
    except BaseException:
        _stop(receiver, child)
        raise
    document, labels, tag_source = body
    return ReadAhead(
        document=document,
        chunks=iter(()),
        field_labels=labels,
        tag_source=tag_source,
        receiver=receiver,
        child=child,
        progress=progress,
    )


def _stop(receiver: Any, child: Any) -> None:
    receiver.close()
    if child.is_alive():
        child.kill()
    child.join(timeout=5)


def _receive(receiver: Any, path: str) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = receiver.recv()
    except EOFError:
        raise ImportFailed(f"{path}: the reading process ended without an answer") from None
    return message


def _report(progress: ProgressCallback | None, body: list[Any]) -> None:
    if progress is not None:
        progress(body[0], body[1])


def _failure(body: list[Any]) -> ImportFailed:
    message, problems = body
    return ImportFailed(message, problems)


def _take_state(resolver: Resolver, state: tuple[Any, ...]) -> None:
    problems, non_state, new_mechanisms = state
    resolver.errors.problems[:] = problems
    resolver.non_state = Counter(non_state)
    resolver.new_mechanisms = dict(new_mechanisms)


# Drafts cross the pipe as tuples of plain values: unpickling 5,000 objects field by field cost the
# store's side a fifth of its time; tuples of strings and numbers load several times faster.
_FIELDS = [f.name for f in fields(RecommendationDraft)]
_RESPONSE_AT = _FIELDS.index("response")


def _pack(resolved: list[Resolved]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    drafts, answers = [], []
    for item in resolved:
        values = [getattr(item.draft, name) for name in _FIELDS]
        if item.draft.response is not None:
            values[_RESPONSE_AT] = item.draft.response.value
        drafts.append(tuple(values))
        answers.append((item.state, item.recommenders, item.fingerprint, item.review))
    return drafts, answers


def _unpack(packed: list[tuple[Any, ...]]) -> list[RecommendationDraft]:
    chunk = [RecommendationDraft(*values) for values in packed]
    for draft in chunk:
        if draft.response is not None:
            draft.response = Response(draft.response)
    return chunk


# -- the child's side ------------------------------------------------------------------------------


def _read(importer: StreamingImporter, path: Path, sender: Any) -> None:
    try:
        _send_all(importer, path, sender)
    except ImportFailed as exc:
        sender.send(("failed", exc.message, exc.problems))
    except (BrokenPipeError, EOFError):
        pass  # the store stopped reading (a dry run, a failed write): nothing left to say
    except Exception as exc:  # a reader's bug: told as a failed import, with where it happened
        where = traceback.extract_tb(exc.__traceback__)[-1]
        place = f"{Path(where.filename).name}:{where.lineno}"
        sender.send(("failed", f"{path}: reading failed ({type(exc).__name__}: {exc} at {place})", []))
    finally:
        sender.close()


def _send_all(importer: StreamingImporter, path: Path, sender: Any) -> None:
    streamed = importer.read_chunks(path, lambda done, total: sender.send(("progress", done, total)))
    sender.send(("start", streamed.document, streamed.field_labels, streamed.tag_source))
    resolver = Resolver(ErrorList(streamed.document.path), streamed.field_labels)
    for chunk in streamed.chunks:
        resolved = resolver.resolve(chunk)
        if resolver.errors.problems:
            resolved = []  # nothing more is written; the rest is read for its problems
        drafts, answers = _pack(resolved)
        sender.send(("chunk", drafts, answers, streamed.rows_read, _state(resolver, first_problem_only=True)))
    sender.send(("end", streamed.rows_read, streamed.notes, _state(resolver)))


def _state(resolver: Resolver, *, first_problem_only: bool = False) -> tuple[Any, ...]:
    # Between chunks the store only needs to know whether to stop writing; every problem comes at
    # the end (a file of unknown names would otherwise send its growing list with every chunk).
    problems = resolver.errors.problems[:1] if first_problem_only else resolver.errors.problems
    return (problems, dict(resolver.non_state), resolver.new_mechanisms)
