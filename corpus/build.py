"""Build the published dataset: hub layout, one current row per article in the files themselves.

A run adds `data/<period>/<run>.parquet` for each crawl period its documents fall in, as `zhnews
dedup` left them; no other period is touched. A row that must go (an earlier version of an article a
later run revised, or a row a publisher had withdrawn, `corpus/withdrawn.py`) is removed by rewriting
the one file that holds it under a new name (`<run>~<n>.parquet`, `corpus/ledger.py`) and deleting the
old file. So `id` is unique across the files, every reader (datasets with or without its own filters,
streaming, duckdb, polars, pyarrow) sees only current rows, and a build costs the new run plus the
files that held removed rows. The ledger (`changelog.json`) is written after every data file and
before any old file is deleted: a build killed at any point leaves files the ledger does not list,
which the next build deletes and writes again. The card (`README.md`), `thresholds.yaml`, the sample
and the figures are drawn again whenever what they show changed (`draw_card`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from corpus.card import SAMPLE_FILE, write_card
from corpus.data_files import clear_staging, masked, write_data_file
from corpus.dataset_config import DatasetConfig
from corpus.files import atomic_path, check_parquet, exclusive, read_json, utc_stamp, write_json
from corpus.layout import DataLayout, DatasetLayout, ForeignDataset
from corpus.ledger import LEDGER_WAY_OUT, LEGACY_SUPERSEDED, Ledger, load_ledger
from corpus.record import RECORD_SCHEMA
from corpus.run_stats import DedupStats, Reprint, RunSummary, Supersession, read_rows
from corpus.version import zhnews_version
from corpus.withdrawn import Blocklist, Withdrawal


@dataclass
class BuildSummary:
    out_dir: Path
    added: dict[str, int] = field(default_factory=dict)  # "<period>/<run>.parquet" → rows
    skipped_runs: list[str] = field(default_factory=list)
    unfinished_runs: list[str] = field(default_factory=list)
    undeduplicated_runs: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)  # cause (revised, withdrawn) → rows
    rewritten: int = 0  # files rewritten without removed rows
    reprinted: int = 0  # published stories whose cluster grew (clusters/<period>.parquet)
    total_rows: int = 0
    card_summary: str = ""  # the card's one-line summary of the whole dataset
    seconds: float = 0.0

    def render(self) -> str:
        lines = [f"build: {len(self.added)} new file(s), {sum(self.added.values())} new rows, "
                 f"{self.total_rows} rows in all, {self.seconds:.1f}s → {self.out_dir}"]
        lines += [f"  + data/{name}: {rows} rows" for name, rows in sorted(self.added.items())]
        if self.skipped_runs:
            lines.append(f"  already published: {', '.join(self.skipped_runs)}")
        if self.rewritten:
            causes = ", ".join(f"{n} {cause}" for cause, n in sorted(self.removed.items()))
            lines.append(f"  {sum(self.removed.values())} earlier row(s) removed ({causes}): {self.rewritten} file(s) "
                         "rewritten under new names")
        if self.reprinted:
            lines.append(f"  {self.reprinted} published stor{'y' if self.reprinted == 1 else 'ies'} reprinted again: "
                         "their cluster sizes are in clusters/<period>.parquet")
        if self.unfinished_runs:
            lines.append(f"  not processed completely (run `zhnews process` first): {', '.join(self.unfinished_runs)}")
        if self.undeduplicated_runs:
            lines.append(f"  not deduplicated (run `zhnews dedup` first): {', '.join(self.undeduplicated_runs)}")
        lines.append(f"  load it: datasets.load_dataset({str(self.out_dir)!r}, split='train')")
        return "\n".join(lines)


# the index took the run when its documents were written: dedup cannot write them again alone
DEDUP_DOCS_WAY_OUT = ("restore it from a backup; or move data/dedup aside and delete every stats/<run>/dedup.json: "
                      "`zhnews dedup` then deduplicates every run again, in order, to the same decisions, and "
                      "`zhnews build` publishes what it had not; nothing was written")


def _check_run_files(layout: DataLayout, runs: list[str]) -> None:
    """Read every run file the card will read, before anything is written: a damaged one stops the
    build whole, instead of after the changelog was written and before the card was."""
    for run in runs:
        if layout.run_summary(run).exists():
            RunSummary.read(layout.run_summary(run), run)
        if layout.dedup_stats(run).exists():
            DedupStats.read(layout.dedup_stats(run), run)
            check_parquet(layout.dedup_docs(run), DEDUP_DOCS_WAY_OUT)
        read_rows(Supersession, layout.superseded(run), run)
        read_rows(Reprint, layout.reprints(run), run)


def _withdrawn_mask(table: pa.Table, blocklist: Blocklist) -> tuple[list[bool], Counter[str]]:
    """Which rows a withdrawal covers, and how many each withdrawal (by key) covers."""
    matched = [blocklist.match(url, row_id)
               for url, row_id in zip(table.column("url").to_pylist(), table.column("id").to_pylist())]
    return [entry is not None for entry in matched], Counter(entry.key for entry in matched if entry)


def _claim(dataset: DatasetLayout) -> None:
    """Write the empty ledger before the first data file. Then a folder without one that holds data files
    or a card is someone else's, not a killed build's (whose files `remove_strays` deletes): refused."""
    found = [*dataset.data_files(), *([dataset.card] if dataset.card.exists() else [])]
    if found:
        raise ForeignDataset(f"{dataset.root} is not a dataset folder zhnews wrote: it holds "
                             f"{dataset.relative(found[0])} but no changelog.json; nothing was changed (build into "
                             "an empty or new folder)")
    write_json(dataset.changelog, [])


def remove_strays(dataset: DatasetLayout, ledger: Ledger) -> list[Path]:
    """Delete data files the ledger does not list: a killed build's or withdrawal's new files (written
    again) or old ones (already replaced). Call under the dataset's lock."""
    strays = [path for path in dataset.data_files() if dataset.relative(path) not in ledger.live]
    for path in strays:
        path.unlink()
    return strays


