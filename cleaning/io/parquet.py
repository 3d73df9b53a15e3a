"""Document files: rows streamed into parquet in batches, renamed into place only when complete."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cleaning.document import Document
from corpus.files import temporary_sibling

BATCH_ROWS = 500


class BatchedParquet:
    """Stream rows into one parquet file in batches, so memory stays flat however big the shard."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._tmp: Path | None = None  # a temporary sibling, once the first batch is written
        self._writer: pq.ParquetWriter | None = None

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = temporary_sibling(self.path)
            self._writer = pq.ParquetWriter(self._tmp, self.schema, compression="zstd")
        self._writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def close(self, always: bool = False) -> None:
        """Finish the file; with nothing written it is only created when `always` (kept docs: yes)."""
        if self.rows or (always and self._writer is None):
            self._flush()
        if self._writer is not None:
            self._writer.close()
            assert self._tmp is not None  # set with the writer
            os.replace(self._tmp, self.path)  # only a complete file gets the final name


def stored_documents(path: Path) -> Iterator[Document]:
    """The documents of a file written by `BatchedParquet`, in order, a batch at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        yield from map(Document.from_record, batch.to_pylist())
