"""The three dedup layers, in the order they run; each drops a copy with its own reason and counters.

1. `same_url`: one row per id. Within a run the newest fetch wins; against the index, an unchanged
   re-fetch is dropped and a changed one is a revision: kept, and the earlier row is superseded. A copy
   an earlier run dropped, fetched again unchanged, is dropped as such, and counted in no cluster again.
2. `exact_text`: the same normalised text under another URL (a reprint, a mirror).
3. `near_text`: MinHash LSH candidates on character shingles, each verified by its real Jaccard, so no
   pair under the threshold is ever merged. A copy is matched against kept documents only (never
   through a chain of copies), so every dropped copy is within the threshold of the one it names.

Documents reach the layers in keep order (`keep_order`): the copy that comes first is the one kept.
"""

from __future__ import annotations

import functools
import itertools
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np

from cleaning.dedup.index import DedupIndex
from cleaning.dedup.minhash import hash_texts, jaccard, shingle_set
from cleaning.run.executor import Executor, LocalExecutor
from cleaning.text.dates import moment_of

ShinglesAt = Callable[[str, int], np.ndarray]  # (run, row) → the shingle set of that indexed document's text


@dataclass
class DedupDoc:
    """A document as dedup sees it: its record's fields (`RunSource.fields`) and its hashes."""

    position: int  # in the run's documents, as read
    record: dict[str, Any]
    text_hash: int
    buckets: np.ndarray  # int64, one key a band
    shingles: np.ndarray | None = None  # made for the documents that meet a candidate (`NearText.wanted`)
    revision_of: str | None = None  # the run whose row of this id it supersedes

    @property
    def id(self) -> str:
        return self.record["id"]


class RunSource(ABC):
    """A run's documents as dedup reads them: their fields (small) whole, their texts a batch at a time
    and as often as asked, so that memory never holds every text of a large run."""

    @abstractmethod
    def fields(self) -> list[dict[str, Any]]:
        """Every document's record, in order, with at least DECIDING_FIELDS (the text need not be there)."""

    @abstractmethod
    def texts(self) -> Iterator[list[str]]:
        """The texts, in order, a batch at a time."""


# what dedup decides on, besides the text
DECIDING_FIELDS = ("id", "url", "crawled_at", "published_at", "char_count", "crawl_run")


