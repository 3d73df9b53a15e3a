"""The dataset's ledger (`changelog.json`): every change to the published files, in order.

Three kinds of entry, each a JSON object with a `kind`:

- `run`: a crawl run was published; `rows` maps each period to the rows it added, in
  `data/<period>/<run>.parquet`; `imported: true` when `zhnews import-warc` made it from another
  archiver's WARC files (its pages were fetched under that archiver's policy, not ours).
- `rewrite`: a published file was replaced by a copy without some of its rows (`replaced` → `by`, or
  `by: null` when no row was left); `removed` counts them by cause (`revised`: a later run holds a
  newer version of the article; `withdrawn`: a publisher's request).
- `withdrawal`: a request applied (`key`, `reason`, `rows` removed by it).

Replaying the ledger gives the files that make up the dataset (`Ledger.live`) and every name a data
file ever had (`Ledger.used`): a rewritten file gets a name never used before, so no cache keyed on
file names can serve its old rows, and the Hub's copy of a replaced file is known to be ours to delete.
The files that held a withdrawn row (`Ledger.held_withdrawn`) are purged from the Hub's history too.
Entries written before `kind` existed are runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.files import read_json
from corpus.layout import DatasetLayout

# the ledger is published with the dataset: a damaged one is restored from the Hub's copy
LEDGER_WAY_OUT = ("restore it from the published repository's copy (or a backup) and build again; nothing was "
                  "written")
# written by builds before revisions were removed from the files: the next build removes its rows
LEGACY_SUPERSEDED = "superseded.json"
REWRITE_MARK = "~"  # data/<period>/<run>~<n>.parquet: never a run id's character, so never a run's file


def run_file(period: str, run: str) -> str:
    return f"data/{period}/{run}.parquet"


@dataclass
class LiveFile:
    run: str  # the run whose rows it holds (a rewritten file keeps its run)
    period: str
    rows: int


@dataclass
class Ledger:
    entries: list[dict[str, Any]] = field(default_factory=list)
    live: dict[str, LiveFile] = field(default_factory=dict)  # relative path → what it holds
    used: set[str] = field(default_factory=set)
    runs: set[str] = field(default_factory=set)
    withdrawals: set[str] = field(default_factory=set)  # keys of the withdrawals applied

    @classmethod
    def replay(cls, entries: list[dict[str, Any]]) -> Ledger:
        ledger = cls()
        for entry in entries:
            ledger._apply(entry)
        ledger.entries = list(entries)
        return ledger

    def _apply(self, entry: dict[str, Any]) -> None:
        kind = entry.get("kind", "run")
        if kind == "run":
            self.runs.add(entry["run"])
            for period, rows in entry["rows"].items():
                path = run_file(period, entry["run"])
                self.live[path] = LiveFile(entry["run"], period, rows)
                self.used.add(path)
        elif kind == "rewrite":
            old = self.live.pop(entry["replaced"])
            if entry["by"]:
                self.live[entry["by"]] = LiveFile(old.run, old.period, entry["rows"])
                self.used.add(entry["by"])
        elif kind == "withdrawal":
            self.withdrawals.add(entry["key"])

    def append(self, entry: dict[str, Any]) -> None:
        self._apply(entry)
        self.entries.append(entry)

    def files_of(self, run: str) -> list[str]:
        return sorted(path for path, live in self.live.items() if live.run == run)

    def rewritten_name(self, path: str) -> str:
        """A name for the copy of `path` that no data file ever had."""
        base = path.removesuffix(".parquet").split(REWRITE_MARK)[0]
        n = 1
        while f"{base}{REWRITE_MARK}{n}.parquet" in self.used:
            n += 1
        return f"{base}{REWRITE_MARK}{n}.parquet"

    @property
    def retired(self) -> set[str]:
        """Data files the dataset once had and no longer has: the Hub's copies are deleted."""
        return self.used - set(self.live)

    @property
    def held_withdrawn(self) -> set[str]:
        """Data files that held a row a withdrawal removed: each file a rewrite left withdrawn rows out of,
        and every file it was rewritten from (a rewrite only removes rows, so they held the row too). The
        Hub's history keeps them: publish purges them from it (`corpus/hub_history.py`)."""
        rewrites = [entry for entry in self.entries if entry.get("kind") == "rewrite"]
        rewritten_from = {entry["by"]: entry["replaced"] for entry in rewrites if entry["by"]}
        held: set[str] = set()
        for entry in rewrites:
            path = entry["replaced"] if entry["removed"].get("withdrawn") else None
            while path is not None and path not in held:
                held.add(path)
                path = rewritten_from.get(path)
        return held

    def removed(self, cause: str) -> int:
        """Rows removed from published files for `cause` (revised, withdrawn), over the whole ledger."""
        return sum(entry["removed"].get(cause, 0) for entry in self.entries if entry.get("kind") == "rewrite")

    def growth(self) -> list[tuple[str, int]]:
        """(when, rows in the dataset after it) for each change: runs add rows, rewrites remove some."""
        rows, points = 0, []
        for entry in self.entries:
            kind = entry.get("kind", "run")
            if kind == "run":
                rows += sum(entry["rows"].values())
                points.append((entry["built_at"], rows))
            elif kind == "rewrite":
                rows -= sum(entry["removed"].values())
                points.append((entry["at"], rows))
        return points

    def published_runs(self) -> list[dict[str, Any]]:
        return [entry for entry in self.entries if entry.get("kind", "run") == "run"]


def load_ledger(dataset: DatasetLayout) -> Ledger:
    return Ledger.replay(read_json(dataset.changelog, LEDGER_WAY_OUT) if dataset.changelog.exists() else [])
