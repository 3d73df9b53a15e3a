"""Where everything lives under the data folder: the one module that spells out its layout.

```
data/
  state.sqlite                      crawl state (crawler/state.py)
  lines.sqlite                      per-domain line counts (cleaning/steps/repeated_lines.py)
  locks/<site>.lock                 held by the crawl of a site (crawler/run_setup.py)
  locks/scheduled.lock              held by `zhnews scheduled` for its whole chain
  locks/process.lock                held by `zhnews process` from before its first run to its end
  logs/<started>.log, logs/status   a scheduled job's log, and the one-line status of the last one
  raw/<run>/
    .lock                           held by the crawl writing the run, and by `process` reading it
    import.unfinished               there while `zhnews import-warc` writes the run: one killed leaves it,
                                    `process` refuses the run and the same import starts it over
    imported                        it takes that name when the import ends: the run's pages were fetched
                                    by another archiver, under its own policy (the card says so)
    archive.pending                 there until a crawl for a shared archive has copied the run there
    sites/<site>.json               the site profiles the crawl used (crawler/profile.py: snapshot)
    settings/<site>.json            the crawl settings in force for each site (crawler/run_setup.py)
    crawl.json                      how each site's crawl ended (corpus/crawl_report.py)
    pages/<site>.jsonl              paginated articles: their later pages' records (corpus/article_pages.py)
    <run>-<site>-<seq>.warc.gz      the raw archive (corpus/warc_format.py)
  work/<run>/crawl-<site>/          the crawl's request queue on disk (Scrapy's JOBDIR), while it runs
  work/<run>/pull/                  a run `zhnews pull` is downloading from a shared archive
  work/<run>/<shard>.<phase>.*      what one phase of a shard left for the next (cleaning/run/shard.py);
                                    work/<run>/ is removed when the run is processed
  docs/<run>/<shard>.parquet        kept documents (corpus/record.py: RECORD_SCHEMA)
  rejects/<run>/<step>/<shard>.parquet   dropped documents, with step and reason (REJECT_SCHEMA)
  stats/<run>/<shard>.json          a shard's counters; written last, it marks the shard done
  stats/<run>/summary.json          the run's counters, pipeline and configuration
  stats/<run>/dedup.json            the run's dedup counters; written last, it marks the run deduplicated
  dedup/index.sqlite                every kept document's id, text hash and where its text is
  dedup/index.buckets/              its LSH bucket keys: sorted segments of 64-bit words
                                    (cleaning/dedup/index.py), locked by dedup/.lock
  dedup/<run>/docs.parquet          the run's documents that survived dedup, dup_cluster_* set
  dedup/<run>/superseded.json       earlier rows (id, crawl_run) that this run's revisions replace
  dedup/<run>/reprints.json         earlier clusters this run's copies grew: id, run of its row, new size
  rejects/<run>/<layer>/dedup.parquet    copies dedup dropped, with the id they duplicate
  dataset.yaml                      the operator's settings: name, licence, repo, contact (corpus/dataset_config.py)
  withdrawn.json                    the withdrawal blocklist (corpus/withdrawn.py), honoured by every stage
  .dataset.staging/                 a build's files on their way into dataset/ (corpus/data_files.py)
  dataset/                          the published dataset (`DatasetLayout`), locked by .dataset.lock beside it
    data/<period>/<run>.parquet     one file per run and crawl period; rewritten as <run>~<n>.parquet
                                    when rows leave it (revised, withdrawn: corpus/build.py)
    clusters/<period>.parquet       sizes of clusters that grew after their row was published (corpus/build.py)
    README.md, changelog.json       the card and the ledger of every change to the files (corpus/ledger.py)
    sample/sample.parquet           the card's fixed sample: the rows with the 1,000 smallest ids
    .file-stats.json, .sample.json  each data file's counts and the sample rows' files (corpus/file_stats.py),
    .card-inputs.json, .digests.json  what the card was drawn from, what publish hashed: never published
    thresholds.yaml                 the filter and dedup thresholds in force (the card links it)
```

A fleet's shared archive (`ZHNEWS_ARCHIVE_URL`, a folder or an object-store prefix) holds the same
`raw/<run>/` folders, arriving through `incoming/<run>/` (`archive_run`, `crawler/shared_archive.py`).

Every other module asks a `DataLayout` for a path instead of joining names itself, so moving the
data folder elsewhere is a change in this file. This module imports nothing of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WARC_SUFFIX = ".warc.gz"
# a run id names folders and files and reaches the dataset card: letters, digits, `.`, `_` and `-`
# (a fleet's runs are `<run>.<site>`), starting with a letter or digit; never a path or markup
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class BadRunId(ValueError):
    """A run id that could leave `raw/` or carry markup into the card (`zhnews --run-id ../x`)."""


def checked_run(run: str) -> str:
    """`run`, when it is a valid run id; BadRunId, saying what one is, otherwise."""
    if not RUN_ID.fullmatch(run) or ".." in run:
        raise BadRunId(f"{run!r} is not a run id: up to 100 letters, digits, '.', '_' and '-', starting with a "
                         "letter or digit")
    return run
PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class ForeignDataset(Exception):
    """A dataset folder that holds data files or a card but no ledger: zhnews did not write it."""


class BadPeriod(ValueError):
    """A document's period that is no month: it comes from a WARC-Date, which an archive may hold in any form
    (`zhnews import-warc` skips such records; a run imported before it did may still hold one)."""


def checked_period(period: str) -> str:
    """`period`, when it is a month (YYYY-MM) and so a folder name inside the dataset; BadPeriod otherwise."""
    if not PERIOD.fullmatch(period):
        raise BadPeriod(f"{period!r} is not a period (YYYY-MM, from a document's WARC-Date): it would name a "
                        "folder outside data/<month>/; re-import that run's archive")
    return period


DEFAULT_ROOT = Path("data")  # relative to where a command runs, as `make` targets expect


def shard_name(warc: Path) -> str:
    """A shard is one WARC file; its outputs are named after the file."""
    return warc.name[: -len(WARC_SUFFIX)]


def archive_run(root: str, run: str, arriving: bool = False) -> str:
    """A run's folder in a shared archive (a path or URL without the scheme), or where it arrives."""
    return f"{root.rstrip('/')}/{'incoming' if arriving else 'raw'}/{run}"


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

    def site_lock(self, site: str) -> Path:
        return self.root / "locks" / f"{site}.lock"

    @property
    def scheduled_lock(self) -> Path:
        return self.root / "locks" / "scheduled.lock"

    @property
    def process_lock(self) -> Path:
        return self.root / "locks" / "process.lock"

    def scheduled_log(self, started: str) -> Path:
        return self.root / "logs" / f"{started}.log"

    @property
    def scheduled_status(self) -> Path:
        return self.root / "logs" / "status"

    # --- the raw archive ----------------------------------------------------------------------
    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def run_dir(self, run: str) -> Path:
        return self.raw / checked_run(run)

    def run_lock(self, run: str) -> Path:
        return self.run_dir(run) / ".lock"

    def unfinished_import(self, run: str) -> Path:
        return self.run_dir(run) / "import.unfinished"

    def imported_run(self, run: str) -> Path:
        return self.run_dir(run) / "imported"

    def archive_pending(self, run: str) -> Path:
        return self.run_dir(run) / "archive.pending"

    def runs_pending_archive(self) -> list[str]:
        """Runs crawled for a shared archive and not copied there yet (`crawler/shared_archive.py`)."""
        return sorted(path.parent.name for path in self.raw.glob("*/archive.pending"))

    def site_snapshots(self, run: str) -> list[Path]:
        return sorted((self.run_dir(run) / "sites").glob("*.json"))

    def site_snapshot(self, run: str, site: str) -> Path:
        return self.run_dir(run) / "sites" / f"{site}.json"

    def crawl_config(self, run: str, site: str) -> Path:
        return self.run_dir(run) / "settings" / f"{site}.json"

    def crawl_report(self, run: str) -> Path:
        return self.run_dir(run) / "crawl.json"

    def article_pages(self, run: str, site: str) -> Path:
        return self.run_dir(run) / "pages" / f"{site}.jsonl"

    def article_pages_files(self, run: str) -> list[Path]:
        return sorted((self.run_dir(run) / "pages").glob("*.jsonl"))

    def runs(self) -> list[str]:
        """Crawl runs, oldest first (run ids sort by time)."""
        return sorted(p.name for p in self.raw.glob("*/") if p.is_dir() and RUN_ID.fullmatch(p.name))

    def open_shards(self, run: str) -> list[Path]:
        """WARC files still open: being written, or left by a killed crawl (`recover_open_files`)."""
        return sorted(self.run_dir(run).glob(f"*{WARC_SUFFIX}.open"))

    def shards(self, run: str) -> list[Path]:
        return sorted(self.run_dir(run).glob(f"*{WARC_SUFFIX}"))

    # --- processing outputs -------------------------------------------------------------------
    def work(self, run: str) -> Path:
        return self.root / "work" / checked_run(run)

    def crawl_queue(self, run: str, site: str) -> Path:
        return self.work(run) / f"crawl-{site}"

    def pulled(self, run: str) -> Path:
        """Where `zhnews pull` downloads a run from a shared archive before renaming it to raw/<run>/."""
        return self.work(run) / "pull"

    def phase_docs(self, run: str, shard: str, phase: int) -> Path:
        """The documents phase `phase` of a shard starts from (phase 0 reads the WARC file)."""
        return self.work(run) / f"{shard}.{phase}.arrow"

    def phase_marker(self, run: str, shard: str, phase: int) -> Path:
        """Written last by the phase before `phase`: its counters and observations."""
        return self.work(run) / f"{shard}.{phase}.json"

    def docs(self, run: str) -> Path:
        return self.root / "docs" / checked_run(run)

    def shard_docs(self, run: str, shard: str) -> Path:
        return self.docs(run) / f"{shard}.parquet"

    def rejects(self, run: str) -> Path:
        return self.root / "rejects" / checked_run(run)

    def shard_rejects(self, run: str, step: str, shard: str) -> Path:
        return self.rejects(run) / step / f"{shard}.parquet"

    def stats(self, run: str) -> Path:
        return self.root / "stats" / checked_run(run)

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

    # --- dedup --------------------------------------------------------------------------------
    @property
    def dedup_index(self) -> Path:
        return self.root / "dedup" / "index.sqlite"

    @property
    def dedup_lock(self) -> Path:
        return self.root / "dedup" / ".lock"

    def dedup_docs(self, run: str) -> Path:
        return self.root / "dedup" / checked_run(run) / "docs.parquet"

    def superseded(self, run: str) -> Path:
        return self.root / "dedup" / checked_run(run) / "superseded.json"

    def reprints(self, run: str) -> Path:
        """Clusters of earlier runs that this run's copies grew: their new sizes (cleaning/dedup/stage.py)."""
        return self.root / "dedup" / checked_run(run) / "reprints.json"

    def dedup_rejects(self, run: str, layer: str) -> Path:
        return self.shard_rejects(run, layer, "dedup")

    def dedup_stats(self, run: str) -> Path:
        return self.stats(run) / "dedup.json"

    # --- the dataset --------------------------------------------------------------------------
    @property
    def dataset(self) -> Path:
        return self.root / "dataset"

    @property
    def dataset_config(self) -> Path:
        """The operator's settings: dataset name, licence, repo, contact (corpus/dataset_config.py)."""
        return self.root / "dataset.yaml"

    @property
    def withdrawn(self) -> Path:
        """The withdrawal blocklist every stage honours (corpus/withdrawn.py)."""
        return self.root / "withdrawn.json"


