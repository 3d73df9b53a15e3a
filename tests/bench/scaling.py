"""Processing with 1 and 2 workers on both engines: the local pool and Ray (a private cluster).

The crawled WARC files are copied `copies` times under new names, so each configuration processes
the same few hundred shards' worth of pages from a fresh data folder. Times include starting the
workers (spawned pool processes import the pipeline; a Ray cluster starts first, timed apart).
Ray's overhead per shard is its time minus the pool's at the same worker count, over the shard-phase
jobs it ran.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cleaning.config import ProcessConfig
from cleaning.pipeline import pipeline_steps
from cleaning.run.executor import Executor, LocalExecutor
from cleaning.run.run import process_run
from cleaning.run.shard import split_phases
from corpus.layout import WARC_SUFFIX, DataLayout


class _Open:
    """An executor whose `close` waits: the cluster's shutdown is timed apart from the work."""

    def __init__(self, inner: Executor) -> None:
        self.inner, self.workers = inner, inner.workers

    def run(self, function: Callable[[Any], Any], jobs: Sequence[Any], on_done: Callable[[], None]) -> None:
        self.inner.run(function, jobs, on_done)

    def map(self, function: Callable[[Any], Any], jobs: Sequence[Any]) -> list[Any]:
        return self.inner.map(function, jobs)

    def close(self) -> None:
        return None


def _copied_run(source: DataLayout, target: Path, copies: int) -> DataLayout:
    (run,) = source.runs()
    raw = target / "raw" / run
    shutil.copytree(source.run_dir(run) / "sites", raw / "sites")
    for copy in range(copies):
        for warc in source.shards(run):
            shutil.copyfile(warc, raw / warc.name.replace(WARC_SUFFIX, f"-c{copy}{WARC_SUFFIX}"))
    return DataLayout(target)


def _timed(engine: str, workers: int, layout: DataLayout, config: ProcessConfig) -> tuple[float, float, int, int]:
    """(seconds of processing, seconds of cluster start, shards, article pages) of one run."""
    (run,) = layout.runs()
    startup = 0.0
    if engine == "local":
        executor: Executor = LocalExecutor(workers)
    else:
        from cleaning.run.ray_executor import RayExecutor

        executor = RayExecutor(workers=workers)
        started = time.perf_counter()
        executor.map(abs, [-1])  # the cluster starts
        startup = time.perf_counter() - started
    started = time.perf_counter()
    summary = process_run(layout, run, config, _Open(executor), progress=False)
    seconds = time.perf_counter() - started
    executor.close()
    return seconds, startup, summary.shards_done, summary.totals["reader/records/article"]


def scaling_section(crawled: Path, work: Path, config: ProcessConfig, copies: int = 6, rounds: int = 2) -> list[str]:
    """Each configuration `rounds` times, in alternating order; the fastest round counts (noise on a
    shared 2-core machine only ever slows a run down)."""
    source = DataLayout(crawled)
    configurations = [(engine, workers) for engine in ("local", "ray") for workers in (1, 2)]
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for round_no in range(rounds):
        for engine, workers in configurations if round_no % 2 == 0 else configurations[::-1]:
            layout = _copied_run(source, work / f"{engine}-{workers}-{round_no}", copies)
            seconds, startup, shards, docs = _timed(engine, workers, layout, config)
            if (engine, workers) not in best or seconds < best[engine, workers][0]:
                best[engine, workers] = (seconds, startup)
    phases = len(split_phases(pipeline_steps(config, source)))
    rows = []
    for engine, workers in configurations:
        seconds, startup = best[engine, workers]
        scale = best[engine, 1][0] / seconds
        start_text = f"{startup:.1f} s" if engine == "ray" else "(in the time)"
        rows.append(f"| {engine} | {workers} | {docs / seconds:.1f} | **{scale:.2f}×** | {start_text} |")
    jobs = shards * phases
    overhead = [(best["ray", w][0] - best["local", w][0]) / jobs * 1000 for w in (1, 2)]
    return [
        "## Processing on 1 and 2 workers, both engines", "",
        f"{shards} WARC shards ({copies} copies of the crawl above), {docs} article pages, the whole pipeline, "
        f"from a fresh data folder each time; the fastest of {rounds} rounds. One local worker runs in the "
        "calling process; two are spawned processes, whose start is in the time.", "",
        "| engine | workers | docs/s | scaling (vs. 1 worker) | cluster start |", "|---|---|---|---|---|",
        *rows, "",
        f"Ray's overhead per shard-phase job (its time minus the pool's, over {jobs} jobs): {overhead[0]:.0f} ms "
        f"with 1 worker, {overhead[1]:.0f} ms with 2; the cluster's start comes on top, once per run.", "",
    ]
