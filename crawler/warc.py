"""The raw archive: WARC files that hold every response byte for byte.

File format (the contract with `zhnews process`):
- `data/raw/<run-id>/<run-id>-<site>-<seq>.warc.gz`, one gzip member per record, a `warcinfo` record first;
- each fetch is a `request` record and a `response` record (HTTP headers + payload exactly as
  received, compressed payloads included); the response carries two extra named fields:
  `Zhnews-Site` (the site profile's name) and `Zhnews-Page-Kind` (article, listing, sitemap, feed,
  robots or other), so processing never has to guess what a page was fetched for.
- A file being written is named `*.warc.gz.open` and renamed when closed; `recover_open_files`
  turns the leftovers of a killed crawl into valid files by cutting the torn last record.
- `data/raw/<run-id>/sites/<site>.json` is the site profile the crawl used (`profile.snapshot`), so
  processing can apply the site's own settings (`prune_xpath`) without reading crawler files;
- `data/raw/<run-id>/.lock` is locked (flock) by the crawl writing the run, and by `zhnews process`
  while it reads it: a run is never recovered nor processed while its crawl is still going.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE_FIELD = "Zhnews-Site"
KIND_FIELD = "Zhnews-Page-Kind"
OPEN_SUFFIX = ".open"
LOCK_NAME = ".lock"
SITES_FOLDER = "sites"

log = logging.getLogger(__name__)


def warc_date() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RotatingWarcWriter:
    """Appends request/response pairs to gzipped WARC files, starting a new file past `max_bytes`."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.directory.mkdir(parents=True, exist_ok=True)
        self._seq = self._next_free_seq()
        self._file = None
        self._writer: WARCWriter | None = None
        self.files_closed: list[Path] = []

    def _next_free_seq(self) -> int:
        """Never reuse a file name: a resumed run appends new files after the recovered ones."""
        own = re.compile(rf"{re.escape(self.prefix)}-(\d+)\.warc\.gz(?:{re.escape(OPEN_SUFFIX)})?")
        numbers = [int(m.group(1)) for p in self.directory.iterdir() if (m := own.fullmatch(p.name))]
        return max(numbers, default=-1) + 1

    @property
    def current_path(self) -> Path:
        return self.directory / f"{self.prefix}-{self._seq:05d}.warc.gz"

    def _open(self) -> None:
        self._file = open(str(self.current_path) + OPEN_SUFFIX, "wb")
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(
            self.current_path.name,
            {"software": "zhnews-corpus (warcio)", "format": "WARC File Format 1.1", "isPartOf": self.prefix},
        )
        self._writer.write_record(info)

    def write(
        self,
        *,
        url: str,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        request_method: str,
        request_headers: list[tuple[str, str]],
        extra_fields: dict[str, str],
    ) -> tuple[str, int]:
        """Write one fetch; return (file name, byte offset of its response record) for provenance."""
        if self._writer is None:
            self._open()
        assert self._file is not None and self._writer is not None
        offset = self._file.tell()
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_date(), **extra_fields},
        )
        self._writer.write_record(record)
        request_line = StatusAndHeaders(f"{request_method} {url}", request_headers, is_http_request=True)
        request = self._writer.create_warc_record(
            url, "request", payload=BytesIO(b""), length=0, http_headers=request_line,
            warc_headers_dict={"WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
        )
        self._writer.write_record(request)
        self._file.flush()  # a killed crawler loses at most the record being written
        name = self.current_path.name
        if self._file.tell() >= self.max_bytes:
            self._close_current()
            self._seq += 1
        return name, offset

    def _close_current(self) -> None:
        if self._file is None:
            return
        self._file.close()
        os.replace(str(self.current_path) + OPEN_SUFFIX, self.current_path)
        self.files_closed.append(self.current_path)
        self._file = None
        self._writer = None

    def close(self) -> None:
        self._close_current()


def recover_open_files(directory: Path) -> list[tuple[Path, int]]:
    """Make the `.open` files a killed crawl left behind valid: keep every complete record, cut the rest.

    Returns (recovered file, records kept) pairs. Safe to call again: it only touches `.open` files.
    """
    recovered = []
    for partial in sorted(directory.glob(f"*.warc.gz{OPEN_SUFFIX}")):
        good_end, kept = 0, 0
        with open(partial, "rb") as stream:
            try:
                iterator = ArchiveIterator(stream)
                for record in iterator:
                    record.content_stream().read()
                    iterator.read_to_end(record)
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
