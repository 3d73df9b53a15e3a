"""The raw archive format: WARC files as the crawl writes them and processing reads them.

- `data/raw/<run-id>/<run-id>-<site>-<seq>.warc.gz` (paths: `corpus/layout.py`), one gzip member per
  record, a `warcinfo` record first;
- each fetch is a `response` record (HTTP headers + payload exactly as received, compressed payloads
  included) followed by its `request` record; the response carries two extra named fields:
  `Zhnews-Site` (the site profile's name) and `Zhnews-Page-Kind` (article, listing, sitemap, feed,
  robots or other), so processing never has to guess what a page was fetched for;
- a file being written is named `*.warc.gz.open` and renamed when closed; `recover_open_files`
  turns the leftovers of a killed crawl into valid files by cutting the torn last record.

A response's body is read with `http_body`: the transfer coding and every content coding undone by
us (`corpus/content_coding.py`), never past a size limit. The writer is `crawler/warc.py`, the reader
`cleaning/io/warc_reader.py`; both import this module, which imports only the layout and the codings.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.recordloader import ArcWarcRecord

from corpus.content_coding import decode_content
from corpus.layout import PERIOD, WARC_SUFFIX

SITE_FIELD = "Zhnews-Site"
KIND_FIELD = "Zhnews-Page-Kind"
OPEN_SUFFIX = ".open"

log = logging.getLogger(__name__)


def is_warc_date(date: str) -> bool:
    """An ISO 8601 time starting with its year and month (WARC 1.1: `2026-10-05T08:00:00Z`, with fractions
    of a second too): what a document's period, its month, is read from."""
    try:
        datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return False
    return bool(PERIOD.fullmatch(date[:7]))  # the period is the time's first 7 characters


class TornRecord(ValueError):
    """The file ends inside a record (a disk that filled up, a copy cut short, a killed writer)."""

    def __init__(self, offset: int):
        super().__init__("the file ends inside a record")
        self.offset = offset


def warc_records(iterator: ArchiveIterator) -> Iterator[ArcWarcRecord]:
    """The iterator's records, as long as they are whole WARC records: warcio reads a file that begins
    with an ARC-like line as an old ARC archive instead of failing, and junk must read as damage; and
    it stops without a word at a file that ends inside a record, which must read as damage too
    (`TornRecord`). Each record is checked once its reader asks for the next one."""
    for record in iterator:
        if record.format != "warc":
            raise ValueError(f"not a WARC record ({record.format})")
        yield record
        read_whole(iterator, record)
    if iterator.offset != iterator.fh.tell() and not _only_padding(iterator.fh, iterator.offset):
        raise TornRecord(iterator.offset)  # bytes after the last whole record that warcio read as nothing


# what may follow a file's last record and is no record: some writers end with an empty gzip member;
# past this many bytes it is no padding
_MAX_PADDING = 4096


def _only_padding(stream: BinaryIO, start: int) -> bool:
    """Are the bytes from `start` to where the stream stands empty gzip members (or blank)? Only a
    stream that can seek back is looked at (an input read over HTTP cannot)."""
    end = stream.tell()
    if end - start > _MAX_PADDING or not stream.seekable():
        return False
    stream.seek(start)
    tail = stream.read(end - start)
    stream.seek(end)
    while tail.startswith(b"\x1f\x8b"):
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            if member.decompress(tail).strip() or not member.eof:
                return False
        except zlib.error:
            return False
        tail = member.unused_data
    return not tail.strip()


def read_whole(iterator: ArchiveIterator, record: ArcWarcRecord) -> None:
    """Read the rest of `record`; `TornRecord` when the file ends inside it. warcio yields such a
    record as if it were whole: its Content-Length cut (read as 0) or gone, its content short of it,
    or its gzip member unfinished (a member is whole only once its closing check has been read)."""
    iterator.read_to_end(record)
    declared = (record.rec_headers.get_header("Content-Length") or "").isdigit()
    content_whole = declared and getattr(record.raw_stream, "limit", None) == 0  # warcio's count of what is left
    decompressor = iterator.reader.decompressor
    if not content_whole or (decompressor is not None and not decompressor.eof):
        raise TornRecord(iterator.get_record_offset())


def raw_http_body(record: ArcWarcRecord, limit: int) -> bytes:
    """A response record's body as stored, the transfer coding undone, at most `limit` + 1 bytes."""
    stream = record.raw_stream
    if (record.http_headers.get_header("transfer-encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream)
    return stream.read(limit + 1)


def http_body(record: ArcWarcRecord, limit: int) -> bytes:
    """A response record's body as the server meant it, at most `limit` + 1 bytes (longer means too
    large). Raises `content_coding.CodingError` for a coding that cannot be undone."""
    return decode_content(raw_http_body(record, limit), record.http_headers.get_header("content-encoding"), limit)


def recover_open_files(directory: Path) -> list[tuple[Path, int]]:
    """Make the `.open` files a killed crawl left behind valid: keep every complete record, cut the rest.
    Records are walked as stored (their gzip members read, their bodies' content codings left alone):
    only a torn member or header is damage, and a compression bomb costs no memory.

    Returns (recovered file, records kept) pairs. Safe to call again: it only touches `.open` files.
    """
    recovered = []
    for partial in sorted(directory.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
        good_end, kept = 0, 0
        with open(partial, "rb") as stream:
            try:
                iterator = ArchiveIterator(stream)
                for record in warc_records(iterator):
                    read_whole(iterator, record)  # the raw bytes: a body is never inflated here
                    good_end = iterator.get_record_offset() + iterator.get_record_length()
                    kept += 1
            except Exception as error:  # a torn gzip member or header: everything before it is good
                log.warning("cut %s after %d complete records (%s)", partial.name, kept, error)
        with open(partial, "r+b") as stream:
            stream.truncate(good_end)
        final = partial.with_name(partial.name[: -len(OPEN_SUFFIX)])
        os.replace(partial, final)
        recovered.append((final, kept))
    return recovered
