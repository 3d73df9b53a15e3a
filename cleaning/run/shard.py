"""One shard (one WARC file) through one phase of the pipeline.

A pipeline without corpus steps has one phase: WARC → every step → documents. Each corpus step
(`CorpusStep`: it must see every document before it can judge one) opens a new phase, so a pipeline
with N corpus steps has N + 1 phases:

- phase 0 reads the WARC file and runs the steps before the first corpus step;
- phase i (≥ 1) reads the documents phase i - 1 left and applies corpus step i (with what it prepared
  from its index) and the steps up to the next corpus step;
- the corpus step that opens the next phase observes each document this phase keeps.

Files per shard (paths: `corpus/layout.py`), all written atomically, each marker written last:
- a phase before the last: `work/<run>/<shard>.<i+1>.arrow` (its survivors, an Arrow IPC file:
  `cleaning/io/doc_files.py`) and `work/<run>/<shard>.<i+1>.json` (its counters and the observations
  for corpus step i + 1);
- the last phase: `docs/<run>/<shard>.parquet` and `stats/<run>/<shard>.json` (every phase's
  counters: the mark that the shard is done);
- every phase: `rejects/<run>/<step>/<shard>.parquet` for each step that dropped something.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaning.config import ProcessConfig
from cleaning.deadline import PageTimeout, time_limit
from cleaning.document import Document
from cleaning.io.doc_files import BatchedArrow, BatchedParquet, BatchedRows, handed_documents
from cleaning.io.warc_reader import iter_articles
from cleaning.pipeline import pipeline_steps
from cleaning.steps.base import CorpusStep, Step
from corpus.article_pages import read_article_pages
from corpus.layout import DataLayout, shard_name
from corpus.record import RECORD_SCHEMA, REJECT_SCHEMA
from corpus.run_stats import ShardStats


@dataclass
class Phase:
    opening: CorpusStep | None  # the corpus step this phase applies first (None in phase 0)
    steps: list[Step]  # every step this phase runs, the opening one included
    observer: CorpusStep | None  # the corpus step of the next phase, which observes what this one keeps


def split_phases(steps: list[Step]) -> list[Phase]:
    """Cut the pipeline before each corpus step."""
    segments: list[list[Step]] = [[]]
    for step in steps:
        if isinstance(step, CorpusStep):
            segments.append([])
        segments[-1].append(step)
    phases = []
    for i, segment in enumerate(segments):
        following = segments[i + 1][0] if i + 1 < len(segments) else None
        opening = segment[0] if i and isinstance(segment[0], CorpusStep) else None
        phases.append(Phase(opening, segment, following if isinstance(following, CorpusStep) else None))
    return phases


@dataclass(frozen=True)
class ShardJob:
    """Everything a worker needs for one shard and phase; it must pickle (it crosses processes)."""

    layout: DataLayout
    run: str
    warc: Path
    config: ProcessConfig
    phase: int
    phase_count: int
    prepared: Any = None  # what the phase's opening corpus step prepared from its index

    @property
    def shard(self) -> str:
        return shard_name(self.warc)

    def marker(self, phase: int) -> Path:
        """The file whose presence says phase `phase` of this shard is done."""
        if phase + 1 == self.phase_count:
            return self.layout.shard_stats(self.run, self.shard)
        return self.layout.phase_marker(self.run, self.shard, phase + 1)


def _run_steps(
    docs: Iterable[Document], steps: list[Step], out: BatchedRows, rejects: Callable[[str], Path],
    on_kept: Callable[[Document], None] | None, seconds: float,
) -> None:
    """Pass each document through `steps`, within `seconds` for all of them; write it to `out` or to
    the rejects of the step that dropped it (`rejects(step name)` is that file), or that ran out of time."""
    rejected: dict[str, BatchedParquet] = {}
    for doc in docs:
        dropped_by, reason = _through_steps(doc, steps, seconds)
        if dropped_by is not None:
            if dropped_by.name not in rejected:
                rejected[dropped_by.name] = BatchedParquet(rejects(dropped_by.name), REJECT_SCHEMA)
            rejected[dropped_by.name].add({**doc.to_record(), "reject_step": dropped_by.name, "reject_reason": reason})
        else:
            if on_kept:
                on_kept(doc)
            out.add(doc.to_record())
    out.close(always=True)
    for writer in rejected.values():
        writer.close()


def _through_steps(doc: Document, steps: list[Step], seconds: float) -> tuple[Step | None, str | None]:
    """The step that dropped `doc` and why, or (None, None) when every step kept it."""
    running = steps[0]
    try:
        with time_limit(seconds):
            for running in steps:
                if reason := running(doc):
                    return running, reason
    except PageTimeout:
        running.count_drop("timeout")
        return running, "timeout"
    return None, None


def run_shard_phase(job: ShardJob) -> None:
    """Run one phase of one shard and write its outputs, marker last."""
    started = time.monotonic()
    layout, run, shard = job.layout, job.run, job.shard
    phase = split_phases(pipeline_steps(job.config, layout))[job.phase]
    last = job.phase + 1 == job.phase_count
    reader: Counter[str] = Counter()
    if phase.opening:
        phase.opening.use(job.prepared)
        marker = layout.phase_marker(run, shard, job.phase)
        way_out = f"delete it and {marker}, then run `zhnews process --run {run}`: it does that part again"
        docs: Iterable[Document] = handed_documents(layout.phase_docs(run, shard, job.phase), way_out)
    else:
        paginated = read_article_pages(layout.article_pages_files(run))
        docs = iter_articles(job.warc, run, reader, job.config.max_page_bytes, paginated)
    target = layout.shard_docs(run, shard) if last else layout.phase_docs(run, shard, job.phase + 1)
    out = (BatchedParquet if last else BatchedArrow)(target, RECORD_SCHEMA)
    _run_steps(docs, phase.steps, out, lambda step: layout.shard_rejects(run, step, shard),
               phase.observer.observe if phase.observer else None, job.config.page_timeout_seconds)
    found = ShardStats(shard, round(time.monotonic() - started, 3), dict(reader),
                       {step.name: dict(step.counters) for step in phase.steps})
    if job.phase:  # add what the earlier phases counted: the last marker holds the whole shard
        earlier = ShardStats.read(job.marker(job.phase - 1), run)
        found.seconds = round(found.seconds + earlier.seconds, 3)
        found.reader, found.steps = earlier.reader, {**earlier.steps, **found.steps}
    if last:
        found.kept = out.count
    else:
        assert phase.observer is not None
        found.observations = phase.observer.observations()
    found.write(job.marker(job.phase))  # last: its presence means "this phase of the shard is done"
