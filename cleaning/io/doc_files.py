"""Document files: rows streamed in batches, renamed into place only when complete.

Two formats, one contract: parquet (zstd) for what stages publish (`docs/`, `rejects/`), and an Arrow
IPC file for a shard's hand-over from one phase to the next (`work/`), read once and deleted with the
run's work folder: parquet's per-column encoding costs more than the few rows a phase hands on take
to process (a 44-row shard: 6 ms to write and 5 to read as parquet, 2.3 and 2.7 as Arrow).
"""

from __future__ import annotations

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from cleaning.document import Document
from corpus.files import DamagedFile, temporary_sibling

BATCH_ROWS = 500


class _TableWriter(Protocol):
    def write_table(self, table: pa.Table) -> None: ...

    def close(self) -> None: ...


class BatchedRows(ABC):
    """Stream rows into one file in batches, so memory stays flat however big the shard."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._tmp: Path | None = None  # a temporary sibling, once the first batch is written
        self._writer: _TableWriter | None = None

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    @abstractmethod
    def _open(self, tmp: Path) -> _TableWriter:
        """A writer of this format into `tmp`."""

    def _flush(self) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = temporary_sibling(self.path)
            self._writer = self._open(self._tmp)
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


# Parquet is written column by column, and a shard of a nightly run is small (the bench's: 6 and 44
# rows), so the per-column work dominates a file's cost: a dictionary only for the columns whose values
# repeat (for unique texts it is work for nothing), statistics only for those a reader may filter on
# (the min and max of whole texts only fill the file). A 6-row shard: 2.4 → 1.6 ms and 25 → 19 KB.
REPEATED_VALUE_COLUMNS = ("domain", "site", "crawl_run", "period", "charset", "extractor", "language", "script",
                          "reject_step", "reject_reason")
UNFILTERED_COLUMNS = ("text", "captions", "removed_lines", "cleaning_log")


@lru_cache(maxsize=4)
def _filterable_columns(schema: pa.Schema) -> list[str]:
    """The leaf column paths parquet gives `schema` ("quality.damage"), less the long texts'."""
    empty = io.BytesIO()
    pq.write_table(schema.empty_table(), empty)
    layout = pq.read_metadata(io.BytesIO(empty.getvalue())).schema
    paths = (layout.column(i).path for i in range(len(layout)))
    return [path for path in paths if path.split(".")[0] not in UNFILTERED_COLUMNS]


class BatchedParquet(BatchedRows):
    """A zstd parquet file: what a stage publishes."""

    def _open(self, tmp: Path) -> _TableWriter:
        repeated = [name for name in REPEATED_VALUE_COLUMNS if name in self.schema.names]
        return pq.ParquetWriter(tmp, self.schema, compression="zstd", use_dictionary=repeated,
                                write_statistics=_filterable_columns(self.schema))


class BatchedArrow(BatchedRows):
    """The same, as an uncompressed Arrow IPC file: a phase's hand-over (see the module's docstring)."""

    def _open(self, tmp: Path) -> _TableWriter:
        return ipc.new_file(str(tmp), self.schema)


def handed_documents(path: Path, way_out: str) -> Iterator[Document]:
    """The documents of a file written by `BatchedArrow`, in order, a batch at a time; DamagedFile (naming
    `way_out`) when it is not one whole (written without fsync, it may be cut short by a power cut)."""
    try:
        with pa.memory_map(str(path)) as source:
            reader = ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield from map(Document.from_record, reader.get_batch(i).to_pylist())
    except (pa.ArrowInvalid, OSError) as error:
        raise DamagedFile(path, f"not a whole Arrow file: {str(error)[:80]}", way_out) from None
