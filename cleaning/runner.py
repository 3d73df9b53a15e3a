"""Run the pipeline over a crawl's shards (one shard = one WARC file), in a process pool.

Outputs per shard, all written atomically:
- `data/docs/<run>/<shard>.parquet`             kept documents (RECORD_SCHEMA)
- `data/rejects/<run>/<step>/<shard>.parquet`   dropped documents with step and reason (REJECT_SCHEMA)
- `data/stats/<run>/<shard>.json`               counters; written last, it marks the shard done
A re-run skips done shards, so a killed `zhnews process` resumes where it stopped.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from cleaning.pipeline import ProcessConfig, build_steps
from cleaning.warc_reader import iter_articles
from corpus.files import write_json
from corpus.record import RECORD_SCHEMA, REJECT_SCHEMA

BATCH_ROWS = 500
WARC_SUFFIX = ".warc.gz"


class BatchedParquet:
    """Stream rows into one parquet file in batches, so memory stays flat however big the shard."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self._writer: pq.ParquetWriter | None = None

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._tmp, self.schema, compression="zstd")
        self._writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def close(self, always: bool = False) -> None:
        """Finish the file; with nothing written it is only created when `always` (kept docs: yes)."""
        if self.rows or (always and self._writer is None):
            self._flush()
        if self._writer is not None:
            self._writer.close()
            os.replace(self._tmp, self.path)  # only a complete file gets the final name


@dataclass
class RunPaths:
    data_dir: Path
    run_id: str

    @property
    def raw(self) -> Path:
        return self.data_dir / "raw" / self.run_id

    @property
    def docs(self) -> Path:
        return self.data_dir / "docs" / self.run_id

    @property
    def rejects(self) -> Path:
        return self.data_dir / "rejects" / self.run_id

    @property
    def stats(self) -> Path:
        return self.data_dir / "stats" / self.run_id

    def shard_name(self, warc: Path) -> str:
        return warc.name[: -len(WARC_SUFFIX)]

    def shards(self) -> list[Path]:
        return sorted(self.raw.glob(f"*{WARC_SUFFIX}"))

    def is_done(self, warc: Path) -> bool:
        return (self.stats / f"{self.shard_name(warc)}.json").exists()


def process_shard(paths: RunPaths, warc: Path, config: ProcessConfig) -> dict[str, Any]:
    """Process one WARC file end to end; returns (and stores) its counters."""
    started = time.monotonic()
    shard = paths.shard_name(warc)
    steps = build_steps(config)
    reader: Counter[str] = Counter()
    kept = BatchedParquet(paths.docs / f"{shard}.parquet", RECORD_SCHEMA)
    rejected: dict[str, BatchedParquet] = {}
    reasons: Counter[str] = Counter()
    for doc in iter_articles(warc, paths.run_id, reader):
        for step in steps:
            reason = step(doc)
            if reason:
                if step.name not in rejected:
                    rejected[step.name] = BatchedParquet(paths.rejects / step.name / f"{shard}.parquet", REJECT_SCHEMA)
                rejected[step.name].add({**doc.to_record(), "reject_step": step.name, "reject_reason": reason})
                reasons[f"{step.name}:{reason}"] += 1
                break
        else:
            kept.add(doc.to_record())
    kept.close(always=True)
    for writer in rejected.values():
        writer.close()
    stats = {
        "shard": shard,
        "seconds": round(time.monotonic() - started, 3),
        "kept": kept.count,
        "rejected": dict(reasons),
        "reader": dict(reader),
        "steps": {step.name: dict(step.counters) for step in steps},
    }
    write_json(paths.stats / f"{shard}.json", stats)  # last: its presence means "shard done"
    return stats


@dataclass
class ProcessSummary:
    run_id: str
    paths: RunPaths
    shards_done: int = 0
    shards_skipped: int = 0
    open_files: int = 0
    seconds: float = 0.0
    totals: Counter[str] = field(default_factory=Counter)

    def render(self) -> str:
        rejected = {k[len("rejected:"):]: v for k, v in self.totals.items() if k.startswith("rejected:")}
        lines = [
            f"process {self.run_id}: {self.shards_done} shard(s) processed, {self.shards_skipped} already done, "
            f"{self.seconds:.1f}s",
            f"  articles read {self.totals['reader:records:article']}, kept {self.totals['kept']}, "
            f"rejected {sum(rejected.values())} {dict(sorted(rejected.items())) or ''}",
            f"  → {self.paths.docs}   rejects: {self.paths.rejects}   stats: {self.paths.stats}/summary.json",
        ]
        if self.open_files:
            lines.append(f"  {self.open_files} WARC file(s) still being written (.open) were not processed")
        if self.totals["reader:broken_records"]:
            lines.append(f"  {self.totals['reader:broken_records']} broken WARC record(s): see the log above")
        return "\n".join(lines)


def _merge(totals: Counter[str], stats: dict[str, Any]) -> None:
    totals["kept"] += stats["kept"]
    for key, value in stats["rejected"].items():
        totals[f"rejected:{key}"] += value
    for key, value in stats["reader"].items():
        totals[f"reader:{key}"] += value
    for step, counters in stats["steps"].items():
        for key, value in counters.items():
            totals[f"{step}:{key}"] += value


def process_run(
    data_dir: Path, run_id: str, config: ProcessConfig = ProcessConfig(), workers: int = 2, progress: bool = True
) -> ProcessSummary:
    paths = RunPaths(data_dir, run_id)
    started = time.monotonic()
    summary = ProcessSummary(run_id, paths, open_files=len(list(paths.raw.glob("*.open"))))
    todo = [warc for warc in paths.shards() if not paths.is_done(warc)]
    summary.shards_skipped = len(paths.shards()) - len(todo)
    bar = tqdm(total=len(todo), desc=f"process {run_id}", unit=" shards", disable=not progress)
    if workers <= 1:
        for warc in todo:
            _merge(summary.totals, process_shard(paths, warc, config))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(process_shard, paths, warc, config) for warc in todo]
            for future in as_completed(futures):
                _merge(summary.totals, future.result())
                bar.update()
    bar.close()
    summary.shards_done = len(todo)
    # the run's merged counters cover every shard, including those done by an earlier invocation
    merged: Counter[str] = Counter()
    for shard_stats in sorted(paths.stats.glob("*.json")):
        if shard_stats.name != "summary.json":
            _merge(merged, json.loads(shard_stats.read_text(encoding="utf-8")))
    pipeline = [{"step": step.name, "does": step.describe()} for step in build_steps(config)]
    write_json(paths.stats / "summary.json", {"run": run_id, "pipeline": pipeline, "counters": dict(merged)})
    summary.totals = merged
    summary.seconds = time.monotonic() - started
    return summary


def runs_to_process(data_dir: Path) -> list[str]:
    """Runs with at least one shard not processed yet, oldest first."""
    runs = sorted(p.name for p in (data_dir / "raw").glob("*/") if p.is_dir())
    return [run for run in runs if any(not RunPaths(data_dir, run).is_done(w) for w in RunPaths(data_dir, run).shards())]
