"""Deduplicate processed runs against each other and against everything deduplicated before.

Reads data/docs/<run>/, writes data/dedup/<run>/docs.parquet (the survivors, with `dup_cluster_id`
and `dup_cluster_size`), data/rejects/<run>/<layer>/dedup.parquet (each copy with the id it
duplicates), data/dedup/<run>/superseded.json, and stats/<run>/dedup.json last. The index
(`cleaning/dedup/index.py`) takes the run in one transaction; runs go oldest first, each once.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from tqdm import tqdm

from cleaning.dedup.index import DedupIndex, IndexEntry, SqliteDedupIndex
from cleaning.dedup.layers import (
    DECIDING_FIELDS,
    DedupDoc,
    Layer,
    NearText,
    RecordList,
    RunSource,
    SameUrl,
    ShinglesAt,
    Verdict,
    add_shingles,
    dedup_layers,
    hashed_documents,
    keep_order,
)
from cleaning.dedup.minhash import shingle_set
from cleaning.run.executor import Executor, LocalExecutor
from corpus.files import atomic_path, check_parquet, exclusive
from corpus.layout import DataLayout
from corpus.record import RECORD_SCHEMA, REJECT_SCHEMA
from corpus.run_stats import DedupStats, Reprint, Supersession, write_rows
from corpus.withdrawn import Blocklist

WITHDRAWN = "withdrawn"  # the reject layer, and reason, of a document withdrawn since it was processed


@dataclass
class DedupSummary:
    run: str
    documents: int = 0
    kept: int = 0
    counters: dict[str, int] = field(default_factory=dict)  # "<layer>/<key>", as the layers counted
    seconds: float = 0.0
    already_done: bool = False

    @property
    def dropped(self) -> dict[str, int]:
        """"<layer>/<reason>" → copies dropped, from the layers' counters."""
        return {key.replace("/dropped/", "/"): n for key, n in sorted(self.counters.items()) if "/dropped/" in key}

    def as_stats(self) -> dict[str, Any]:
        return {"run": self.run, "documents": self.documents, "kept": self.kept,
                "dropped": self.dropped, "counters": self.counters,
                "seconds": round(self.seconds, 2)}

    def render(self) -> str:
        if self.already_done:
            return f"dedup {self.run}: already deduplicated"
        head = (f"dedup {self.run}: {self.documents} documents → {self.kept} kept, "
                f"{sum(self.dropped.values())} copies dropped, {self.seconds:.1f}s")
        return "\n".join([head, *(f"  - {key}: {n}" for key, n in self.dropped.items())])


