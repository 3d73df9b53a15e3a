"""The three dedup layers, in the order they run; each drops a copy with its own reason and counters.

1. `same_url`: one row per id. Within a run the newest fetch wins; against the index, an unchanged
   re-fetch is dropped and a changed one is a revision: kept, and the earlier row is superseded.
2. `exact_text`: the same normalised text under another URL (a reprint, a mirror).
3. `near_text`: MinHash LSH candidates on character shingles, each verified by its real Jaccard, so no
   pair under the threshold is ever merged. A copy is matched against kept documents only (never
   through a chain of copies), so every dropped copy is within the threshold of the one it names.

Documents reach the layers in keep order (`keep_order`): the copy that comes first is the one kept.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaning.dedup.index import DedupIndex
from cleaning.dedup.minhash import band_keys, jaccard, normalise, shingle_hashes, shingle_set, signature


@dataclass
class DedupDoc:
    """A document as dedup sees it: its record and its hashes."""

    position: int  # in the run's documents, as read
    record: dict[str, Any]
    text_hash: int
    shingles: np.ndarray
    buckets: list[int]
    revision_of: str | None = None  # the run whose row of this id it supersedes

    @classmethod
    def of(cls, position: int, record: dict[str, Any], ngram: int, permutations: int, bands: int) -> DedupDoc:
        text = record["text"]
        digest = hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).digest()
        hashes = shingle_hashes(text, ngram)
        return cls(position, record, int.from_bytes(digest, "big", signed=True), shingle_set(hashes),
                   band_keys(signature(hashes, permutations), bands))

    @property
    def id(self) -> str:
        return self.record["id"]


def keep_order(doc: DedupDoc) -> tuple[Any, ...]:
    """Earliest published first (undated last), then the most complete (longest), then by id."""
    published = doc.record.get("published_at")
    return (published is None, published or "", -doc.record["char_count"], doc.id)


@dataclass(frozen=True)
class Verdict:
    reason: str
    duplicate_of: str
    similarity: float


class Layer(ABC):
    name = "layer"

    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()

    @abstractmethod
    def check(self, doc: DedupDoc) -> Verdict | None:
        """None keeps `doc` (for this layer); a verdict drops it as a copy."""

    def keep(self, doc: DedupDoc) -> None:
        """`doc` was kept by every layer: later documents of the run are compared with it too."""
        return None


class SameUrl(Layer):
    """One row per id: the newest fetch of a URL wins; an unchanged re-fetch is dropped."""

    name = "same_url"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc]) -> None:
        super().__init__()
        newest: dict[str, DedupDoc] = {}
        for doc in docs:
            if doc.id not in newest or doc.record["crawled_at"] > newest[doc.id].record["crawled_at"]:
                newest[doc.id] = doc
        self.newest = {doc_id: doc.position for doc_id, doc in newest.items()}
        self.indexed = index.latest_versions(newest)
        self.superseded: list[dict[str, str]] = []

    def check(self, doc: DedupDoc) -> Verdict | None:
        if self.newest[doc.id] != doc.position:
            return Verdict("older_fetch", doc.id, 1.0)
        if doc.id in self.indexed:
            run, text_hash = self.indexed[doc.id]
            if text_hash == doc.text_hash:
                return Verdict("unchanged_refetch", doc.id, 1.0)
            doc.revision_of = run
            self.counters["revisions"] += 1
        return None

    def keep(self, doc: DedupDoc) -> None:
        if doc.revision_of:
            self.superseded.append({"id": doc.id, "crawl_run": doc.revision_of, "by_run": doc.record["crawl_run"]})


class ExactText(Layer):
    """The same normalised text under another URL."""

    name = "exact_text"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc]) -> None:
        super().__init__()
        self.seen = index.ids_by_text_hash({doc.text_hash for doc in docs})

    def check(self, doc: DedupDoc) -> Verdict | None:
        other = self.seen.get(doc.text_hash)
        return Verdict("exact_duplicate", other, 1.0) if other and other != doc.id else None

    def keep(self, doc: DedupDoc) -> None:
        self.seen.setdefault(doc.text_hash, doc.id)


class NearText(Layer):
    """Near-duplicates: LSH candidates on character shingles, merged only at real Jaccard >= threshold."""

    name = "near_text"

    def __init__(self, index: DedupIndex, docs: list[DedupDoc], threshold: float) -> None:
        super().__init__()
        self.threshold = threshold
        self.from_index = dict(zip((doc.position for doc in docs), index.candidates([doc.buckets for doc in docs])))
        self.buckets: defaultdict[int, list[DedupDoc]] = defaultdict(list)  # this run's kept documents

    def check(self, doc: DedupDoc) -> Verdict | None:
        candidates = dict(self.from_index.pop(doc.position, {}))
        for bucket in doc.buckets:
            for other in self.buckets.get(bucket, ()):
                candidates[other.id] = other.shingles
        candidates.pop(doc.id, None)  # its own earlier version is the same_url layer's business
        best: Verdict | None = None
        for other_id, shingles in sorted(candidates.items()):
            similarity = jaccard(doc.shingles, shingles)
            self.counters["candidates"] += 1
            if similarity < self.threshold:
                self.counters["candidates_below_threshold"] += 1
            elif best is None or similarity > best.similarity:
                best = Verdict("near_duplicate", other_id, round(similarity, 4))
        return best

    def keep(self, doc: DedupDoc) -> None:
        for bucket in doc.buckets:
            self.buckets[bucket].append(doc)


def dedup_layers(index: DedupIndex, docs: list[DedupDoc], thresholds: dict[str, Any]) -> list[Layer]:
    """The composition: read this to know what dedup does, in order."""
    return [SameUrl(index, docs), ExactText(index, docs), NearText(index, docs, thresholds["jaccard"])]
