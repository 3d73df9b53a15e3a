"""Read archived responses back from the crawl's WARC files as `Document`s to process.

Only responses the crawler fetched as articles become documents (the `Zhnews-Page-Kind` field);
listings, sitemaps, feeds and robots.txt are counted and skipped. So are the later pages of a
paginated article (kind `page`): they reach processing only through their article. When the run's
`pages/*.jsonl` (`corpus/article_pages.py`) names an article's later pages or one-page view, its
document carries them (`Document.later_pages`, or the view's response in place of the first page's),
read by file and offset from the run's WARC files, so pages in another file are found too.

Damage never stops a shard and is never silent. Each record is a gzip member of its own, so after an
unreadable stretch (a torn member, flipped bits, a file that is not a WARC at all, or one that ends
inside a record: `corpus.warc_format.TornRecord`) reading resumes at the next member that starts a
readable record; every damaged stretch is counted (`damaged`, `damaged_bytes`) and logged with the
file name and offset. A body is inflated (every Content-Encoding the crawl accepts: gzip, x-gzip,
deflate, br, zstd, stacked) only up to `max_body_bytes` + 1: a compression bomb is cut off there and
dropped as too large, never inflated whole.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from cleaning.document import Document, Response
from corpus.article_pages import ArticlePages
from corpus.content_coding import CodingError
from corpus.warc_format import KIND_FIELD, SITE_FIELD, TornRecord, http_body, read_whole, warc_records

log = logging.getLogger(__name__)
_GZIP_MEMBER = b"\x1f\x8b\x08"
_SCAN_BLOCK = 1 << 20


def period_of(timestamp: str) -> str:
    """The publishing period of a crawl time: its month, 'YYYY-MM'."""
    return timestamp[:7]


def _next_member(stream: BinaryIO, after: int) -> int | None:
    """Offset of the next gzip member header after `after`, or None at the end of the file."""
    position = after
    while True:
        stream.seek(position)
        block = stream.read(_SCAN_BLOCK + len(_GZIP_MEMBER) - 1)
        found = block.find(_GZIP_MEMBER)
        if found >= 0:
            return position + found
        if len(block) < _SCAN_BLOCK:
            return None
        position += _SCAN_BLOCK


def iter_articles(path: Path, run_id: str, counters: Counter[str], max_body_bytes: int,
                  paginated: dict[str, ArticlePages] | None = None) -> Iterator[Document]:
    """Yield one Document per archived article response in `path`, with body and headers attached,
    and the later pages of the articles `paginated` names."""
    paginated = paginated or {}
    parts = {part.url for article in paginated.values() for part in article.parts}
    for document in _iter_articles(path, run_id, counters, max_body_bytes):
        if document.url in parts:  # a later page or one-page view: it comes with its article
            counters["pages_of_articles"] += 1
            continue
        pages = paginated.get(document.url)
        if pages is not None:
            _attach_pages(document, pages, path.parent, counters, max_body_bytes)
        yield document


def _attach_pages(document: Document, pages: ArticlePages, folder: Path, counters: Counter[str],
                  max_body_bytes: int) -> None:
    responses = [_response_at(folder, part.warc_file, part.offset, max_body_bytes) if part.status == 200 else None
                 for part in pages.parts]
    document.pages_missing = pages.missing + sum(r is None for r, p in zip(responses, pages.parts) if p.status == 200)
    found = [response for response in responses if response is not None]
    if pages.mode == "full_view" and found:
        counters["paginated/full_view"] += 1
        document.headers, document.body = found[0].headers, found[0].body
        document.pages_missing = 0  # the view holds the whole article
    elif pages.mode == "pages":
        counters["paginated/pages"] += 1
        document.later_pages = found
        document.pages = 1 + len(found)
    if document.pages_missing:
        counters["paginated/incomplete"] += 1


def _response_at(folder: Path, warc_file: str | None, offset: int | None, max_body_bytes: int) -> Response | None:
    """The archived response at `offset` of `warc_file` in `folder`, or None when it cannot be read."""
    if not warc_file or offset is None or "/" in warc_file or "\\" in warc_file:
        return None
    try:
        with open(folder / warc_file, "rb") as stream:
            stream.seek(offset)
            iterator = ArchiveIterator(stream)
            for record in warc_records(iterator):
                if record.rec_type != "response":
                    return None
                headers, body = response_body(record, max_body_bytes)
                read_whole(iterator, record)
                return None if "content-encoding" in headers else Response(headers, body)
    except Exception as error:  # a damaged or missing file: the article is incomplete, not lost
        log.warning("%s: no readable response at offset %s (%s)", warc_file, offset, error)
    return None


def _iter_articles(path: Path, run_id: str, counters: Counter[str], max_body_bytes: int) -> Iterator[Document]:
    with open(path, "rb") as stream:
        start: int | None = 0
        damaged_since: int | None = None  # where the current unreadable stretch began
        while start is not None:
            stream.seek(start)
            iterator = ArchiveIterator(stream)
            try:
                for record in warc_records(iterator):
                    if damaged_since is not None:
                        _report_damage(path, counters, damaged_since, iterator.offset)
                        damaged_since = None
                    document = _document(record, iterator, path, run_id, counters, max_body_bytes)
                    if document is not None:
                        yield document
                start = None
            except Exception as error:  # torn gzip member, flipped bits, not a WARC, a cut: skip to the next member
                begin = error.offset if isinstance(error, TornRecord) else iterator.offset
                if damaged_since is None:
                    damaged_since = begin
                    log.debug("%s: %s at offset %d", path.name, type(error).__name__, begin)
                start = _next_member(stream, begin + 1)
        if damaged_since is not None:
            stream.seek(0, 2)
            _report_damage(path, counters, damaged_since, stream.tell())


def _report_damage(path: Path, counters: Counter[str], begin: int, end: int) -> None:
    counters["damaged"] += 1
    counters["damaged_bytes"] += end - begin
    log.error("%s: bytes %d-%d are not readable WARC records (damaged or not a WARC file); "
              "the records around them are processed", path.name, begin, end)


def _document(record, iterator: ArchiveIterator, path: Path, run_id: str, counters: Counter[str],
              max_body_bytes: int) -> Document | None:
    if record.rec_type != "response":
        return None
    kind = record.rec_headers.get_header(KIND_FIELD) or "other"
    counters[f"records/{kind}"] += 1
    if kind != "article":
        return None
    status = int(record.http_headers.get_statuscode() or 0)
    if 300 <= status < 400:  # a redirect (its target is archived) or "not modified": no new document
        counters["not_modified" if status == 304 else "redirects"] += 1
        return None
    # before read_whole(), which ends the record; one byte past the limit says "too large"
    headers, body = response_body(record, max_body_bytes)
    read_whole(iterator, record)  # a record the file ends inside is damage, never a short document
    crawled_at = record.rec_headers.get_header("WARC-Date") or ""
    return Document(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        crawled_at=crawled_at,
        crawl_run=run_id,
        period=period_of(crawled_at),
        site=record.rec_headers.get_header(SITE_FIELD) or None,
        warc_file=path.name,
        warc_offset=iterator.get_record_offset(),
        status=status,
        headers=headers,
        body=body,
    )


def response_body(record, max_body_bytes: int) -> tuple[dict[str, str], bytes]:
    """The response's headers (lower-case names) and body, decoded (`corpus.warc_format.http_body`),
    at most `max_body_bytes` + 1 bytes. A body whose coding cannot be undone comes empty, with its
    `content-encoding` header kept: `decode` drops it, saying so (its coding headers go otherwise)."""
    headers = {k.lower(): v for k, v in record.http_headers.headers}
    try:
        body = http_body(record, max_body_bytes)
    except CodingError as error:
        log.warning("%s: %s", record.rec_headers.get_header("WARC-Target-URI"), error)
        return headers, b""
    headers.pop("content-encoding", None)
    headers.pop("transfer-encoding", None)
    return headers, body