class RecordList(RunSource):
    """Records already in memory (a test's, a bench's)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def fields(self) -> list[dict[str, Any]]:
        return self.records

    def texts(self) -> Iterator[list[str]]:
        for start in range(0, len(self.records), SKETCH_BATCH):
            yield [record["text"] for record in self.records[start:start + SKETCH_BATCH]]


# documents hashed per job (one numpy pass): large enough to amortise numpy's per-call cost and a
# job's hand-off to a worker, small in memory
SKETCH_BATCH = 512
# jobs handed to the executor at a time, per worker: the progress bar moves between rounds
ROUNDS_PER_WORKER = 4


def _jobs(source: RunSource) -> Iterator[list[str]]:
    """The texts in batches of SKETCH_BATCH, whatever batches the source reads."""
    pending: list[str] = []
    for texts in source.texts():
        pending += texts
        while len(pending) >= SKETCH_BATCH:
            yield pending[:SKETCH_BATCH]
            pending = pending[SKETCH_BATCH:]
    if pending:
        yield pending


def hashed_documents(source: RunSource, thresholds: dict[str, Any], executor: Executor = LocalExecutor(),
                     on_hashed: Callable[[int], None] = lambda n: None, with_shingles: bool = False
                     ) -> list[DedupDoc]:
    """Each document with its text hash and bucket keys (and its shingle set, `with_shingles`), in
    order. The batches are hashed by `executor` (in parallel, on a pool or on Ray), a round at a time;
    the result does not depend on which."""
    hash_batch = functools.partial(hash_texts, ngram=thresholds["ngram"], permutations=thresholds["permutations"],
                                   bands=thresholds["bands"], with_shingles=with_shingles)
    records = source.fields()
    docs: list[DedupDoc] = []
    jobs = _jobs(source)
    while round_ := list(itertools.islice(jobs, ROUNDS_PER_WORKER * executor.workers)):  # an attached cluster's CPUs
        for hashed in executor.map(hash_batch, round_):
            for n, (text_hash, buckets) in enumerate(zip(hashed.text_hashes, hashed.buckets)):
                shingles = hashed.shingles[n] if hashed.shingles is not None else None
                docs.append(DedupDoc(len(docs), records[len(docs)], text_hash, buckets, shingles))
            on_hashed(len(hashed.text_hashes))
    return docs


def add_shingles(docs: list[DedupDoc], wanted: set[int], source: RunSource, ngram: int) -> None:
    """Make the shingle sets of the documents at `wanted` positions, reading the texts again: only the
    documents that meet a candidate need theirs (a few in a hundred)."""
    if all(docs[position].shingles is not None for position in wanted):  # none wanted, or all made already
        return
    position = 0
    for texts in source.texts():
        for text in texts:
            if position in wanted and docs[position].shingles is None:
                docs[position].shingles = shingle_set(text, ngram)
            position += 1


_UNDATED = datetime.max.replace(tzinfo=timezone.utc)


def keep_order(doc: DedupDoc) -> tuple[Any, ...]:
    """Earliest published first (undated last; compared as moments, across zones), then the most complete
    (longest), then by id."""
    moment = moment_of(doc.record.get("published_at"))
    return (moment is None, moment or _UNDATED, -doc.record["char_count"], doc.id)


@dataclass(frozen=True)
class Verdict:
    reason: str
    duplicate_of: str
    similarity: float


class Layer(ABC):
    """One layer of dedup; like a processing step (cleaning/steps/base.py) it counts its own drops as
    `dropped` and `dropped/<reason>`, plus keys of its own."""

    name = "layer"

    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()

    def __call__(self, doc: DedupDoc) -> Verdict | None:
        verdict = self.check(doc)
        if verdict:
            self.counters["dropped"] += 1
            self.counters[f"dropped/{verdict.reason}"] += 1
        return verdict

    @abstractmethod
    def check(self, doc: DedupDoc) -> Verdict | None:
        """None keeps `doc` (for this layer); a verdict drops it as a copy."""

    def keep(self, doc: DedupDoc) -> None:
        """`doc` was kept by every layer: later documents of the run are compared with it too."""
        return None


class SameUrl(Layer):
    """One row per id: the newest fetch of a URL wins, by fetch time, in this run and against the index
    (an older fetch deduplicated late never replaces a newer one); an unchanged re-fetch is dropped."""

    name = "same_url"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc]) -> None:
        super().__init__()
        newest: dict[str, DedupDoc] = {}
        for doc in docs:
            if doc.id not in newest or doc.record["crawled_at"] > newest[doc.id].record["crawled_at"]:
                newest[doc.id] = doc
        self.newest = {doc_id: doc.position for doc_id, doc in newest.items()}
        self.indexed = index.latest_versions(newest)
        self.copies = index.known_copies(newest)  # id → (cluster, text hash) of copies dropped before
        self.superseded: list[dict[str, str]] = []

    def check(self, doc: DedupDoc) -> Verdict | None:
        if self.newest[doc.id] != doc.position:
            return Verdict("older_fetch", doc.id, 1.0)
        cluster, text_hash = self.copies.get(doc.id, ("", None))
        if text_hash == doc.text_hash:
            return Verdict("unchanged_copy_refetch", cluster, 1.0)
        if doc.id in self.indexed:
            run, text_hash, crawled_at = self.indexed[doc.id]
            if crawled_at > (doc.record["crawled_at"] or ""):  # runs deduplicated out of order: the newer holds
                return Verdict("older_than_indexed", doc.id, 1.0)
            if text_hash == doc.text_hash:
                return Verdict("unchanged_refetch", doc.id, 1.0)
            doc.revision_of = run
            self.counters["revisions"] += 1
        return None

    def revised(self, docs: list[DedupDoc]) -> set[str]:
        """The ids whose indexed text this run's newest fetch changes: the old text is no copy's original
        for the run's other documents."""
        return {doc.id for doc in docs if self.newest[doc.id] == doc.position and doc.id in self.indexed
                and self.indexed[doc.id][2] <= (doc.record["crawled_at"] or "")
                and self.indexed[doc.id][1] != doc.text_hash}

    def keep(self, doc: DedupDoc) -> None:
        if doc.revision_of:
            self.superseded.append({"id": doc.id, "crawl_run": doc.revision_of, "by_run": doc.record["crawl_run"]})


