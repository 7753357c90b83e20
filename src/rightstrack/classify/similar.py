"""Recommendations like this one, and the same ask in the same state's previous cycle.

Similarity is the cosine of word 1-2-gram TF-IDF vectors (sublinear tf, accents folded). No
sentence-embedding model is installed with rightstrack, and on UPR texts the repeated asks share
most of their wording, so lexical similarity is what finds them; paraphrases with few words in
common are missed (see benchmarks/results/classify_similar.json for the hand-checked precision).

The index is built from the store on first use (a few seconds for 33k texts) and cached on the
Database until recommendation texts change (tag decisions do not rebuild it).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select

from rightstrack.classify.corpus import StoredText, read_corpus
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.store import schema
from rightstrack.store.database import Database

# Chosen on hand-checked samples (benchmarks/results/classify_similar.json): from 0.4 up, about nine
# links in ten were the same ask; between 0.3 and 0.4 only about six in ten.
COUNTERPART_THRESHOLD = 0.4
_CACHE_KEY = "classify.similarity"


@dataclass(frozen=True, slots=True)
class Neighbour:
    id: int
    score: float
    state_under_review: str
    cycle: int | None
    session: int | None
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "state_under_review": self.state_under_review,
            "cycle": self.cycle,
            "session": self.session,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Counterpart:
    """``id``'s counterpart in the same state's previous cycle, with their similarity."""

    id: int
    previous_id: int
    score: float


class SimilarityIndex:
    """L2-normalised TF-IDF rows of every recommendation, with what is needed to filter them."""

    def __init__(self, corpus: Sequence[StoredText]) -> None:
        self.ids = np.array([item.id for item in corpus], dtype=np.int64)
        self.states = [item.state for item in corpus]
        self.cycles = [item.cycle for item in corpus]
        self.sessions = [item.session for item in corpus]
        self.texts = [item.text for item in corpus]
        from sklearn.feature_extraction.text import TfidfVectorizer  # only when an index is built

        self.vectoriser = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=1, dtype=np.float32
        )
        self.matrix: Any = self.vectoriser.fit_transform(self.texts) if self.texts else None
        self._index_rows()

    def _index_rows(self) -> None:
        self._row = {int(rec_id): i for i, rec_id in enumerate(self.ids)}
        self._by_state_cycle: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, (state, cycle) in enumerate(zip(self.states, self.cycles, strict=True)):
            if cycle is not None:
                self._by_state_cycle[(state, cycle)].append(i)

    def extended(self, added: Sequence[StoredText]) -> SimilarityIndex:
        """This index with ``added`` appended, weighed with the vocabulary and IDF already fitted.

        Refitting the whole corpus after every import costs more the larger the database grows
        (a second at 17,000 recommendations); an import only adds rows, and words the fit has not
        seen only lower a new text's similarity a little. A new process, or `rightstrack
        link-cycles`, fits anew."""
        from scipy.sparse import vstack

        grown = copy.copy(self)
        grown.ids = np.concatenate([self.ids, np.array([item.id for item in added], dtype=np.int64)])
        grown.states = self.states + [item.state for item in added]
        grown.cycles = self.cycles + [item.cycle for item in added]
        grown.sessions = self.sessions + [item.session for item in added]
        grown.texts = self.texts + [item.text for item in added]
        rows = self.vectoriser.transform([item.text for item in added])
        grown.matrix = vstack([self.matrix, rows], format="csr")
        grown._index_rows()
        return grown

    def row(self, record_id: int) -> int:
        found = self._row.get(record_id)
        if found is None:
            raise NotFound(f"no recommendation with id {record_id}")
        return found

    def neighbour(self, i: int, score: float) -> Neighbour:
        """Row ``i`` as a search hit with ``score``."""
        return Neighbour(
            int(self.ids[i]), score, self.states[i], self.cycles[i], self.sessions[i], self.texts[i]
        )

    def similar(
        self, record_id: int, *, limit: int = 10, same_state: bool = False, min_score: float = 0.0
    ) -> list[Neighbour]:
        """The ``limit`` most similar other recommendations, best first (ties: lower id first)."""
        if limit < 1:
            raise InvalidInput("limit must be at least 1")
        i = self.row(record_id)
        scores: npt.NDArray[np.float64] = np.asarray(
            (self.matrix @ self.matrix[i].T).toarray(), dtype=np.float64
        ).ravel()
        scores[i] = -1.0
        if same_state:
            scores[np.array(self.states) != self.states[i]] = -1.0
        order = np.lexsort((self.ids, -scores))
        return [self.neighbour(int(j), float(scores[j])) for j in order[:limit] if scores[j] > min_score]

    def counterparts(
        self, record_ids: Iterable[int] | None = None, *, threshold: float = COUNTERPART_THRESHOLD
    ) -> dict[int, Counterpart]:
        """For each recommendation (default: all), the most similar one addressed to the same state in
        the previous cycle, when their similarity reaches ``threshold``."""
        rows = range(len(self.ids)) if record_ids is None else [self.row(r) for r in record_ids]
        wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i in rows:
            cycle = self.cycles[i]
            if cycle is not None and (self.states[i], cycle - 1) in self._by_state_cycle:
                wanted[(self.states[i], cycle)].append(i)
        found: dict[int, Counterpart] = {}
        for (state, cycle), current in wanted.items():
            earlier = self._by_state_cycle[(state, cycle - 1)]
            block = np.asarray((self.matrix[current] @ self.matrix[earlier].T).toarray(), dtype=np.float64)
            best = block.argmax(axis=1)
            for k, i in enumerate(current):
                score = float(block[k, best[k]])
                if score >= threshold:
                    found[int(self.ids[i])] = Counterpart(
                        int(self.ids[i]), int(self.ids[earlier[best[k]]]), score
                    )
        return found


def _texts_key(db: Database) -> tuple[int, int, str]:
    """Changes when a recommendation is added, removed or edited, but not when tags change."""
    r = schema.recommendations
    with db.read() as conn:
        count, top, updated = conn.execute(
            select(func.count(), func.max(r.c.id), func.max(r.c.updated_at))
        ).one()
    return int(count or 0), int(top or 0), str(updated)


def similarity_index(db: Database) -> SimilarityIndex:
    """The index of ``db``'s recommendations, cached on the Database while the texts are unchanged,
    and extended rather than rebuilt when recommendations were only added (an import)."""
    key = _texts_key(db)
    cached = db.cache.get(_CACHE_KEY)
    if isinstance(cached, tuple) and cached[0] == key:
        index: SimilarityIndex = cached[1]
        return index
    if not isinstance(cached, tuple):
        cached = (None, None)
    previous: SimilarityIndex | None = cached[1]
    added = _added_since(db, cached[0]) if previous is not None and previous.matrix is not None else None
    if previous is not None and added is not None:
        index = previous.extended(added)
    else:
        index = SimilarityIndex(read_corpus(db, families=()))
    db.cache[_CACHE_KEY] = (key, index)
    return index


def _added_since(db: Database, key: tuple[int, int, str]) -> list[StoredText] | None:
    """The recommendations added since ``key`` was taken, or None when any older one changed or went."""
    count, top, updated = key
    r = schema.recommendations
    with db.read() as conn:
        old_count, old_updated = conn.execute(
            select(func.count(), func.max(r.c.updated_at)).where(r.c.id <= top)
        ).one()
        if int(old_count or 0) != count or str(old_updated) != updated:
            return None
        new_ids = list(conn.scalars(select(r.c.id).where(r.c.id > top)))
    return read_corpus(db, families=(), ids=new_ids)


def similar_recommendations(
    db: Database, record_id: int, *, limit: int = 10, same_state: bool = False
) -> list[Neighbour]:
    """Recommendations like ``record_id``, most similar first."""
    return similarity_index(db).similar(record_id, limit=limit, same_state=same_state)


def previous_cycle_counterparts(
    db: Database,
    record_ids: Iterable[int] | None = None,
    *,
    threshold: float = COUNTERPART_THRESHOLD,
) -> dict[int, Counterpart]:
    """recommendation id -> its counterpart (the same ask) in the same state's previous cycle.

    Recommendations whose state has no previous-cycle review in the store, or whose best match
    stays below ``threshold``, are absent. Several recommendations may share one counterpart
    (several states repeating one earlier ask).
    """
    return similarity_index(db).counterparts(record_ids, threshold=threshold)
