"""Run the pipeline over a crawl's shards (one shard = one WARC file), in a process pool.

Outputs per shard, all written atomically:
- `data/docs/<run>/<shard>.parquet`             kept documents (RECORD_SCHEMA)
- `data/rejects/<run>/<step>/<shard>.parquet`   dropped documents with step and reason (REJECT_SCHEMA)
- `data/stats/<run>/<shard>.json`               counters; written last, it marks the shard done
A re-run skips done shards, so a killed `zhnews process` resumes where it stopped.

A pipeline with a corpus step (one that must see every document first, see `CorpusStep`) runs in
two phases: phase 1 runs the steps before it and lets it observe each document, leaving
`data/work/<run>/<shard>.parquet` and `<shard>.observed.json` (written last: the phase-1 marker);
the observations are merged into the step's index; phase 2 runs the corpus step and the rest.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from cleaning.pipeline import ProcessConfig, build_steps
from cleaning.step import CorpusStep, Step
from cleaning.warc_reader import iter_articles
from corpus.files import exclusive, write_json
from corpus.record import RECORD_SCHEMA, REJECT_SCHEMA, Document
from crawler.warc import LOCK_NAME, SITES_FOLDER, recover_open_files

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

    @property
    def work(self) -> Path:
        return self.data_dir / "work" / self.run_id

    def shard_name(self, warc: Path) -> str:
        return warc.name[: -len(WARC_SUFFIX)]

    def shards(self) -> list[Path]:
        return sorted(self.raw.glob(f"*{WARC_SUFFIX}"))

    def is_done(self, warc: Path) -> bool:
        return (self.stats / f"{self.shard_name(warc)}.json").exists()


def split_at_corpus_step(steps: list[Step]) -> tuple[list[Step], CorpusStep | None, list[Step]]:
    """(steps of phase 1, the corpus step or None, the steps after it)."""
    for i, step in enumerate(steps):
        if isinstance(step, CorpusStep):
            assert not any(isinstance(s, CorpusStep) for s in steps[i + 1 :]), "one corpus step per pipeline"
            return steps[:i], step, steps[i + 1 :]
    return steps, None, []


def _run_steps(
    docs: Iterable[Document], steps: list[Step], out: BatchedParquet, rejects_dir: Path, shard: str,
    on_kept: Callable[[Document], None] | None = None,
) -> Counter[str]:
    """Pass each document through `steps`; write it to `out` or to its step's rejects; count why."""
    rejected: dict[str, BatchedParquet] = {}
    reasons: Counter[str] = Counter()
    for doc in docs:
        for step in steps:
            reason = step(doc)
            if reason:
                if step.name not in rejected:
                    rejected[step.name] = BatchedParquet(rejects_dir / step.name / f"{shard}.parquet", REJECT_SCHEMA)
                rejected[step.name].add({**doc.to_record(), "reject_step": step.name, "reject_reason": reason})
                reasons[f"{step.name}:{reason}"] += 1
                break
        else:
            if on_kept:
                on_kept(doc)
            out.add(doc.to_record())
    out.close(always=True)
    for writer in rejected.values():
        writer.close()
    return reasons


def _stored_documents(path: Path) -> Iterator[Document]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        yield from map(Document.from_record, batch.to_pylist())


def observe_shard(paths: RunPaths, warc: Path, config: ProcessConfig) -> dict[str, Any]:
    """Phase 1 of a two-phase pipeline: the steps before the corpus step, which observes the survivors."""
    started = time.monotonic()
    shard = paths.shard_name(warc)
    head, corpus_step, _ = split_at_corpus_step(build_steps(config, paths.data_dir))
    assert corpus_step is not None, "phase 1 exists only for pipelines with a corpus step"
    reader: Counter[str] = Counter()
    out = BatchedParquet(paths.work / f"{shard}.parquet", RECORD_SCHEMA)
    reasons = _run_steps(iter_articles(warc, paths.run_id, reader), head, out, paths.rejects, shard,
                         on_kept=corpus_step.observe)
    observed = {"shard": shard, "seconds": round(time.monotonic() - started, 3), "rejected": dict(reasons),
                "reader": dict(reader), "steps": {step.name: dict(step.counters) for step in head},
                "observations": corpus_step.observations()}
    write_json(paths.work / f"{shard}.observed.json", observed)  # last: phase 1 of this shard is done
    return observed


def process_shard(paths: RunPaths, warc: Path, config: ProcessConfig, prepared: Any = None) -> dict[str, Any]:
    """Process one WARC file to its final documents (phase 2 when the pipeline has a corpus step)."""
    started = time.monotonic()
    shard = paths.shard_name(warc)
    head, corpus_step, rest = split_at_corpus_step(build_steps(config, paths.data_dir))
    out = BatchedParquet(paths.docs / f"{shard}.parquet", RECORD_SCHEMA)
    if corpus_step:
        corpus_step.use(prepared)
        tail = [corpus_step, *rest]
        phase1 = json.loads((paths.work / f"{shard}.observed.json").read_text(encoding="utf-8"))
        reasons = _run_steps(_stored_documents(paths.work / f"{shard}.parquet"), tail, out, paths.rejects, shard)
        reasons.update(phase1["rejected"])
        reader, steps = phase1["reader"], {**phase1["steps"], **{s.name: dict(s.counters) for s in tail}}
        seconds = phase1["seconds"]
    else:
        counts: Counter[str] = Counter()
        reasons = _run_steps(iter_articles(warc, paths.run_id, counts), head, out, paths.rejects, shard)
        reader, steps, seconds = dict(counts), {s.name: dict(s.counters) for s in head}, 0.0
    stats = {
        "shard": shard,
        "seconds": round(seconds + time.monotonic() - started, 3),
        "kept": out.count,
        "rejected": dict(reasons),
        "reader": reader,
        "steps": steps,
    }
    write_json(paths.stats / f"{shard}.json", stats)  # last: its presence means "shard done"
    return stats