@dataclass(frozen=True)
class RemovedRow:
    """A row a rewrite left out: revised or withdrawn."""

    id: str
    url: str
    file: str  # the file it was in (now retired)
    period: str


def remove_rows(dataset: DatasetLayout, ledger: Ledger, revised: dict[str, set[str]],
                withdrawals: list[Withdrawal], summary_removed: Counter[str],
                removed: list[RemovedRow] | None = None) -> int:
    """Rewrite each file holding an earlier version of a revised article (`revised`: run → ids) or a row
    of a new withdrawal, under a new name without those rows; record each rewrite and each withdrawal
    in `ledger`, and each row left out in `removed`. Old files stay until the caller has saved the
    ledger. Returns the files rewritten."""
    targets = set(ledger.live) if withdrawals else {path for run in revised for path in ledger.files_of(run)}
    requested = Blocklist(tuple(withdrawals))
    covered: Counter[str] = Counter()
    rewritten = 0
    for path in sorted(targets):
        live = ledger.live[path]
        table = pq.read_table(dataset.root / path, columns=["id", "url"])  # the rest is read a batch at a time
        stale = pc.is_in(table.column("id"), pa.array(sorted(revised.get(live.run, ())), pa.string()))
        stale = stale.to_pylist()
        withdrawn, by_key = _withdrawn_mask(table, requested)
        withdrawn = [w and not s for w, s in zip(withdrawn, stale)]  # a row is removed for one cause
        if not any(stale) and not any(withdrawn):
            continue
        covered.update(by_key)
        keep = [not (s or w) for s, w in zip(stale, withdrawn)]
        if removed is not None:
            removed += [RemovedRow(row_id, url, path, live.period) for row_id, url, s, w in zip(
                table.column("id").to_pylist(), table.column("url").to_pylist(), stale, withdrawn) if s or w]
        target = ledger.rewritten_name(path) if any(keep) else None
        if target:
            write_data_file(masked(dataset.root / path, keep), pq.read_schema(dataset.root / path),
                            dataset.root / target, dataset)
        causes = {"revised": sum(stale), "withdrawn": sum(withdrawn)}
        ledger.append({"kind": "rewrite", "at": utc_stamp(), "replaced": path, "by": target, "rows": sum(keep),
                       "removed": causes})
        summary_removed.update({cause: n for cause, n in causes.items() if n})
        rewritten += 1
    for entry in withdrawals:
        if entry.key in ledger.withdrawals:  # asked again (a withdrawal killed after saving the ledger, re-run)
            continue
        ledger.append({"kind": "withdrawal", "at": utc_stamp(), "key": entry.key, "scope": entry.scope,
                       "value": entry.value, "reason": entry.reason, "requested_at": entry.at,
                       "rows": covered[entry.key]})
    return rewritten


