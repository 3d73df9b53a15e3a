"""Where everything lives under the data folder: the one module that spells out its layout.

```
data/
  state.sqlite                      crawl state (crawler/state.py)
  lines.sqlite                      per-domain line counts (cleaning/steps/repeated_lines.py)
  raw/<run>/
    .lock                           held by the crawl writing the run, and by `process` reading it
    sites/<site>.json               the site profiles the crawl used (crawler/profile.py: snapshot)
    <run>-<site>-<seq>.warc.gz      the raw archive (corpus/warc_format.py)
  work/<run>/                       phase files of a multi-phase pipeline, gone when the run is done
  docs/<run>/<shard>.parquet        kept documents (corpus/record.py: RECORD_SCHEMA)
  rejects/<run>/<step>/<shard>.parquet   dropped documents, with step and reason (REJECT_SCHEMA)
  stats/<run>/<shard>.json          a shard's counters; written last, it marks the shard done
  stats/<run>/summary.json          the run's counters, pipeline and configuration
  dataset/                          the published dataset (corpus/build.py), locked by .dataset.lock beside it
```

Every other module asks a `DataLayout` for a path instead of joining names itself, so moving the
data folder elsewhere is a change in this file. This module imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WARC_SUFFIX = ".warc.gz"


def shard_name(warc: Path) -> str:
    """A shard is one WARC file; its outputs are named after the file."""
    return warc.name[: -len(WARC_SUFFIX)]


@dataclass(frozen=True)
class DataLayout:
    root: Path

    # --- shared state -------------------------------------------------------------------------
    @property
    def state_db(self) -> Path:
        return self.root / "state.sqlite"

    @property
    def lines_db(self) -> Path:
        return self.root / "lines.sqlite"

    # --- the raw archive ----------------------------------------------------------------------
    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def run_dir(self, run: str) -> Path:
        return self.raw / run

    def run_lock(self, run: str) -> Path:
        return self.run_dir(run) / ".lock"

    def site_snapshots(self, run: str) -> list[Path]:
        return sorted((self.run_dir(run) / "sites").glob("*.json"))

    def site_snapshot(self, run: str, site: str) -> Path:
        return self.run_dir(run) / "sites" / f"{site}.json"

    def runs(self) -> list[str]:
        """Crawl runs, oldest first (run ids sort by time)."""
        return sorted(p.name for p in self.raw.glob("*/") if p.is_dir())

    def shards(self, run: str) -> list[Path]:
        return sorted(self.run_dir(run).glob(f"*{WARC_SUFFIX}"))

    # --- processing outputs -------------------------------------------------------------------
    def work(self, run: str) -> Path:
        return self.root / "work" / run

    def docs(self, run: str) -> Path:
        return self.root / "docs" / run

    def rejects(self, run: str) -> Path:
        return self.root / "rejects" / run

    def stats(self, run: str) -> Path:
        return self.root / "stats" / run

    def shard_stats(self, run: str, shard: str) -> Path:
        return self.stats(run) / f"{shard}.json"

    def run_summary(self, run: str) -> Path:
        return self.stats(run) / "summary.json"

    def shard_done(self, run: str, warc: Path) -> bool:
        return self.shard_stats(run, shard_name(warc)).exists()

    def processed_runs(self) -> list[str]:
        """Runs with document files, oldest first."""
        return sorted(p.name for p in (self.root / "docs").glob("*/") if p.is_dir())

    def run_docs(self, run: str) -> list[Path]:
        return sorted(self.docs(run).glob("*.parquet"))

    def document_files(self) -> list[tuple[str, Path]]:
        """(run, file) of every kept and rejected document file of every run."""
        found = []
        for area in (self.root / "docs", self.root / "rejects"):
            found += [(path.relative_to(area).parts[0], path) for path in sorted(area.glob("*/**/*.parquet"))]
        return found

    # --- the dataset --------------------------------------------------------------------------
    @property
    def dataset(self) -> Path:
        return self.root / "dataset"


def dataset_lock(dataset_dir: Path) -> Path:
    """The lock lives beside the dataset folder, not in it: the folder is what gets published."""
    return dataset_dir.parent / f".{dataset_dir.name}.lock"