def _in_pool(function: Callable[..., dict[str, Any]], jobs: list[tuple], workers: int, bar: tqdm) -> None:
    """Run `function(*job)` for every job, in worker processes when workers > 1. What the jobs
    found reaches the caller through the files they write (the run summary reads them back)."""
    if workers <= 1:
        for job in jobs:
            function(*job)
            bar.update()
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(function, *job) for job in jobs]):
            future.result()  # a worker's exception surfaces here
            bar.update()


@dataclass
class ProcessSummary:
    run_id: str
    paths: RunPaths
    shards_done: int = 0
    shards_skipped: int = 0
    recovered: list[tuple[Path, int]] = field(default_factory=list)
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
        for path, kept in self.recovered:
            lines.append(f"  recovered {path.name} from an interrupted crawl ({kept} records kept)")
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
    """Process every shard of a run not done yet. Raises `Busy` while the run is still being crawled
    (or processed by another process): its summary would announce the run complete too early."""
    with exclusive(RunPaths(data_dir, run_id).raw / LOCK_NAME, f"crawl run {run_id}"):
        return _process_run(data_dir, run_id, config, workers, progress)


def with_site_settings(config: ProcessConfig, paths: RunPaths) -> ProcessConfig:
    """Add what the run's site profiles say about extraction (the crawl stored them beside the WARCs)."""
    prune = {}
    for path in sorted((paths.raw / SITES_FOLDER).glob("*.json")):
        profile = json.loads(path.read_text(encoding="utf-8"))
        if profile.get("prune_xpath"):
            prune[profile["name"]] = tuple(profile["prune_xpath"])
    return dataclasses.replace(config, prune_xpath={**prune, **config.prune_xpath})


def _process_run(data_dir: Path, run_id: str, config: ProcessConfig, workers: int, progress: bool) -> ProcessSummary:
    paths = RunPaths(data_dir, run_id)
    config = with_site_settings(config, paths)
    started = time.monotonic()
    # we hold the run's lock, so no crawl is writing it: an .open file is a killed crawl's, make it whole
    # now, or its documents would miss this run's summary and never be published
    summary = ProcessSummary(run_id, paths, recovered=recover_open_files(paths.raw))
    todo = [warc for warc in paths.shards() if not paths.is_done(warc)]
    summary.shards_skipped = len(paths.shards()) - len(todo)
    steps = build_steps(config, data_dir)
    _, corpus_step, _ = split_at_corpus_step(steps)
    phases = 2 if corpus_step else 1
    bar = tqdm(total=len(todo) * phases, desc=f"process {run_id}", unit=" shard-phases", disable=not progress)
    prepared = None
    if corpus_step:
        unobserved = [w for w in todo if not (paths.work / f"{paths.shard_name(w)}.observed.json").exists()]
        bar.update(len(todo) - len(unobserved))
        _in_pool(observe_shard, [(paths, warc, config) for warc in unobserved], workers, bar)
        for warc in todo:  # merging is idempotent per shard key, so a resumed run never counts twice
            observed = json.loads((paths.work / f"{paths.shard_name(warc)}.observed.json").read_text(encoding="utf-8"))
            corpus_step.commit(f"{run_id}/{paths.shard_name(warc)}", observed["observations"])
        prepared = corpus_step.prepare()  # once per run, not once per shard
    _in_pool(process_shard, [(paths, warc, config, prepared) for warc in todo], workers, bar)
    bar.close()
    summary.shards_done = len(todo)
    # the run's merged counters cover every shard, including those done by an earlier invocation
    merged: Counter[str] = Counter()
    for shard_stats in sorted(paths.stats.glob("*.json")):
        if shard_stats.name != "summary.json":
            _merge(merged, json.loads(shard_stats.read_text(encoding="utf-8")))
    pipeline = [{"step": step.name, "does": step.describe()} for step in steps]
    write_json(paths.stats / "summary.json", {"run": run_id, "pipeline": pipeline, "counters": dict(merged)})
    shutil.rmtree(paths.work, ignore_errors=True)  # phase-1 copies are not needed once every shard is done
    summary.totals = merged
    summary.seconds = time.monotonic() - started
    return summary


def runs_to_process(data_dir: Path) -> list[str]:
    """Runs with at least one shard not processed yet, oldest first."""
    runs = sorted(p.name for p in (data_dir / "raw").glob("*/") if p.is_dir())
    pending = []
    for run in runs:
        paths = RunPaths(data_dir, run)
        if any(not paths.is_done(warc) for warc in paths.shards()):
            pending.append(run)
    return pending
