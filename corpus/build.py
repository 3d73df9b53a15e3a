"""Build the published dataset: hub layout, append-only per crawl period.

`data/dataset/data/<period>/<run-id>.parquet` holds the documents one crawl run added in that period,
as `zhnews dedup` left them; once written a file is never rewritten, so a mirror on the Hub only ever
receives new files. A revised article is a new row in a new file: the row it supersedes stays in its
file, is listed in `superseded.json`, and the card's configs filter it out, so `load_dataset` shows
one row per id. `changelog.json` and `superseded.json` grow with each published run; the card
(`README.md`) and `thresholds.yaml` are regenerated on every build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from tqdm import tqdm

from corpus.card import write_card
from corpus.files import atomic_path, exclusive, read_json, write_json
from corpus.layout import DataLayout, DatasetLayout
from corpus.record import RECORD_SCHEMA


@dataclass
class BuildSummary:
    out_dir: Path
    added: dict[str, int] = field(default_factory=dict)  # "<period>/<run>.parquet" → rows
    skipped_runs: list[str] = field(default_factory=list)
    unfinished_runs: list[str] = field(default_factory=list)
    undeduplicated_runs: list[str] = field(default_factory=list)
    superseded: int = 0
    total_rows: int = 0
    card_summary: str = ""  # the card's one-line summary of the whole dataset
    seconds: float = 0.0

    def render(self) -> str:
        lines = [f"build: {len(self.added)} new file(s), {sum(self.added.values())} new rows, "
                 f"{self.total_rows} rows in all, {self.seconds:.1f}s → {self.out_dir}"]
        lines += [f"  + data/{name}: {rows} rows" for name, rows in sorted(self.added.items())]
        if self.skipped_runs:
            lines.append(f"  already published: {', '.join(self.skipped_runs)}")
        if self.superseded:
            lines.append(f"  {self.superseded} earlier row(s) superseded by revisions (filtered out by the card)")
        if self.unfinished_runs:
            lines.append(f"  not processed completely (run `zhnews process` first): {', '.join(self.unfinished_runs)}")
        if self.undeduplicated_runs:
            lines.append(f"  not deduplicated (run `zhnews dedup` first): {', '.join(self.undeduplicated_runs)}")
        lines.append(f"  load it: datasets.load_dataset({str(self.out_dir)!r}, split='train')")
        return "\n".join(lines)


# the dataset's ledgers are published with it: a damaged one is restored from the Hub's copy
_LEDGER_WAY_OUT = ("restore it from the published repository's copy (or a backup) and build again; the build "
                   "wrote nothing")
# a damaged run file is written anew by the stage that wrote it
_SUMMARY_WAY_OUT = ("delete it and run `zhnews process --run {run}`, which sums it anew from the shards; the "
                    "build wrote nothing")
_DEDUP_WAY_OUT = ("delete it and {run}'s dedup.json, then run `zhnews dedup`, which writes both anew from its "
                  "index; the build wrote nothing")


def _load_json_list(path: Path) -> list[dict]:
    return read_json(path, _LEDGER_WAY_OUT) if path.exists() else []


def _check_run_files(layout: DataLayout, runs: list[str]) -> None:
    """Read every run file the card will read, before anything is written: a damaged one stops the
    build whole, instead of after the changelog was written and before the card was."""
    for run in runs:
        for path, way_out in ((layout.run_summary(run), _SUMMARY_WAY_OUT), (layout.dedup_stats(run), _DEDUP_WAY_OUT),
                              (layout.superseded(run), _DEDUP_WAY_OUT)):
            if path.exists():
                read_json(path, way_out.format(run=run))


def _unique(rows: list[dict]) -> list[dict]:
    return list({(row["id"], row["crawl_run"]): row for row in rows}.values())


def build_dataset(layout: DataLayout, out_dir: Path | None = None, progress: bool = True) -> BuildSummary:
    """Publish every fully processed run not yet in the dataset; rewrite the card. Raises `Busy` while
    another build writes the same folder."""
    dataset = DatasetLayout(out_dir or layout.dataset)
    with exclusive(dataset.lock, f"dataset {dataset.root}", "zhnews build"):
        return _build(layout, dataset, progress)


def _build(layout: DataLayout, dataset: DatasetLayout, progress: bool) -> BuildSummary:
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    if not progress:  # datasets' own bars too ("Creating parquet from Arrow format")
        disable_progress_bar()

    started = time.monotonic()
    summary = BuildSummary(dataset.root)
    changelog = _load_json_list(dataset.changelog)
    superseded = _load_json_list(dataset.superseded)
    published = {entry["run"] for entry in changelog}
    _check_run_files(layout, layout.processed_runs())
    for run in tqdm(layout.processed_runs(), desc="build", unit=" runs", disable=not progress):
        if run in published:
            summary.skipped_runs.append(run)
            continue
        if not layout.run_summary(run).exists():
            summary.unfinished_runs.append(run)
            continue
        if not layout.dedup_stats(run).exists():
            summary.undeduplicated_runs.append(run)
            continue
        table = pq.read_table(layout.dedup_docs(run), schema=RECORD_SCHEMA)
        rows_by_period: dict[str, int] = {}
        for period in sorted(set(table.column("period").to_pylist())):
            subset = Dataset(table.filter(table.column("period").to_numpy(zero_copy_only=False) == period))
            target = dataset.data_file(period, run)
            with atomic_path(target) as tmp:
                subset.to_parquet(str(tmp))
            rows_by_period[period] = subset.num_rows
            summary.added[f"{period}/{run}.parquet"] = subset.num_rows
        revisions = read_json(layout.superseded(run), _DEDUP_WAY_OUT.format(run=run))
        superseded += revisions
        # before the changelog, which is the ledger of what was published: a kill in between
        # republishes the run's files and appends its supersessions again (`_unique` drops repeats)
        write_json(dataset.superseded, _unique(superseded))
        changelog.append({"run": run, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                          "rows": rows_by_period, "superseded": len(revisions)})
        write_json(dataset.changelog, changelog)
        summary.superseded += len(revisions)
    summary.total_rows, summary.card_summary = write_card(dataset, changelog, _unique(superseded), layout)
    summary.seconds = time.monotonic() - started
    return summary
