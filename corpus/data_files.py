"""Reading and writing the dataset's data files a batch at a time, so that memory holds a batch or a
row group, never a whole run (a first crawl of a large site's sitemap is hundreds of thousands of rows).

A data file is written as `datasets` writes one (its features in the schema metadata, its row groups
of at most 100 MB): the batches are staged in an Arrow stream file that `datasets` maps from disk,
instead of a table built in memory. Staged files live in `.dataset.staging/` beside the dataset, which each
build empties.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from corpus.files import atomic_path
from corpus.layout import DatasetLayout

BATCH_ROWS = 10_000  # rows read at a time: about 50 MB of 1,500-character articles


def staging(dataset: DatasetLayout) -> Path:
    """Beside the dataset, not in it: nothing staged is ever taken for part of the dataset."""
    return dataset.root.parent / f".{dataset.root.name}.staging"


def clear_staging(dataset: DatasetLayout) -> None:
    """Remove what a killed build staged (call under the dataset's lock)."""
    shutil.rmtree(staging(dataset), ignore_errors=True)


def batches(path: Path, schema: pa.Schema | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of a parquet file, a batch at a time; with `schema`, read as that schema (a column a
    file written by an older version lacks is null)."""
    # no read-ahead: a scanner reads 16 batches ahead by default, the memory of 16 batches
    yield from ds.dataset(path, schema=schema, format="parquet").to_batches(
        batch_size=BATCH_ROWS, batch_readahead=0, fragment_readahead=0)


def masked(path: Path, keep: list[bool], schema: pa.Schema | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of a parquet file whose `keep` entry (one per row, in order) is true."""
    start = 0
    for batch in batches(path, schema):
        yield batch.filter(pa.array(keep[start:start + batch.num_rows], pa.bool_()))
        start += batch.num_rows


def write_data_file(rows: Iterable[pa.RecordBatch], schema: pa.Schema, target: Path, dataset: DatasetLayout) -> int:
    """Write `rows` as one data file at `target` (atomically); returns the rows written."""
    from datasets import Dataset

    staging(dataset).mkdir(parents=True, exist_ok=True)
    staged = staging(dataset) / f"{target.parent.name}-{target.stem}.arrow"
    written = 0
    try:
        with pa.OSFile(str(staged), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
            for batch in rows:
                writer.write_batch(batch)
                written += batch.num_rows
        with atomic_path(target) as tmp:
            Dataset.from_file(str(staged)).to_parquet(str(tmp))
    finally:
        staged.unlink(missing_ok=True)
    return written


def rows_with_ids(path: Path, ids: list[str]) -> pa.Table:
    """The rows of `path` whose id is in `ids`, reading the whole of only the row groups that hold one."""
    wanted = pa.array(sorted(ids), pa.string())
    parts = []
    with pq.ParquetFile(path) as file:
        for group in range(file.num_row_groups):
            found = pc.is_in(file.read_row_group(group, columns=["id"]).column("id"), wanted)
            if pc.any(found).as_py():
                parts.append(file.read_row_group(group).filter(found))
        return pa.concat_tables(parts) if parts else file.schema_arrow.empty_table()