@dataclass(frozen=True)
class DatasetLayout:
    """The published dataset folder, in the Hugging Face hub layout; it may live outside `data/`."""

    root: Path

    @property
    def lock(self) -> Path:
        """Beside the folder, not in it: the folder is what gets published."""
        return self.root.parent / f".{self.root.name}.lock"

    @property
    def card(self) -> Path:
        return self.root / "README.md"

    @property
    def changelog(self) -> Path:
        return self.root / "changelog.json"

    @property
    def thresholds(self) -> Path:
        return self.root / "thresholds.yaml"

    @property
    def card_inputs(self) -> Path:
        """A digest of what the card was drawn from, and its figures (a dot file: never published)."""
        return self.root / ".card-inputs.json"

    @property
    def digests(self) -> Path:
        """What `publish` hashed, by file size and time: a dot file, so it is never published itself."""
        return self.root / ".digests.json"

    def cluster_sizes(self, period: str) -> Path:
        """Sizes of the clusters of `period`'s rows that grew after the rows were published."""
        return self.root / "clusters" / f"{period}.parquet"

    def data_file(self, period: str, run: str) -> Path:
        return self.root / "data" / checked_period(period) / f"{checked_run(run)}.parquet"

    def data_files(self) -> list[Path]:
        return sorted((self.root / "data").glob("*/*.parquet"))

    def relative(self, path: Path) -> str:
        """A path as the card's `configs` name it."""
        return path.relative_to(self.root).as_posix()