class RunFiles(RunSource):
    """A processed run's document files: the deciding fields read whole, the rest a batch at a time."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self._fields: list[dict[str, Any]] | None = None

    def fields(self) -> list[dict[str, Any]]:
        if self._fields is None:  # read once: the stage and the hashing both ask
            self._fields = pq.ParquetDataset(self.files, schema=RECORD_SCHEMA).read(
                columns=list(DECIDING_FIELDS)).to_pylist() if self.files else []
        return self._fields

    def texts(self) -> Iterator[list[str]]:
        for batch in self._batches(["text"]):
            yield batch.column(0).to_pylist()

    def rows(self) -> Iterator[list[dict[str, Any]]]:
        """Every record whole, in order, a batch at a time."""
        for batch in self._batches(None):
            yield batch.to_pylist()

    def _batches(self, columns: list[str] | None) -> Iterator[pa.RecordBatch]:
        for path in self.files:  # one file at a time, no read-ahead: in order, a batch in memory
            yield from ds.dataset(path, schema=RECORD_SCHEMA, format="parquet").to_batches(
                columns=columns, batch_size=READ_BATCH, batch_readahead=0, fragment_readahead=0, use_threads=False)


READ_BATCH = 5_000  # documents read at a time: about 25 MB of 1,500-character articles
SHINGLES_KEPT_UP_TO = 20_000  # documents in a run whose shingle sets are kept while hashing (about 120 MB)
# a run's kept documents are written in row groups this small, so that a later run reads the text of
# one candidate without reading the run's every text
TEXT_ROW_GROUP = 100


@dataclass
class _Output:
    """A file dedup writes: the run's records at the positions decided for it, with the fields decided
    (position → fields), in row groups of `row_group_size` (the default: a batch's rows)."""

    path: Path
    decided: dict[int, dict[str, Any]]
    schema: pa.Schema
    row_group_size: int | None = None


def _write_decided(source: RunFiles, outputs: list[_Output]) -> None:
    """Every output in one read of the run, a batch at a time (a position is decided for one output)."""
    owner = {position: (number, fields) for number, output in enumerate(outputs)
             for position, fields in output.decided.items()}
    pending: list[list[dict[str, Any]]] = [[] for _ in outputs]
    with contextlib.ExitStack() as files:
        writers = [files.enter_context(pq.ParquetWriter(files.enter_context(atomic_path(output.path)), output.schema,
                                                        compression="zstd")) for output in outputs]
        position = 0
        for rows in source.rows():
            for row in rows:
                if (found := owner.get(position)) is not None:
                    pending[found[0]].append({**row, **found[1]})
                position += 1
            for output, writer, waiting in zip(outputs, writers, pending):
                size = output.row_group_size or len(waiting)
                while waiting and len(waiting) >= size:
                    writer.write_table(pa.Table.from_pylist(waiting[:size], schema=output.schema))
                    del waiting[:size]
        for output, writer, waiting in zip(outputs, writers, pending):
            if waiting:
                writer.write_table(pa.Table.from_pylist(waiting, schema=output.schema))


class RunTexts:
    """The shingle set of an indexed document, made again from its text in its run's
    `dedup/<run>/docs.parquet` (the index keeps where it is, not the set): one row group read. Each
    file is opened for the one read and closed (a night's candidates can come from hundreds of runs)."""

    def __init__(self, layout: DataLayout, ngram: int) -> None:
        self.layout, self.ngram = layout, ngram

    def __call__(self, run: str, row: int) -> np.ndarray:
        with pq.ParquetFile(self.layout.dedup_docs(run)) as file:
            group, offset = 0, row
            while offset >= file.metadata.row_group(group).num_rows:
                offset -= file.metadata.row_group(group).num_rows
                group += 1
            text = file.read_row_group(group, columns=["text"]).column(0)[offset].as_py()
        return shingle_set(text, self.ngram)


@dataclass
class DedupDecision:
    """What dedup decided for one run, before anything is written. Its rows are the source's fields
    (`RunSource.fields`) with what was decided; `kept_at` and `rejected_at` are their positions in the run."""

    kept: list[dict[str, Any]]  # RECORD_SCHEMA fields, dup_cluster_* set
    rejected: list[dict[str, Any]]  # REJECT_SCHEMA fields
    kept_at: list[int]
    rejected_at: list[int]
    superseded: list[Supersession]  # earlier rows this run's revisions replace
    reprints: list[Reprint]  # clusters of earlier runs this run's copies grew: id, run of its row, size
    summary: DedupSummary
    entries: list[IndexEntry]  # what the index takes: the kept documents ...
    grown: Counter[str]  # ... how many copies each kept document's cluster gained ...
    retired: list[str]  # ... the articles revised into a copy of another, whose versions it drops ...
    copies: list[tuple[str, str, int]]  # ... and the copies dropped: id, cluster, text hash

    def commit(self, index: DedupIndex, stats: dict[str, Any]) -> None:
        index.commit(self.summary.run, self.entries, dict(self.grown), stats, self.retired, self.copies)


_DECIDED_KEPT = ("dup_cluster_id", "dup_cluster_size")
_DECIDED_REJECTED = ("reject_step", "reject_reason", "duplicate_of", "similarity")


def deduplicate_records(records: list[dict[str, Any]] | RunSource, run: str, index: DedupIndex,
                        thresholds: dict[str, Any], progress: bool = False, executor: Executor = LocalExecutor(),
                        blocklist: Blocklist = Blocklist(), shingles_at: ShinglesAt | None = None) -> DedupDecision:
    """The whole decision for one run, reading the index and touching nothing. Hashing runs on
    `executor`; matching runs here, in keep order, so the clusters do not depend on the engine. A
    document withdrawn since the run was processed (`blocklist`) is dropped first, indexed as nothing.
    Without `shingles_at` the index keeps each kept document's shingle set, so every set is made."""
    source = records if isinstance(records, RunSource) else RecordList(records)
    fields = source.fields()
    summary = DedupSummary(run, documents=len(fields))
    # a night's shingle sets are kept from the hashing (a few MB); a large run's are made again, for
    # the few documents that need theirs, rather than held for all (6 KB an article)
    with_shingles = shingles_at is None or len(fields) <= SHINGLES_KEPT_UP_TO
    with tqdm(total=len(fields), desc=f"dedup {run}: hash", unit=" docs", disable=not progress) as bar:
        every = hashed_documents(source, thresholds, executor, bar.update, with_shingles=with_shingles)
    covered = [blocklist.match(doc.record["url"], doc.id) is not None for doc in every]
    withdrawn = [doc for doc, out in zip(every, covered) if out]
    docs = [doc for doc, out in zip(every, covered) if not out] if withdrawn else every
    layers: list[Layer] = dedup_layers(index, docs, thresholds, shingles_at)
    add_shingles(every, next(layer for layer in layers if isinstance(layer, NearText)).wanted, source,
                 thresholds["ngram"])
    kept: list[DedupDoc] = []
    rejected: list[tuple[int, dict[str, Any]]] = [
        (doc.position, {**doc.record, "reject_step": WITHDRAWN, "reject_reason": WITHDRAWN, "duplicate_of": None,
                        "similarity": None}) for doc in withdrawn]
    grown: Counter[str] = Counter()
    revised_into_copies: list[Supersession] = []
    copies: list[tuple[str, str, int]] = []
    same_url = next(layer for layer in layers if isinstance(layer, SameUrl))
    counted_before = same_url.copies
    for doc in tqdm(sorted(docs, key=keep_order), desc=f"dedup {run}: match", unit=" docs", disable=not progress):
        verdict: Verdict | None = None
        for layer in layers:
            if verdict := layer(doc):
                break
        if verdict is None:
            kept.append(doc)
            for layer in layers:
                layer.keep(doc)
            continue
        rejected.append((doc.position, {**doc.record, "reject_step": layer.name, "reject_reason": verdict.reason,
                                        "duplicate_of": verdict.duplicate_of, "similarity": verdict.similarity}))
        if verdict.reason in ("exact_duplicate", "near_duplicate"):
            copies.append((doc.id, verdict.duplicate_of, doc.text_hash))
            if counted_before.get(doc.id, ("",))[0] != verdict.duplicate_of:  # a copy changed: counted once
                grown[verdict.duplicate_of] += 1
            if doc.revision_of:  # the article now prints another's text: its earlier row is out of date
                revised_into_copies.append(Supersession(doc.id, doc.revision_of, run))
    earlier = index.cluster_sizes(doc.id for doc in kept if doc.revision_of)
    kept.sort(key=lambda d: d.position)
    kept_rows = [{**doc.record, "dup_cluster_id": doc.id, "dup_cluster_size": earlier.get(doc.id, 1) + grown[doc.id]}
                 for doc in kept]
    summary.kept = len(kept_rows)
    summary.counters = {f"{layer.name}/{key}": n for layer in layers for key, n in sorted(layer.counters.items())}
    if withdrawn:
        summary.counters[f"{WITHDRAWN}/dropped"] = summary.counters[f"{WITHDRAWN}/dropped/{WITHDRAWN}"] = len(withdrawn)
    # where each kept document's text will be (its row in the written docs file, in position order):
    # with a text source, the index keeps that instead of the shingle set
    entries = [IndexEntry(doc.id, run, doc.text_hash, None if shingles_at else doc.shingles, doc.buckets,
                          doc.record["crawled_at"] or "", row if shingles_at else None)
               for row, doc in enumerate(kept)]
    superseded = [Supersession(**row) for row in same_url.superseded] + revised_into_copies
    # a copy of a document published by an earlier run: its row cannot change, its cluster's size is
    # published beside it (corpus/build.py), from the size the index has now and what this run adds
    kept_ids = {doc.id for doc in kept}
    older = sorted(cluster for cluster in grown if cluster not in kept_ids)
    sizes, versions = index.cluster_sizes(older), index.latest_versions(older)
    reprints = [Reprint(cluster, versions[cluster][0], sizes.get(cluster, 1) + grown[cluster])
                for cluster in older if cluster in versions]
    return DedupDecision(kept_rows, [row for _, row in rejected], [doc.position for doc in kept],
                         [position for position, _ in rejected], superseded, reprints, summary, entries, grown,
                         [revision.id for revision in revised_into_copies], copies)


def dedup_run(layout: DataLayout, run: str, index: DedupIndex, thresholds: dict[str, Any],
              progress: bool = True, executor: Executor = LocalExecutor()) -> DedupSummary:
    """Deduplicate one processed run (its summary must exist); a run already done is not redone."""
    if layout.dedup_stats(run).exists():
        return DedupSummary(run, already_done=True)
    started = time.monotonic()
    stored = index.run_stats(run)  # set when a kill came after the index commit: only the marker is missing
    if stored is None:
        for path in layout.run_docs(run):
            check_parquet(path, f"delete it and {layout.shard_stats(run, path.stem)}, then run "
                                f"`zhnews process --run {run}`, which processes that shard again")
        source = RunFiles(layout.run_docs(run))
        decision = deduplicate_records(source, run, index, thresholds, progress, executor,
                                       Blocklist.load(layout.withdrawn), RunTexts(layout, thresholds["ngram"]))
        kept = {position: {key: row[key] for key in _DECIDED_KEPT}
                for position, row in zip(decision.kept_at, decision.kept)}
        by_layer: dict[str, dict[int, dict[str, Any]]] = {}
        for position, row in zip(decision.rejected_at, decision.rejected):
            by_layer.setdefault(row["reject_step"], {})[position] = {key: row[key] for key in _DECIDED_REJECTED}
        _write_decided(source, [_Output(layout.dedup_docs(run), kept, RECORD_SCHEMA, TEXT_ROW_GROUP),
                                *(_Output(layout.dedup_rejects(run, layer), decided, REJECT_SCHEMA)
                                  for layer, decided in by_layer.items())])
        write_rows(layout.superseded(run), decision.superseded)
        write_rows(layout.reprints(run), decision.reprints)
        decision.summary.seconds = time.monotonic() - started
        stored = {**decision.summary.as_stats(), "thresholds": thresholds}
        decision.commit(index, stored)  # the index takes the run, or nothing of it
    stats = DedupStats.of(stored, layout.dedup_stats(run), run)
    stats.write(layout.dedup_stats(run))  # written last: the run is deduplicated
    return DedupSummary(run, stats.documents, stats.kept, stats.counters, stats.seconds)


def runs_to_dedup(layout: DataLayout) -> list[str]:
    """Fully processed runs not yet deduplicated, oldest first."""
    return [run for run in layout.processed_runs()
            if layout.run_summary(run).exists() and not layout.dedup_stats(run).exists()]


def dedup_runs(layout: DataLayout, runs: list[str], thresholds: dict[str, Any], progress: bool = True,
               executor: Executor = LocalExecutor()) -> list[DedupSummary]:
    """Deduplicate `runs` in order under the dedup lock (raises `Busy` while another dedup runs);
    `executor` hashes (the caller closes it)."""
    with exclusive(layout.dedup_lock, f"dedup index {layout.dedup_index}", "zhnews dedup"):
        index = SqliteDedupIndex(layout.dedup_index)
        try:
            return [dedup_run(layout, run, index, thresholds, progress, executor) for run in runs]
        finally:
            index.close()