CLUSTER_SCHEMA = pa.schema([pa.field("dup_cluster_id", pa.string(), nullable=False),
                            pa.field("dup_cluster_size", pa.int64(), nullable=False)])


def update_cluster_sizes(dataset: DatasetLayout, ledger: Ledger, reprints: list[Reprint],
                         removed: list[RemovedRow]) -> int:
    """A row's `dup_cluster_size` is what dedup knew when the row was published; copies found by later
    runs (`reprints`, oldest first: cluster id, the run of its row, its new size) are counted in
    `clusters/<period>.parquet`, the period of the cluster's row, which only that period's growth
    rewrites. A row removed from a period (`removed`: revised, its newer version elsewhere counting
    every copy, or withdrawn) leaves that period's table too. Returns the clusters updated."""
    by_run: dict[str, dict[str, int]] = {}
    for entry in reprints:  # a cluster only grows: runs deduplicated out of order report it smaller later
        sizes = by_run.setdefault(entry.run, {})
        sizes[entry.dup_cluster_id] = max(entry.dup_cluster_size, sizes.get(entry.dup_cluster_id, 0))
    removed_ids: dict[str, set[str]] = {}
    for row in removed:
        removed_ids.setdefault(row.period, set()).add(row.id)
    by_period: dict[str, dict[str, int]] = {}
    for run, sizes in by_run.items():
        for relative in ledger.files_of(run):
            ids = pq.read_table(dataset.root / relative, columns=["id"]).column("id").to_pylist()
            period_sizes = by_period.setdefault(ledger.live[relative].period, {})
            for cluster in ids:
                if cluster in sizes:
                    period_sizes[cluster] = max(sizes[cluster], period_sizes.get(cluster, 0))
    for period in sorted(set(by_period) | set(removed_ids)):
        sizes, gone = by_period.get(period, {}), removed_ids.get(period, set())
        path = dataset.cluster_sizes(period)
        if not sizes and not path.exists():
            continue
        known: dict[str, int] = {}
        if path.exists():
            table = pq.read_table(path)
            known = dict(zip(table.column("dup_cluster_id").to_pylist(), table.column("dup_cluster_size").to_pylist()))
        updated = {cluster: sizes[cluster] if cluster in gone else max(known.get(cluster, 0), sizes.get(cluster, 0))
                   for cluster in {**known, **sizes} if cluster not in gone or cluster in sizes}
        if updated == known:
            continue
        if not updated:
            path.unlink()
            continue
        ordered = sorted(updated.items())
        with atomic_path(path) as tmp:
            pq.write_table(pa.table({"dup_cluster_id": [cluster for cluster, _ in ordered],
                                     "dup_cluster_size": [size for _, size in ordered]}, schema=CLUSTER_SCHEMA), tmp)
    return sum(len(sizes) for sizes in by_period.values())


def save_ledger(dataset: DatasetLayout, ledger: Ledger) -> None:
    """Write the ledger, then delete the files it retired (a kill in between: `remove_strays`)."""
    write_json(dataset.changelog, ledger.entries)
    for relative in ledger.retired:
        (dataset.root / relative).unlink(missing_ok=True)


def build_dataset(layout: DataLayout, out_dir: Path | None = None, progress: bool = True) -> BuildSummary:
    """Publish every fully processed run not yet in the dataset, remove what revisions and withdrawals
    retired, rewrite the card. Raises `Busy` while another build writes the same folder."""
    dataset = DatasetLayout(out_dir or layout.dataset)
    with exclusive(dataset.lock, f"dataset {dataset.root}", "zhnews build"):
        return _build(layout, dataset, progress)


