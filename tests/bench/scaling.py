"""Processing with 1 and 2 workers on both engines: the local pool and Ray (a private cluster).

The crawled WARC files are copied `copies` times under new names, so each configuration processes
the same shards' worth of pages from a fresh data folder, twice on the same executor:
- cold: the first run, as a command runs it: the pool's processes are spawned and import the
  pipeline within the time (a Ray cluster's own start is timed apart);
- warm: a second run on the same workers: the work alone, which is what a long run scales by.
Ray's overhead per shard is its warm time minus the pool's at the same worker count, over the
shard-phase jobs it ran.
"""

from __future__ import annotations

import dataclasses
import shutil
import statistics
import time
from pathlib import Path

from cleaning.config import ProcessConfig
from cleaning.pipeline import pipeline_steps
from cleaning.run.executor import Executor, LocalExecutor
from cleaning.run.run import process_run
from cleaning.run.shard import split_phases
from corpus.article_pages import append_article_pages, read_article_pages
from corpus.layout import WARC_SUFFIX, DataLayout


def copied_run(source: DataLayout, target: Path, copies: int) -> DataLayout:
    (run,) = source.runs()
    raw = target / "raw" / run
    shutil.copytree(source.run_dir(run) / "sites", raw / "sites")
    for copy in range(copies):
        for warc in source.shards(run):
            shutil.copyfile(warc, raw / warc.name.replace(WARC_SUFFIX, f"-c{copy}{WARC_SUFFIX}"))
    # paginated articles name the WARC files of their later pages: the first copy's, renamed like them
    for path in source.article_pages_files(run):
        articles = read_article_pages([path]).values()
        renamed = [dataclasses.replace(article, parts=tuple(dataclasses.replace(
            part, warc_file=part.warc_file and part.warc_file.replace(WARC_SUFFIX, f"-c0{WARC_SUFFIX}"))
            for part in article.parts)) for article in articles]
        for article in renamed:
            append_article_pages(raw / "pages" / path.name, article)
    return DataLayout(target)


def _executor(engine: str, workers: int) -> tuple[Executor, float]:
    """The executor, started, and the seconds its start took (a Ray cluster's; a pool starts lazily)."""
    if engine == "local":
        return LocalExecutor(workers), 0.0
    from cleaning.run.ray_executor import RayExecutor

    executor = RayExecutor(workers=workers)
    started = time.perf_counter()
    executor.map(abs, [-1])  # the cluster starts
    return executor, time.perf_counter() - started


def _timed(executor: Executor, layout: DataLayout, config: ProcessConfig) -> tuple[float, int, int]:
    """(seconds, shards, article pages) of processing one run; the executor stays open."""
    (run,) = layout.runs()
    started = time.perf_counter()
    summary = process_run(layout, run, config, executor, progress=False)
    return time.perf_counter() - started, summary.shards_done, summary.totals["reader/records/article"]


def scaling_section(crawled: Path, work: Path, config: ProcessConfig, copies: int = 3, rounds: int = 3) -> list[str]:
    """`rounds` rounds; in each, both worker counts of an engine run back to back (in alternating
    order), and the scaling is the median of the rounds' ratios: the speed of this shared 2-core
    machine drifts by more than the effect measured, but slowly."""
    source = DataLayout(crawled)
    configurations = [(engine, workers) for engine in ("local", "ray") for workers in (1, 2)]
    cold: dict[tuple[str, int], list[float]] = {key: [] for key in configurations}
    warm: dict[tuple[str, int], list[float]] = {key: [] for key in configurations}
    start: dict[tuple[str, int], list[float]] = {key: [] for key in configurations}
    for round_no in range(rounds):
        for engine in ("local", "ray"):
            for workers in (1, 2) if round_no % 2 == 0 else (2, 1):
                key = (engine, workers)
                executor, started = _executor(engine, workers)
                start[key].append(started)
                try:
                    first = copied_run(source, work / f"{engine}-{workers}-{round_no}-cold", copies)
                    cold_seconds, shards, docs = _timed(executor, first, config)
                    second = copied_run(source, work / f"{engine}-{workers}-{round_no}-warm", copies)
                    warm_seconds, _, _ = _timed(executor, second, config)
                finally:
                    executor.close()
                cold[key].append(cold_seconds)
                warm[key].append(warm_seconds)
    phases = len(split_phases(pipeline_steps(config, source)))

    def scaling(times: dict[tuple[str, int], list[float]], key: tuple[str, int]) -> float:
        return statistics.median(one / this for one, this in zip(times[key[0], 1], times[key]))

    rows = []
    for key in configurations:
        start_text = f"{statistics.median(start[key]):.1f} s" if key[0] == "ray" else "(in the cold time)"
        rows.append(f"| {key[0]} | {key[1]} | {docs / statistics.median(cold[key]):.1f} | {scaling(cold, key):.2f}× | "
                    f"{docs / statistics.median(warm[key]):.1f} | **{scaling(warm, key):.2f}×** | {start_text} |")
    jobs = shards * phases
    overhead = [statistics.median(r - local for r, local in zip(warm["ray", w], warm["local", w])) / jobs * 1000
                for w in (1, 2)]
    return [
        "## Processing on 1 and 2 workers, both engines", "",
        f"{shards} WARC shards ({copies} copies of the crawl above), {docs} article pages, the whole pipeline, "
        f"from a fresh data folder each time; medians of {rounds} rounds, the scaling a median of per-round ratios. "
        "Cold: the first run on new workers (one local worker is the calling process; two are spawned "
        "processes, which import the pipeline in the time). Warm: a second run on the same workers.", "",
        "| engine | workers | cold docs/s | cold scaling | warm docs/s | warm scaling | cluster start |",
        "|---|---|---|---|---|---|---|",
        *rows, "",
        f"Ray's overhead per shard-phase job (its warm time minus the pool's in the same round, over {jobs} "
        f"jobs): {overhead[0]:.0f} ms with 1 worker, {overhead[1]:.0f} ms with 2; the cluster's start comes "
        "on top, once per command.", "",
    ]
