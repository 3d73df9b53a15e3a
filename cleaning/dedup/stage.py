"""Deduplicate processed runs against each other and against everything deduplicated before.

Reads data/docs/<run>/, writes data/dedup/<run>/docs.parquet (the survivors, with `dup_cluster_id`
and `dup_cluster_size`), data/rejects/<run>/<layer>/dedup.parquet (each copy with the id it
duplicates), data/dedup/<run>/superseded.json, and stats/<run>/dedup.json last. The index
(`cleaning/dedup/index.py`) takes the run in one transaction; runs go oldest first, each once.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from cleaning.dedup.index import DedupIndex, IndexEntry, SqliteDedupIndex
from cleaning.dedup.layers import DedupDoc, Layer, ShinglesAt, Verdict, dedup_layers, hashed_documents, keep_order
from cleaning.dedup.minhash import shingle_set
from cleaning.run.executor import Executor, LocalExecutor
from corpus.files import atomic_path, exclusive
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


def _read_records(layout: DataLayout, run: str) -> list[dict[str, Any]]:
    files = layout.run_docs(run)
    if not files:
        return []
    return pq.ParquetDataset(files, schema=RECORD_SCHEMA).read().to_pylist()


# a run's kept documents are written in row groups this small, so that a later run reads the text of
# one candidate without reading the run's every text
TEXT_ROW_GROUP = 100


def _write(path: Any, rows: list[dict[str, Any]], schema: pa.Schema, row_group_size: int | None = None) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp, compression="zstd",
                       row_group_size=row_group_size)


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
    """What dedup decided for one run, before anything is written."""

    kept: list[dict[str, Any]]  # RECORD_SCHEMA rows, dup_cluster_* set
    rejected: list[dict[str, Any]]  # REJECT_SCHEMA rows
    superseded: list[Supersession]  # earlier rows this run's revisions replace
    reprints: list[Reprint]  # clusters of earlier runs this run's copies grew: id, run of its row, size
    summary: DedupSummary
    entries: list[IndexEntry]  # what the index takes: the kept documents ...
    grown: Counter[str]  # ... and how many copies each kept document's cluster gained

    def commit(self, index: DedupIndex, stats: dict[str, Any]) -> None:
        index.commit(self.summary.run, self.entries, dict(self.grown), stats)


def deduplicate_records(records: list[dict[str, Any]], run: str, index: DedupIndex, thresholds: dict[str, Any],
                        progress: bool = False, executor: Executor = LocalExecutor(),
                        blocklist: Blocklist = Blocklist(), shingles_at: ShinglesAt | None = None) -> DedupDecision:
    """The whole decision for one run, reading the index and touching nothing. Hashing runs on
    `executor`; matching runs here, in keep order, so the clusters do not depend on the engine. A
    document withdrawn since the run was processed (`blocklist`) is dropped first, indexed as nothing."""
    summary = DedupSummary(run, documents=len(records))
    covered = [blocklist.match(record["url"], record["id"]) is not None for record in records]
    withdrawn = [record for record, out in zip(records, covered) if out]
    if withdrawn:
        records = [record for record, out in zip(records, covered) if not out]
    with tqdm(total=len(records), desc=f"dedup {run}: hash", unit=" docs", disable=not progress) as bar:
        docs = hashed_documents(records, thresholds, executor, bar.update)
    layers: list[Layer] = dedup_layers(index, docs, thresholds, shingles_at)
    kept: list[DedupDoc] = []
    rejected: list[dict[str, Any]] = [{**record, "reject_step": WITHDRAWN, "reject_reason": WITHDRAWN,
                                       "duplicate_of": None, "similarity": None} for record in withdrawn]
    grown: Counter[str] = Counter()
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
        rejected.append({**doc.record, "reject_step": layer.name, "reject_reason": verdict.reason,
                         "duplicate_of": verdict.duplicate_of, "similarity": verdict.similarity})
        if verdict.reason in ("exact_duplicate", "near_duplicate"):
            grown[verdict.duplicate_of] += 1
    earlier = index.cluster_sizes(doc.id for doc in kept if doc.revision_of)
    kept_rows = []
    for doc in sorted(kept, key=lambda d: d.position):
        size = earlier.get(doc.id, 1) + grown[doc.id]
        kept_rows.append({**doc.record, "dup_cluster_id": doc.id, "dup_cluster_size": size})
    summary.kept = len(kept_rows)
    summary.counters = {f"{layer.name}/{key}": n for layer in layers for key, n in sorted(layer.counters.items())}
    if withdrawn:
        summary.counters[f"{WITHDRAWN}/dropped"] = summary.counters[f"{WITHDRAWN}/dropped/{WITHDRAWN}"] = len(withdrawn)
    # where each kept document's text will be (its row in the written docs file): with a text source,
    # the index keeps that instead of the shingle set
    row_of = {doc.position: row for row, doc in enumerate(sorted(kept, key=lambda d: d.position))}
    entries = [IndexEntry(doc.id, run, doc.text_hash, None if shingles_at else doc.shingles, doc.buckets,
                          doc.record["crawled_at"] or "", row_of[doc.position] if shingles_at else None)
               for doc in kept]
    superseded = [Supersession(**row) for row in next(  # type: ignore[attr-defined]
        layer for layer in layers if layer.name == "same_url").superseded]
    # a copy of a document published by an earlier run: its row cannot change, its cluster's size is
    # published beside it (corpus/build.py), from the size the index has now and what this run adds
    kept_ids = {doc.id for doc in kept}
    older = sorted(cluster for cluster in grown if cluster not in kept_ids)
    sizes, versions = index.cluster_sizes(older), index.latest_versions(older)
    reprints = [Reprint(cluster, versions[cluster][0], sizes.get(cluster, 1) + grown[cluster])
                for cluster in older if cluster in versions]
    return DedupDecision(kept_rows, rejected, superseded, reprints, summary, entries, grown)


def dedup_run(layout: DataLayout, run: str, index: DedupIndex, thresholds: dict[str, Any],
              progress: bool = True, executor: Executor = LocalExecutor()) -> DedupSummary:
    """Deduplicate one processed run (its summary must exist); a run already done is not redone."""
    if layout.dedup_stats(run).exists():
        return DedupSummary(run, already_done=True)
    started = time.monotonic()
    stored = index.run_stats(run)  # set when a kill came after the index commit: only the marker is missing
    if stored is None:
        decision = deduplicate_records(_read_records(layout, run), run, index, thresholds, progress, executor,
                                       Blocklist.load(layout.withdrawn), RunTexts(layout, thresholds["ngram"]))
        _write(layout.dedup_docs(run), decision.kept, RECORD_SCHEMA, TEXT_ROW_GROUP)
        by_layer: dict[str, list[dict[str, Any]]] = {}
        for row in decision.rejected:
            by_layer.setdefault(row["reject_step"], []).append(row)
        for layer, rows in by_layer.items():
            _write(layout.dedup_rejects(run, layer), rows, REJECT_SCHEMA)
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