def _build(layout: DataLayout, dataset: DatasetLayout, progress: bool) -> BuildSummary:
    from datasets.utils.logging import disable_progress_bar

    if not progress:  # datasets' own bars too ("Creating parquet from Arrow format")
        disable_progress_bar()

    started = time.monotonic()
    DatasetConfig.load(layout.dataset_config)  # the card's settings, checked before anything is written
    summary = BuildSummary(dataset.root)
    ledger = load_ledger(dataset)
    if not dataset.changelog.exists():
        _claim(dataset)
    blocklist = Blocklist.load(layout.withdrawn)
    remove_strays(dataset, ledger)
    clear_staging(dataset)
    revised: dict[str, set[str]] = {}
    reprints: list[Reprint] = []
    legacy = dataset.root / LEGACY_SUPERSEDED
    for row in read_json(legacy, LEDGER_WAY_OUT) if legacy.exists() else []:
        revised.setdefault(row["crawl_run"], set()).add(row["id"])
    _check_run_files(layout, layout.processed_runs())
    for run in tqdm(layout.processed_runs(), desc="build", unit=" runs", disable=not progress):
        if run in ledger.runs:
            summary.skipped_runs.append(run)
            continue
        if not layout.run_summary(run).exists():
            summary.unfinished_runs.append(run)
            continue
        if not layout.dedup_stats(run).exists():
            summary.undeduplicated_runs.append(run)
            continue
        # a file per period, each written a batch at a time: the run is read whole only in these columns
        source = layout.dedup_docs(run)
        table = pq.read_table(source, columns=["id", "url", "period"])
        withdrawn, _ = _withdrawn_mask(table, blocklist)  # requested after the run was deduplicated
        periods = table.column("period").to_pylist()
        rows_by_period: dict[str, int] = {}
        for period in sorted({p for p, w in zip(periods, withdrawn) if not w}):
            keep = [p == period and not w for p, w in zip(periods, withdrawn)]
            rows = write_data_file(masked(source, keep, RECORD_SCHEMA), RECORD_SCHEMA, dataset.data_file(period, run),
                                   dataset)
            rows_by_period[period] = rows
            summary.added[f"{period}/{run}.parquet"] = rows
        revisions = read_rows(Supersession, layout.superseded(run), run)
        for revision in revisions:
            revised.setdefault(revision.crawl_run, set()).add(revision.id)
        reprints += read_rows(Reprint, layout.reprints(run), run)  # none for runs deduplicated before they counted
        ledger.append({"kind": "run", "run": run, "built_at": utc_stamp(), "rows": rows_by_period,
                       "superseded": len(revisions), "withdrawn": sum(withdrawn),
                       **({"imported": True} if layout.imported_run(run).exists() else {})})
    pending = [entry for entry in blocklist.entries if entry.key not in ledger.withdrawals]
    removed: list[RemovedRow] = []
    summary.rewritten = remove_rows(dataset, ledger, revised, pending, summary.removed, removed)
    summary.reprinted = update_cluster_sizes(dataset, ledger, reprints, removed)
    save_ledger(dataset, ledger)
    legacy.unlink(missing_ok=True)  # its rows are gone from the files now
    known = read_json(dataset.card_inputs, "delete it; the next build writes the card anew") \
        if dataset.card_inputs.exists() else {}
    drawn = [dataset.card, dataset.thresholds, *([dataset.root / SAMPLE_FILE] if ledger.live else [])]
    if known.get("inputs") == _card_inputs(layout, ledger) and "repo_id" in known and all(
            path.exists() for path in drawn):
        # nothing new: the card, its thresholds and its sample (a dataset with rows has one) are still true
        summary.total_rows, summary.card_summary = known["rows"], known["summary"]
    else:
        summary.total_rows, summary.card_summary = draw_card(layout, dataset, ledger)
    summary.seconds = time.monotonic() - started
    return summary


def draw_card(layout: DataLayout, dataset: DatasetLayout, ledger: Ledger) -> tuple[int, str]:
    """Write the card (and what goes with it), then note what it was drawn from: `publish` refuses a card
    that is not the ledger's (a build or withdrawal killed between the ledger and the card), or whose
    loading examples name another place than the repo it publishes to (`repo_id`; None: the folder)."""
    rows, summary = write_card(dataset, ledger, layout)
    write_json(dataset.card_inputs, {"inputs": _card_inputs(layout, ledger), "ledger_entries": len(ledger.entries),
                                     "rows": rows, "summary": summary,
                                     "repo_id": DatasetConfig.load(layout.dataset_config).repo_id})
    return rows, summary


def _card_inputs(layout: DataLayout, ledger: Ledger) -> str:
    """What the card is drawn from, as a digest: the ledger (every change to the files), the operator's
    settings, the published runs' statistics and the zhnews version. The card is rewritten only when it
    changes, so a build that finds nothing new reads no data file (only the runs' small JSON files)."""
    digest = hashlib.sha256(json.dumps(ledger.entries, sort_keys=True).encode())
    digest.update(layout.dataset_config.read_bytes() if layout.dataset_config.exists() else b"")
    digest.update((zhnews_version() or "unknown").encode())
    for entry in ledger.published_runs():
        for path in (layout.run_summary(entry["run"]), layout.dedup_stats(entry["run"])):
            digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()
