"""What the card says about each data file, counted once, when the file is first met.

The card's statistics, figures and sample are sums over the dataset's files. Counting them from the
rows on every build read every published file (issue 24 measured 40 s and 1.9 GB a night at 1,000
runs), so each file's counts are kept in `dataset/.file-stats.json` (a dot file: never published),
keyed by the file's name, which never changes content (a file that loses rows gets a new name). A
build reads only the files it has no counts for: the new run's, those a revision or withdrawal
rewrote, and every file once when the store is missing (it is only a memory). Lengths are kept as a
histogram of LENGTH_BIN characters, so the card's median is within that.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from corpus.files import write_json

LENGTH_BIN = 10  # characters
SMALLEST_IDS = 1_000  # each file's smallest ids: the card's fixed sample is the smallest of all
_COLUMNS = ["id", "period", "site", "char_count", "published_at", "pii", "language"]


@dataclass
class FileStats:
    rows: int = 0
    chars: int = 0
    bytes_on_disk: int = 0
    data_bytes: int = 0  # uncompressed, as parquet records it (the Arrow size `datasets` means, near enough)
    by_period: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)  # published_at's date; undated rows left out
    languages: dict[str, int] = field(default_factory=dict)
    pii: dict[str, int] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)  # bin start (characters) → rows
    smallest_ids: list[str] = field(default_factory=list)

    @classmethod
    def count(cls, path: Path) -> FileStats:
        table = pq.read_table(path, columns=_COLUMNS)
        metadata = pq.read_metadata(path)
        by_period, by_site, by_day, languages, pii, lengths = (Counter() for _ in range(6))
        chars = 0
        for row in table.to_pylist():
            by_period[row["period"]] += 1
            by_site[str(row["site"])] += 1
            languages[row["language"] or ""] += 1
            lengths[str(row["char_count"] // LENGTH_BIN * LENGTH_BIN)] += 1
            chars += row["char_count"]
            if row["published_at"]:
                by_day[row["published_at"][:10]] += 1
            pii.update({kind: n for kind, n in (row["pii"] or {}).items() if n})
        return cls(table.num_rows, chars, path.stat().st_size,
                   sum(metadata.row_group(g).total_byte_size for g in range(metadata.num_row_groups)),
                   dict(by_period), dict(by_site), dict(by_day), dict(languages), dict(pii), dict(lengths),
                   heapq.nsmallest(SMALLEST_IDS, table.column("id").to_pylist()))


@dataclass
class DatasetStats:
    """The sums over the files the card describes."""

    rows: int = 0
    chars: int = 0
    bytes_on_disk: int = 0
    data_bytes: int = 0
    by_period: Counter[str] = field(default_factory=Counter)
    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    pii: Counter[str] = field(default_factory=Counter)
    lengths: Counter[int] = field(default_factory=Counter)
    smallest: list[tuple[str, str]] = field(default_factory=list)  # (id, file) of the sample's rows

    def add(self, relative: str, stats: FileStats) -> None:
        self.rows += stats.rows
        self.chars += stats.chars
        self.bytes_on_disk += stats.bytes_on_disk
        self.data_bytes += stats.data_bytes
        for mine, theirs in ((self.by_period, stats.by_period), (self.by_site, stats.by_site),
                             (self.by_day, stats.by_day), (self.languages, stats.languages), (self.pii, stats.pii)):
            mine.update(theirs)
        self.lengths.update({int(start): n for start, n in stats.lengths.items()})
        # the sample's candidates: a file's ids above the smallest SMALLEST_IDS seen so far cannot be in it
        bound = self.smallest[-1][0] if len(self.smallest) >= SMALLEST_IDS else None
        candidates = [(row_id, relative) for row_id in stats.smallest_ids if bound is None or row_id < bound]
        if candidates:
            self.smallest = heapq.nsmallest(SMALLEST_IDS, [*self.smallest, *candidates])

    @property
    def median_length(self) -> int:
        """The median document's length, to LENGTH_BIN characters (the middle of its bin)."""
        middle, seen = (self.rows + 1) / 2, 0
        for start in sorted(self.lengths):
            seen += self.lengths[start]
            if seen >= middle:
                return start + LENGTH_BIN // 2
        return 0


def dataset_stats(root: Path, files: list[str]) -> DatasetStats:
    """Sum the counts of `files` (relative to `root`), counting the files the store does not know yet
    and forgetting those no longer listed."""
    store = root / ".file-stats.json"
    try:
        known: dict[str, dict] = json.loads(store.read_text("utf-8"))
    except FileNotFoundError:
        known = {}
    except ValueError:  # damaged (by hand?): only a memory, so every file is counted again
        known = {}
    total, counted = DatasetStats(), False
    for relative in files:
        if relative not in known:
            known[relative] = asdict(FileStats.count(root / relative))
            counted = True
        total.add(relative, FileStats(**known[relative]))
    if counted or set(known) - set(files):
        write_json(store, {relative: known[relative] for relative in files})
    return total
