"""Read archived responses back from the crawl's WARC files as `Document`s to process.

Only responses the crawler fetched as articles become documents (the `Zhnews-Page-Kind` field);
listings, sitemaps, feeds and robots.txt are counted and skipped. A broken record ends the file
with a clear error in the counters — the records before it are still processed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from cleaning.document import Document
from corpus.warc_format import KIND_FIELD, SITE_FIELD

log = logging.getLogger(__name__)


def period_of(timestamp: str) -> str:
    """The publishing period of a crawl time: its month, 'YYYY-MM'."""
    return timestamp[:7]


def iter_articles(path: Path, run_id: str, counters: Counter[str]) -> Iterator[Document]:
    """Yield one Document per archived article response in `path`, with body and headers attached."""
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                if record.rec_type != "response":
                    continue
                kind = record.rec_headers.get_header(KIND_FIELD) or "other"
                counters[f"records/{kind}"] += 1
                if kind != "article":
                    continue
                status = int(record.http_headers.get_statuscode() or 0)
                if 300 <= status < 400:  # a redirect (its target is archived) or "not modified": no new document
                    counters["not_modified" if status == 304 else "redirects"] += 1
                    continue
                body = record.content_stream().read()  # before get_record_offset(), which ends the record
                crawled_at = record.rec_headers.get_header("WARC-Date") or ""
                yield Document(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    crawled_at=crawled_at,
                    crawl_run=run_id,
                    period=period_of(crawled_at),
                    site=record.rec_headers.get_header(SITE_FIELD) or None,
                    warc_file=path.name,
                    warc_offset=iterator.get_record_offset(),
                    status=status,
                    headers={k.lower(): v for k, v in record.http_headers.headers},
                    body=body,
                )
        except Exception as error:  # torn gzip member, bad header: report, keep what was read
            counters["broken_records"] += 1
            log.error("%s: unreadable WARC record after offset %s (%s: %s); rest of file skipped",
                      path.name, iterator.get_record_offset(), type(error).__name__, error)
