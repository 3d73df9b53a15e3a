"""Process a whole crawl run: every shard through every phase, on an executor, then the run summary.

A re-run skips done work (each shard phase leaves a marker, `cleaning/run/shard.py`), so a killed
`zhnews process` resumes where it stopped. The summary (`stats/<run>/summary.json`) holds the run's
merged counters, the pipeline's steps and the configuration the run used, versions included.
"""

from __future__ import annotations

import dataclasses
import platform
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tqdm import tqdm

from cleaning.config import ProcessConfig
from cleaning.extraction.extractor import EXTRACTOR
from cleaning.pipeline import pipeline_steps
from cleaning.run.executor import Executor, LocalExecutor
from cleaning.run.shard import ShardJob, run_shard_phase, split_phases
from corpus.files import exclusive
from corpus.layout import DataLayout, shard_name
from corpus.run_stats import RunSummary, ShardStats, SiteSnapshot
from corpus.warc_format import recover_open_files

# the libraries whose version changes what a run produces
_VERSIONED = ("zhnews-corpus", "trafilatura", "lxml", "ftfy", "warcio", "w3lib", "pyarrow")


class UnfinishedImport(RuntimeError):
    """A run `zhnews import-warc` was killed writing: it would pass for a whole one."""


@dataclass
class ProcessSummary:
    run_id: str
    layout: DataLayout
    shards_done: int = 0
    shards_skipped: int = 0
    recovered: list[tuple[Path, int]] = field(default_factory=list)
    seconds: float = 0.0
    totals: Counter[str] = field(default_factory=Counter)
    damaged_shards: list[str] = field(default_factory=list)  # WARC files with unreadable stretches

    def render(self) -> str:
        dropped = {key[: -len("/dropped")]: value for key, value in self.totals.items() if key.endswith("/dropped")}
        reasons = {key.replace("/dropped/", ":"): value for key, value in self.totals.items() if "/dropped/" in key}
        run = self.run_id
        lines = [
            f"process {run}: {self.shards_done} shard(s) processed, {self.shards_skipped} already done, "
            f"{self.seconds:.1f}s",
            f"  articles read {self.totals['reader/records/article']}, kept {self.totals['kept']}, "
            f"rejected {sum(dropped.values())}" + (
                f" ({', '.join(f'{reason} {n}' for reason, n in sorted(reasons.items()))})" if reasons else ""),
            f"  → {self.layout.docs(run)}   rejects: {self.layout.rejects(run)}   "
            f"stats: {self.layout.run_summary(run)}",
        ]
        for path, kept in self.recovered:
            lines.append(f"  recovered {path.name} from an interrupted crawl ({kept} records kept)")
        if self.damaged_shards:
            lines.append(f"  damaged WARC data ({self.totals['reader/damaged_bytes']} bytes unreadable, the rest "
                         f"processed) in: {', '.join(self.damaged_shards)}; see the log above")
        return "\n".join(lines)


def run_configuration(config: ProcessConfig) -> dict[str, Any]:
    """What a run used, as its summary records it: every config value, the extractor, the versions."""
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"config": config.as_record(), "extractor": EXTRACTOR, "versions": versions}


def with_site_settings(config: ProcessConfig, layout: DataLayout, run_id: str) -> ProcessConfig:
    """Add what the run's site profiles say about extraction (the crawl stored them beside the WARCs)."""
    prune = {}
    for path in layout.site_snapshots(run_id):
        site = SiteSnapshot.read(path)
        if site.prune_xpath:
            prune[site.name] = tuple(site.prune_xpath)
    return dataclasses.replace(config, prune_xpath={**prune, **config.prune_xpath})


def process_run(
    layout: DataLayout, run_id: str, config: ProcessConfig = ProcessConfig(),
    executor: Executor | None = None, progress: bool = True,
) -> ProcessSummary:
    """Process every shard of a run not done yet, on `executor` (default: in this process). The caller
    closes the executor it gave: one serves every run of a command (a Ray cluster starts once).
    Raises `Busy` while the run is still being crawled (or processed by another process): its
    summary would announce the run complete too early."""
    with exclusive(layout.run_lock(run_id), f"crawl run {run_id}", "zhnews process"):
        if layout.unfinished_import(run_id).exists():
            raise UnfinishedImport(f"its import-warc stopped before its end (killed?): run that import again (with "
                                   f"--run-id {run_id}), which starts the run over")
        return _process_run(layout, run_id, config, executor or LocalExecutor(), progress)


def _process_run(
    layout: DataLayout, run_id: str, config: ProcessConfig, executor: Executor, progress: bool
) -> ProcessSummary:
    config = with_site_settings(config, layout, run_id)
    started = time.monotonic()
    # we hold the run's lock, so no crawl is writing it: an .open file is a killed crawl's, make it whole
    # now, or its documents would miss this run's summary and never be published
    summary = ProcessSummary(run_id, layout, recovered=recover_open_files(layout.run_dir(run_id)))
    shards = layout.shards(run_id)
    # largest first: each phase waits for its last shard, so a big one must not start last
    todo = sorted((warc for warc in shards if not layout.shard_done(run_id, warc)),
                  key=lambda warc: (-warc.stat().st_size, warc.name))
    summary.shards_skipped = len(shards) - len(todo)
    steps = pipeline_steps(config, layout)
    phases = split_phases(steps)
    bar = tqdm(total=len(todo) * len(phases), desc=f"process {run_id}", unit=" shard-phases", disable=not progress)
    for number, phase in enumerate(phases):
        jobs = [ShardJob(layout, run_id, warc, config, number, len(phases)) for warc in todo]
        prepared = None
        if phase.opening:  # merging is idempotent per shard key, so a resumed run never counts twice
            observed = ((f"{run_id}/{job.shard}", ShardStats.read(job.marker(number - 1), run_id).observations)
                        for job in jobs)  # read one shard at a time, as it is merged
            phase.opening.commit(observed)
            prepared = phase.opening.prepare()  # once per run, not once per shard
        pending = [dataclasses.replace(job, prepared=prepared) for job in jobs if not job.marker(number).exists()]
        bar.update(len(jobs) - len(pending))
        executor.run(run_shard_phase, pending, bar.update)
    bar.close()
    summary.shards_done = len(todo)
    # the run's merged counters cover every shard, including those done by an earlier invocation
    merged: Counter[str] = Counter()
    for warc in shards:
        stats = ShardStats.read(layout.shard_stats(run_id, shard_name(warc)), run_id)
        merged.update(stats.counters())
        if stats.reader.get("damaged"):
            summary.damaged_shards.append(warc.name)
    pipeline = [{"step": step.name, "does": step.describe()} for step in steps]
    RunSummary(run=run_id, pipeline=pipeline, counters=dict(merged), **run_configuration(config)).write(
        layout.run_summary(run_id))
    shutil.rmtree(layout.work(run_id), ignore_errors=True)  # phase files are not needed once every shard is done
    summary.totals = merged
    summary.seconds = time.monotonic() - started
    return summary


def runs_to_process(layout: DataLayout) -> list[str]:
    """Runs with at least one shard not processed yet, oldest first; a run holding only the open WARC
    file a killed crawl left counts (`process_run` recovers it first), and so does a run whose shards
    are all done but whose summary is missing (a process killed before writing it: without the summary
    dedup never takes the run), and a run a killed import left (`process_run` refuses it, every time)."""
    return [run for run in layout.runs() if layout.open_shards(run) or layout.unfinished_import(run).exists()
            or any(not layout.shard_done(run, warc) for warc in layout.shards(run))
            or (layout.shards(run) and not layout.run_summary(run).exists())]
