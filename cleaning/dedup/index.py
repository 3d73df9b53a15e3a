"""The persistent dedup index: what every kept document looked like, so later runs are deduplicated
against everything already built without re-reading its text.

Per kept document it holds the id, the run, the fetch time, the normalised-text hash, its LSH bucket
keys (in segment files beside the SQLite file: `cleaning/dedup/buckets.py`) and where its text is: its
row in the run's `dedup/<run>/docs.parquet`, from which a candidate's shingle set is made again when
the exact Jaccard needs it (candidates are rare: about 100 a night), instead of keeping every shingle
set (4 bytes a shingle, most of the index). An entry made without a text to go back to (an index of
older zhnews, or dedup called without files) keeps its shingle set. Only kept documents enter: a
dropped copy is represented by the one it duplicates. `SqliteDedupIndex` is the embedded default
(`data/dedup/index.sqlite`); a fleet would put the same operations on a shared store. Each run's
additions are one transaction, together with the row that marks the run done, so a kill leaves the
index as it was before the run.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cleaning.dedup.buckets import BucketSegments, word_keys
from corpus.files import open_sqlite


@dataclass
class IndexEntry:
    """One kept document as the index stores it."""

    id: str
    run: str
    text_hash: int
    shingles: np.ndarray | None  # sorted unique uint32; None when `row` locates the text
    buckets: np.ndarray  # int64, a key a band
    crawled_at: str  # when this version was fetched: a revision must be newer than what it replaces
    row: int | None = None  # its row in the run's dedup/<run>/docs.parquet


# a candidate as the index gives it: its shingle set, or where its text is (run, row)
Candidate = np.ndarray | tuple[str, int]


def pack_shingles(shingles: np.ndarray) -> bytes:
    """4 bytes per shingle: compression saves under 10% on these random-looking values (zlib on
    delta-encoded sets, measured) and costs more than hashing the document."""
    return shingles.astype("<u4").tobytes()


def unpack_shingles(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


class DedupIndex(ABC):
    @abstractmethod
    def run_stats(self, run: str) -> dict[str, Any] | None:
        """The counters stored when `run` was committed, or None if it never was."""

    @abstractmethod
    def latest_versions(self, ids: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        """id → (run, text hash, fetch time) of the most recently fetched indexed version of each id."""

    @abstractmethod
    def ids_by_text_hash(self, hashes: Iterable[int]) -> dict[int, str]:
        """text hash → id of a kept document whose current version has that normalised text."""

    @abstractmethod
    def candidates(self, buckets: list[np.ndarray]) -> list[dict[str, Candidate]]:
        """For each document's bucket keys: id → shingle set, or (run, row) of its text, of every indexed
        document's current version sharing one."""

    @abstractmethod
    def commit(self, run: str, entries: list[IndexEntry], grown: dict[str, int], stats: dict[str, Any],
               retired: Iterable[str] = (), copies: Iterable[tuple[str, str, int]] = ()) -> None:
        """Add a run's kept documents (each starts a cluster of 1, or continues its id's), add `grown`
        copies to clusters, remove every version of the `retired` ids (articles whose new text is a copy
        of another: their row is superseded and nothing of theirs is left to match), remember the run's
        dropped `copies` (id, cluster, text hash), and mark the run done: atomically."""

    @abstractmethod
    def known_copies(self, ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """id → (cluster, text hash) of the copies among `ids` that earlier runs dropped: fetched again
        unchanged, a copy is no new member of its cluster."""

    @abstractmethod
    def forget(self, ids: Iterable[str]) -> int:
        """Remove every version of these documents (a withdrawal); returns how many there were."""

    @abstractmethod
    def cluster_sizes(self, ids: Iterable[str]) -> dict[str, int]:
        """Current size of each kept document's cluster (1 + every copy dropped against it)."""


# a version no later version of its id follows (a revision is indexed only when fetched later than the
# version before it, so later keys are later versions): an article's earlier text is no copy's original
# once revised, or a reprint of the old text would be dropped as a copy of the article as it reads now
_CURRENT = "NOT EXISTS (SELECT 1 FROM docs AS later WHERE later.id = docs.id AND later.key > docs.key)"


class SqliteDedupIndex(DedupIndex):
    """The embedded index: one SQLite file, written by one `zhnews dedup` at a time (a lock says so)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = open_sqlite(path, "restore it from a backup, or move it aside: the next dedup starts a new "
                              "index (copies of documents deduplicated before it are no longer found)")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS docs (key INTEGER PRIMARY KEY, id TEXT NOT NULL, run TEXT NOT NULL,
                text_hash INTEGER NOT NULL, shingles BLOB NOT NULL, crawled_at TEXT NOT NULL DEFAULT '');
            CREATE INDEX IF NOT EXISTS docs_id ON docs (id);
            CREATE INDEX IF NOT EXISTS docs_text_hash ON docs (text_hash);
            CREATE TABLE IF NOT EXISTS clusters (id TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS runs (run TEXT PRIMARY KEY, stats TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS copies (id TEXT PRIMARY KEY, cluster TEXT NOT NULL, text_hash INTEGER NOT NULL)
                WITHOUT ROWID;
        """)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(docs)")}
        if "crawled_at" not in columns:  # an index made before fetch times were kept: theirs are unknown ('')
            self.db.execute("ALTER TABLE docs ADD COLUMN crawled_at TEXT NOT NULL DEFAULT ''")
        if "row" not in columns:  # an index made before texts were located: every entry has its shingles
            self.db.execute("ALTER TABLE docs ADD COLUMN row INTEGER")
        self.db.commit()
        self.buckets = BucketSegments(self.db, path.with_suffix(".buckets"))
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'buckets'").fetchone():
            self.buckets.adopt("buckets")  # an index made when its buckets were a table: 18 bytes an entry

    def run_stats(self, run: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT stats FROM runs WHERE run = ?", (run,)).fetchone()
        return json.loads(row[0]) if row else None

    def _in_batches(self, query: str, values: list[Any]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 500):  # SQLite's limit on bound parameters
            batch = values[start:start + 500]
            rows += self.db.execute(query.format(marks=",".join("?" * len(batch))), batch).fetchall()
        return rows

    def latest_versions(self, ids: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        rows = self._in_batches("SELECT id, run, text_hash, crawled_at FROM docs WHERE id IN ({marks})", list(ids))
        latest: dict[str, tuple[str, int, str]] = {}
        for doc_id, run, text_hash, crawled_at in rows:  # ISO times in UTC sort as strings; '' (unknown) first
            if doc_id not in latest or crawled_at >= latest[doc_id][2]:
                latest[doc_id] = (run, text_hash, crawled_at)
        return latest

    def ids_by_text_hash(self, hashes: Iterable[int]) -> dict[int, str]:
        rows = self._in_batches(f"SELECT text_hash, id FROM docs WHERE text_hash IN ({{marks}}) AND {_CURRENT}",
                                list(hashes))
        return dict(rows)

    def candidates(self, buckets: list[np.ndarray]) -> list[dict[str, Candidate]]:
        found: list[dict[str, Candidate]] = [{} for _ in buckets]
        if not buckets:
            return found
        keys = word_keys(np.concatenate([np.asarray(keys, dtype=np.int64) for keys in buckets]))
        owners = np.repeat(np.arange(len(buckets)), [len(keys) for keys in buckets])
        unique, which = np.unique(keys, return_inverse=True)
        hit_keys, hit_docs = self.buckets.lookup(unique)
        if not hit_docs.size:
            return found
        rows = {key: rest for key, *rest in self._in_batches(
            f"SELECT key, id, shingles, run, row FROM docs WHERE key IN ({{marks}}) AND {_CURRENT}",
            np.unique(hit_docs).tolist())}
        # the documents asking for each key: `which` sorted, and each hit's stretch of it
        order = np.argsort(which, kind="stable")
        asking = which[order]
        for key, doc in zip(hit_keys.tolist(), hit_docs.tolist()):
            if doc not in rows:  # forgotten (a withdrawal) or revised since: its bucket entries find nothing
                continue
            doc_id, blob, run, row = rows[doc]
            stretch = order[np.searchsorted(asking, key):np.searchsorted(asking, key, "right")]
            for query in set(owners[stretch].tolist()):
                found[query][doc_id] = unpack_shingles(blob) if row is None else (run, row)
        return found

    def commit(self, run: str, entries: list[IndexEntry], grown: dict[str, int], stats: dict[str, Any],
               retired: Iterable[str] = (), copies: Iterable[tuple[str, str, int]] = ()) -> None:
        retired = list(retired)
        # keys are never used twice, not even those of forgotten documents: their bucket entries stay
        first = max(self.db.execute("SELECT COALESCE(MAX(key), 0) + 1 FROM docs").fetchone()[0], self.buckets.end())
        docs = np.repeat(np.arange(first, first + len(entries), dtype=np.int64), [len(e.buckets) for e in entries])
        keys = np.concatenate([np.asarray(e.buckets, dtype=np.int64) for e in entries]) if entries else np.zeros(0)
        segments = self.buckets.write(word_keys(keys), docs)  # written first, live once the transaction commits
        with self.db:  # one transaction
            self.db.executemany("DELETE FROM docs WHERE id = ?", ((doc_id,) for doc_id in retired))
            self.db.executemany("DELETE FROM clusters WHERE id = ?", ((doc_id,) for doc_id in retired))
            # the copies of a text no row holds any more: a retired id's, and a kept revision's earlier text
            # (fetched again, they are new documents); then this run's copies, less the ids it keeps now
            self.db.executemany("DELETE FROM copies WHERE cluster = ?",
                                ((doc_id,) for doc_id in [*retired, *(e.id for e in entries)]))
            self.db.executemany("INSERT OR REPLACE INTO copies VALUES (?, ?, ?)", copies)
            self.db.executemany("DELETE FROM copies WHERE id = ?", ((e.id,) for e in entries))
            self.db.executemany("INSERT INTO docs (key, id, run, text_hash, shingles, crawled_at, row) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                ((first + n, e.id, e.run, e.text_hash,
                                  b"" if e.shingles is None else pack_shingles(e.shingles), e.crawled_at, e.row)
                                 for n, e in enumerate(entries)))
            self.buckets.insert(segments)
            self.db.executemany("INSERT OR IGNORE INTO clusters VALUES (?, 1)", ((e.id,) for e in entries))
            self.db.executemany("UPDATE clusters SET size = size + ? WHERE id = ?",
                                ((n, doc_id) for doc_id, n in grown.items()))
            self.db.execute("INSERT INTO runs VALUES (?, ?)", (run, json.dumps(stats, sort_keys=True)))
        self.buckets.compact()

    def forget(self, ids: Iterable[str]) -> int:
        """Take withdrawn documents out of the index, so that a later copy of one is not dropped as a
        duplicate of a row nobody can read; returns the versions forgotten. Their bucket entries stay
        (segments are written once): an entry finds documents through `docs`, so one whose document is
        gone finds nothing, and its key is never given to another document."""
        wanted = sorted(set(ids))
        forgotten = 0
        with self.db:
            for start in range(0, len(wanted), 500):
                batch = wanted[start:start + 500]
                marks = ",".join("?" * len(batch))
                forgotten += self.db.execute(f"DELETE FROM docs WHERE id IN ({marks})", batch).rowcount
                self.db.execute(f"DELETE FROM clusters WHERE id IN ({marks})", batch)
                self.db.execute(f"DELETE FROM copies WHERE id IN ({marks})", batch)
                self.db.execute(f"DELETE FROM copies WHERE cluster IN ({marks})", batch)  # copies of a row gone
        return forgotten

    def cluster_sizes(self, ids: Iterable[str]) -> dict[str, int]:
        return dict(self._in_batches("SELECT id, size FROM clusters WHERE id IN ({marks})", list(ids)))

    def known_copies(self, ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        rows = self._in_batches("SELECT id, cluster, text_hash FROM copies WHERE id IN ({marks})", list(ids))
        return {doc_id: (cluster, text_hash) for doc_id, cluster, text_hash in rows}

    def size_bytes(self) -> int:
        """The SQLite file's bytes and its bucket segments'."""
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        return pages * self.db.execute("PRAGMA page_size").fetchone()[0] + self.buckets.bytes()

    def close(self) -> None:
        self.db.close()
