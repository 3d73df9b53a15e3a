"""The dedup index's LSH buckets: sorted segments of 64-bit words on disk, 8 bytes a bucket entry.

A word is `key << 24 | local document`. The key is 40 bits of a bucket key (`word_keys`): the band's
number (5 bits) and 35 bits of its hash, so two unrelated documents meet in a band with a chance of
about one in 34 billion per pair (a few needless candidates a night at 20 million documents; every
candidate's Jaccard is checked on its text). The local document is the index's document key less the
segment's `base`, so a segment spans fewer than 2**24 document keys.

Each run's entries become a new segment of level 0; FANOUT segments of one level are merged into one
of the next. A night looks in at most FANOUT - 1 segments a level (a level per factor of FANOUT in
the runs), with a binary search of its sorted keys in each memory-mapped file: it reads the pages its
searches touch, not the segments. An entry is rewritten once a level in its life.

Which files are live is said by the index's `segments` table, committed in the transaction of the run
(or the merge) that made them: a file written by a run killed before its commit, or one a merge
replaced, is a stray, deleted when the index is next opened. One process opens the index at a time
(the dedup lock).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.files import DamagedFile

FANOUT = 8
MERGE_WORDS = 2**22  # a merge sorts this many words at a time (32 MiB)
DOC_BITS = 24  # a segment spans fewer than 2**24 document keys
_LOCAL = np.uint64(2**DOC_BITS - 1)
_BAND_BITS, _HASH_BITS = 5, 35  # of a bucket key: band number in the top byte, a 56-bit hash below
_FINAL = 1_000  # the level of segments whose merge would span too many documents: never merged again
_SUFFIX = ".u64"
_WAY_OUT = ("move data/dedup aside: the next dedup starts a new index (copies of documents deduplicated "
            "before it are no longer found)")


def word_keys(buckets: np.ndarray) -> np.ndarray:
    """The 40-bit keys of signed 64-bit bucket keys (`minhash._band_keys`: band << 56 | hash)."""
    keys = np.asarray(buckets, dtype=np.int64).view(np.uint64)
    # beyond 32 bands, two bands share a slot: that costs needless candidates, never a missed one
    band = (keys >> np.uint64(56)) & np.uint64(2**_BAND_BITS - 1)
    return (band << np.uint64(_HASH_BITS)) | ((keys & np.uint64(2**56 - 1)) >> np.uint64(56 - _HASH_BITS))


@dataclass(frozen=True)
class Segment:
    name: str
    base: int  # its first document key
    span: int  # document keys from base it may hold
    level: int


class BucketSegments:
    """The segments of one index: written beside its SQLite file, listed in its `segments` table."""

    def __init__(self, db: sqlite3.Connection, folder: Path) -> None:
        self.db, self.folder = db, folder
        db.execute("CREATE TABLE IF NOT EXISTS segments (name TEXT PRIMARY KEY, base INTEGER NOT NULL, "
                   "span INTEGER NOT NULL, level INTEGER NOT NULL)")
        db.commit()
        folder.mkdir(parents=True, exist_ok=True)
        live = {segment.name for segment in self.live()}
        for path in folder.iterdir():  # left by a run or a merge killed before or after its commit
            if path.stem not in live:
                path.unlink(missing_ok=True)

    def live(self) -> list[Segment]:
        return [Segment(*row) for row in self.db.execute("SELECT name, base, span, level FROM segments ORDER BY base")]

    def end(self) -> int:
        """One past the highest document key any segment may hold: new keys start there or later."""
        return self.db.execute("SELECT COALESCE(MAX(base + span), 0) FROM segments").fetchone()[0]

    def bytes(self) -> int:
        return sum(path.stat().st_size for path in self.folder.iterdir())

    def write(self, keys: np.ndarray, docs: np.ndarray, level: int = 0) -> list[Segment]:
        """Write the entries (40-bit keys, document keys) as new segment files, not yet live: the
        caller's transaction makes them so with `insert`."""
        if not docs.size:
            return []
        written = []
        order = np.argsort(docs, kind="stable")
        keys, docs = keys[order], docs[order]
        start = 0
        while start < docs.size:  # one segment per 2**24 document keys
            base = int(docs[start])
            stop = int(np.searchsorted(docs, base + 2**DOC_BITS))
            local = (docs[start:stop] - base).astype(np.uint64)
            words = np.sort((keys[start:stop] << np.uint64(DOC_BITS)) | local)
            written.append(self._save([words], base, int(docs[stop - 1]) - base + 1, level))
            start = stop
        return written

    def _save(self, parts: Iterable[np.ndarray], base: int, span: int, level: int) -> Segment:
        """A new segment file of these sorted words, in order."""
        segment = Segment(f"{base:012d}-{level}-{secrets.token_hex(4)}", base, span, level)
        with open(self._path(segment), "wb") as out:
            for words in parts:
                words.astype("<u8").tofile(out)
            out.flush()
            os.fsync(out.fileno())
        return segment

    def _merged(self, group: list[Segment], base: int) -> Iterator[np.ndarray]:
        """The words of `group`, their documents counted from `base`, sorted, in slices of the key space
        of about MERGE_WORDS words: memory holds one slice, not the merged segment."""
        sources = [(self._words(s), np.uint64(s.base - base)) for s in group]
        slices = max(1, sum(words.size for words, _ in sources) // MERGE_WORDS)
        # at a key's first word: a key's words stay in one slice, so the shift cannot reorder two slices
        bounds = [np.uint64((2**64 // slices * n) >> DOC_BITS << DOC_BITS) for n in range(1, slices)]
        for lower, upper in zip([None, *bounds], [*bounds, None]):
            parts = []
            for words, shift in sources:  # the shift cannot reach the key bits: base + span < 2**24
                start = 0 if lower is None else int(np.searchsorted(words, lower))
                stop = words.size if upper is None else int(np.searchsorted(words, upper))
                parts.append(np.asarray(words[start:stop]) + shift)
            yield np.sort(np.concatenate(parts))

    def insert(self, segments: list[Segment]) -> None:
        """In the caller's transaction: these segments are live."""
        self.db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?)",
                            ((s.name, s.base, s.span, s.level) for s in segments))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted unique 40-bit `keys`: (index into keys, document key) of every entry holding one."""
        found_keys: list[np.ndarray] = []
        found_docs: list[np.ndarray] = []
        lows = keys.astype(np.uint64) << np.uint64(DOC_BITS)
        for segment in self.live():
            words = self._words(segment)
            if not words.size:
                continue
            starts = np.searchsorted(words, lows, "left")  # one search: a key's entries follow its first
            firsts = np.asarray(words[np.minimum(starts, words.size - 1)])
            for at in np.nonzero((firsts >> np.uint64(DOC_BITS)) == keys)[0]:  # rare: copies, needless candidates
                end = int(np.searchsorted(words, lows[at] | _LOCAL, "right"))
                hits = np.asarray(words[starts[at]:end])
                found_keys.append(np.full(hits.size, at, dtype=np.int64))
                found_docs.append((hits & _LOCAL).astype(np.int64) + segment.base)
            del words
        if not found_keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_keys), np.concatenate(found_docs)

    def compact(self) -> None:
        """Merge FANOUT segments of one level into one of the next, as long as any level has that many."""
        while (level := self._full_level()) is not None:
            group = [segment for segment in self.live() if segment.level == level]
            base = min(s.base for s in group)
            span = max(s.base + s.span for s in group) - base
            if span > 2**DOC_BITS:  # too many document keys for one segment: these stay as they are
                with self.db:
                    self.db.executemany("UPDATE segments SET level = ? WHERE name = ?",
                                        ((_FINAL, s.name) for s in group))
                continue
            merged = self._save(self._merged(group, base), base, span, level + 1)
            with self.db:
                self.db.executemany("DELETE FROM segments WHERE name = ?", ((s.name,) for s in group))
                self.insert([merged])
            for segment in group:
                self._path(segment).unlink(missing_ok=True)

    def _full_level(self) -> int | None:
        row = self.db.execute("SELECT level FROM segments WHERE level < ? GROUP BY level HAVING COUNT(*) >= ? "
                              "ORDER BY level LIMIT 1", (_FINAL, FANOUT)).fetchone()
        return row[0] if row else None

    def _path(self, segment: Segment) -> Path:
        return self.folder / f"{segment.name}{_SUFFIX}"

    def _words(self, segment: Segment) -> np.ndarray:
        path = self._path(segment)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise DamagedFile(self.folder, f"its live segment {path.name} is missing", _WAY_OUT) from None
        if size % 8:
            raise DamagedFile(self.folder, f"its segment {path.name} is cut short", _WAY_OUT)
        return np.memmap(path, dtype="<u8", mode="r") if size else np.zeros(0, dtype="<u8")

    def adopt(self, table: str, rows: int = 2**19) -> None:
        """Move the (bucket, doc) rows of an older index's bucket table into segments, then drop the
        table: one pass in its order, each range of `rows` document keys gathered in a file of its own
        and sorted alone, so memory holds one range. A kill leaves the table as it was."""
        ranges: dict[int, Path] = {}
        cursor = self.db.execute(f"SELECT bucket, doc FROM {table}")
        while batch := cursor.fetchmany(2**20):
            pairs = np.array(batch, dtype=np.int64)
            for number in np.unique(pairs[:, 1] // rows).tolist():
                path = ranges.setdefault(number, self.folder / f"adopting-{number}{_SUFFIX}")
                with open(path, "ab") as out:  # a stray if killed: removed at the next open
                    pairs[pairs[:, 1] // rows == number].tofile(out)
        segments = []
        for path in ranges.values():
            pairs = np.fromfile(path, dtype=np.int64).reshape(-1, 2)
            segments += self.write(word_keys(pairs[:, 0]), pairs[:, 1], _FINAL)
            path.unlink()
        with self.db:
            self.insert(segments)
            self.db.execute(f"DROP TABLE {table}")
        self.db.execute("VACUUM")  # give the table's pages back to the file system