class ExactText(Layer):
    """The same normalised text under another URL."""

    name = "exact_text"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc], revised: set[str]) -> None:
        super().__init__()
        found = index.ids_by_text_hash({doc.text_hash for doc in docs})
        self.seen = {text_hash: doc_id for text_hash, doc_id in found.items() if doc_id not in revised}

    def check(self, doc: DedupDoc) -> Verdict | None:
        other = self.seen.get(doc.text_hash)
        return Verdict("exact_duplicate", other, 1.0) if other and other != doc.id else None

    def keep(self, doc: DedupDoc) -> None:
        self.seen.setdefault(doc.text_hash, doc.id)


class NearText(Layer):
    """Near-duplicates: LSH candidates on character shingles, merged only at real Jaccard >= threshold."""

    name = "near_text"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc], threshold: float, revised: set[str],
                 shingles_at: ShinglesAt | None = None) -> None:
        super().__init__()
        self.threshold = threshold
        self.shingles_at = shingles_at  # an indexed document's shingle set, from its text (run, row)
        found = index.candidates([doc.buckets for doc in docs])
        self.from_index = {doc.position: {other: where for other, where in hits.items() if other not in revised}
                           for doc, hits in zip(docs, found)}
        self.groups_of = _shared_buckets(docs)  # position → groups of this run's documents sharing a bucket
        self.kept_in: defaultdict[int, list[DedupDoc]] = defaultdict(list)  # group → its kept documents
        # the documents whose shingle set a check will compare: those with a candidate in the index or the run
        self.wanted = {position for position, found in self.from_index.items() if found} | set(self.groups_of)

    def check(self, doc: DedupDoc) -> Verdict | None:
        candidates = dict(self.from_index.pop(doc.position, {}))
        for group in self.groups_of.get(doc.position, ()):
            for other in self.kept_in[group]:
                candidates[other.id] = other.shingles  # type: ignore[assignment]  # in `wanted`
        candidates.pop(doc.id, None)  # its own earlier version is the same_url layer's business
        best: Verdict | None = None
        for other_id, found in sorted(candidates.items(), key=lambda item: item[0]):
            shingles = found if isinstance(found, np.ndarray) else self._shingles_at(*found)
            assert doc.shingles is not None, "dedup makes the shingle sets of `wanted` before the checks"
            similarity = jaccard(doc.shingles, shingles)
            self.counters["candidates"] += 1
            if similarity < self.threshold:
                self.counters["candidates_below_threshold"] += 1
            elif best is None or similarity > best.similarity:
                best = Verdict("near_duplicate", other_id, round(similarity, 4))
        return best

    def keep(self, doc: DedupDoc) -> None:
        for group in self.groups_of.get(doc.position, ()):
            self.kept_in[group].append(doc)

    def _shingles_at(self, run: str, row: int) -> np.ndarray:
        if self.shingles_at is None:
            raise ValueError(f"the index locates a candidate's text in run {run}, and no text source was given")
        self.counters["candidate_texts_read"] += 1
        return self.shingles_at(run, row)


def _shared_buckets(docs: list[DedupDoc]) -> dict[int, list[int]]:
    """For each document that shares a bucket key with another of the run: the shared keys' groups.

    One sort of every key instead of a dictionary of every key: almost all keys are unique.
    """
    if not docs:
        return {}
    keys = np.stack([doc.buckets for doc in docs]).astype(np.int64)
    owners = np.repeat(np.array([doc.position for doc in docs]), keys.shape[1])
    order = np.argsort(keys.ravel(), kind="stable")
    ordered = keys.ravel()[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.concatenate((starts, [ordered.size])))
    groups_of: dict[int, list[int]] = {}
    for group, (start, count) in enumerate(zip(starts[counts > 1].tolist(), counts[counts > 1].tolist())):
        for owner in dict.fromkeys(owners[order[start:start + count]].tolist()):
            groups_of.setdefault(owner, []).append(group)
    return groups_of


def dedup_layers(index: DedupIndex, docs: list[DedupDoc], thresholds: dict[str, Any],
                 shingles_at: ShinglesAt | None = None) -> list[Layer]:
    """The composition: read this to know what dedup does, in order."""
    same_url = SameUrl(index, docs)
    revised = same_url.revised(docs)  # their indexed texts are out of date: no copy is matched against them
    near = NearText(index, docs, thresholds["jaccard"], revised, shingles_at)
    return [same_url, ExactText(index, docs, revised), near]
