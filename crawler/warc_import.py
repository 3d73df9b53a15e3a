"""A second way in: WARC files someone else crawled (Common Crawl's CC-NEWS, a Heritrix, wget or
Browsertrix crawl, an old archive) become a raw run, as if our crawl had fetched them.

Each input is streamed record by record (a 1 GB file in bounded memory: one body at a time, read up to
`max_body_bytes`); `.warc` and `.warc.gz` both read. A `response` record is kept when a profile allows
its host and port, and written to the run's own WARC files (`corpus/warc_format.py`) with its fetch
time, its HTTP status and headers, and the body as the archive holds it (transfer and content coding
undone: the archive's reader did that) under the URL in its canonical form; its page kind is the
profile's answer (article, a later `page` of one, listing, or other); a URL archived twice is taken
once (the first answer that was a 200). Records of other hosts are counted and skipped, and so are
records their archiver truncated (`WARC-Truncated`), revisits (they hold no page) and a record whose
URL or status line cannot be read (named, and the file read on). Of several profiles allowing a host,
the one whose patterns know the URL, then the closest allowed domain, takes it. Pages
of a paginated article are grouped as the crawl groups them (`raw/<run>/pages/<site>.jsonl`): by the
page-numbered URL forms and a page's own pager, read from the first page. Then `zhnews process`
treats the run like any other.
"""

from __future__ import annotations

import http.client
import shutil
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit

from lxml import html as lxml_html
from w3lib.url import safe_url_string
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from corpus.article_pages import ArticlePages, PagePart, append_article_pages
from corpus.content_coding import CodingError, decode_content
from corpus.files import exclusive
from corpus.layout import DataLayout
from corpus.run_stats import SiteSnapshot
from corpus.warc_format import KIND_FIELD, SITE_FIELD, TornRecord, is_warc_date, raw_http_body, read_whole, warc_records
from crawler.pagination import Pager, might_be_paginated, page_of, read_pager
from crawler.profile import SiteProfile, snapshot
from crawler.urls import canonical
from crawler.warc import RotatingWarcWriter

# headers that describe the archive's transfer, not the body we write (which is decoded)
_TRANSFER = {"transfer-encoding", "content-encoding", "content-length", "connection", "keep-alive"}


MAX_NAMED_RECORDS = 10  # unreadable records named in the summary; all of them are counted


class WarcImportError(ValueError):
    """An input that cannot be imported at all (not a WARC file, unreadable); the message names it."""


@dataclass
class _Fetched:
    """What the import remembers of an article record until the end, to group paginated articles."""
    warc_file: str
    offset: int
    status: int
    pager: Pager | None


@dataclass
class ImportSummary:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    per_site: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    started_over: bool = False  # the run held what a killed import of it left, removed first

    def render(self) -> str:
        counts = self.counts
        lines = [f"import-warc → run {self.run_id}: {counts['records']} records read, {counts['kept']} kept, "
                 f"{counts['other_hosts']} of other hosts skipped, {counts['repeated']} repeated, "
                 f"{counts['too_large']} too large, {counts['truncated']} truncated by their archiver, "
                 f"{counts['unreadable']} unreadable, {counts['not_response']} not responses "
                 f"({counts['revisit']} of them revisits: they hold no page), {counts['undecodable']} kept "
                 "with a content coding that does not undo"]
        lines += [f"  {site:<16} {kept} records" for site, kept in sorted(self.per_site.items())]
        if self.started_over:
            lines.append("  started over: the run held what an import killed before its end had written")
        if not counts["kept"]:
            lines.append("  nothing kept: no run was made")
        lines += [f"  problem: {problem}" for problem in self.problems]
        return "\n".join(lines)


@contextmanager
def _open_input(source: str) -> Iterator[BinaryIO]:
    """A local file, or an http(s) URL streamed as it downloads; one that cannot be opened is a
    WarcImportError naming it (the other inputs are still imported)."""
    if "://" in source and not source.startswith(("http://", "https://")):
        raise WarcImportError(f"{source}: only local files and http(s) URLs can be imported")
    try:
        stream = (urllib.request.urlopen(source, timeout=60) if "://" in source  # noqa: S310 (http(s) only)
                  else open(source, "rb"))
    except (OSError, http.client.HTTPException) as error:  # URLError and HTTPError are OSErrors
        raise WarcImportError(f"{source}: cannot be read ({error})") from None
    with stream:
        yield stream


def import_warcs(sources: list[str], profiles: list[SiteProfile], layout: DataLayout, run_id: str,
                 max_body_bytes: int) -> ImportSummary:
    """Import `sources` into the new run `run_id`. A source that is not a WARC file, or breaks off,
    is named in the summary's problems; what was read before the break is kept. Until the import
    ends the run holds `import.unfinished`: `process` refuses such a run (a killed import would pass
    for a whole one, its paginated articles cut to their first page), and importing into it again
    starts it over. A run that kept nothing is removed."""
    summary = ImportSummary(run_id)
    run_dir, unfinished = layout.run_dir(run_id), layout.unfinished_import(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(layout.run_lock(run_id), f"crawl run {run_id}", "zhnews import-warc"):
        # judged under the lock: an import of the same id that ends meanwhile leaves a whole run
        if not unfinished.exists() and set(run_dir.iterdir()) - {layout.run_lock(run_id)}:
            raise WarcImportError(f"run {run_id} exists already under {layout.raw}")
        summary.started_over = _clear_killed_import(layout, run_id)
        unfinished.touch()
        _import_into(sources, profiles, layout, summary, max_body_bytes)
        unfinished.replace(layout.imported_run(run_id))  # last: the run is whole
    if not summary.counts["kept"]:
        shutil.rmtree(run_dir)
    return summary


def _clear_killed_import(layout: DataLayout, run_id: str) -> bool:
    """Remove what a killed import of the run left (we hold its lock); whether there was any."""
    left = [path for path in layout.run_dir(run_id).iterdir() if path != layout.run_lock(run_id)]
    for path in left:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return bool(left)


def _import_into(sources: list[str], profiles: list[SiteProfile], layout: DataLayout, summary: ImportSummary,
                 max_body_bytes: int) -> None:
    run_id, run_dir = summary.run_id, layout.run_dir(summary.run_id)
    writers = {p.name: RotatingWarcWriter(run_dir, f"{run_id}-{p.name}", 256 << 20) for p in profiles}
    fetched: dict[str, dict[str, _Fetched]] = {p.name: {} for p in profiles}
    seen: set[str] = set()  # URLs imported with a 200: an archive may hold one page twice
    try:
        for source in sources:
            try:
                _import_one(source, profiles, writers, fetched, summary, max_body_bytes, seen)
            except WarcImportError as error:
                summary.problems.append(str(error))
    finally:
        for writer in writers.values():
            writer.close()
    for profile in profiles:
        if summary.per_site[profile.name]:
            SiteSnapshot.of(snapshot(profile)).write(layout.site_snapshot(run_id, profile.name))
        for article in _paginated(profile, fetched[profile.name]):
            append_article_pages(layout.article_pages(run_id, profile.name), article)
            summary.counts["paginated"] += 1


def _import_one(source: str, profiles: list[SiteProfile], writers: dict[str, RotatingWarcWriter],
                fetched: dict[str, dict[str, _Fetched]], summary: ImportSummary, max_body_bytes: int,
                seen: set[str]) -> None:
    with _open_input(source) as stream:
        iterator, read = ArchiveIterator(stream), 0
        try:
            for record in warc_records(iterator):
                read += 1
                summary.counts["records"] += 1
                try:
                    _import_record(record, iterator, profiles, writers, fetched, summary, max_body_bytes, seen)
                except TornRecord:
                    raise
                except ValueError as error:  # this record's URL or status line: the next ones may be fine
                    summary.counts["unreadable"] += 1
                    if summary.counts["unreadable"] <= MAX_NAMED_RECORDS:
                        summary.problems.append(f"{source}: record {read} skipped ({error})")
        except TornRecord as error:
            if read == 1 and error.offset == 0 and source.endswith(".gz"):
                raise WarcImportError(_compressed_whole(source, "or it is cut inside its first record")) from None
            raise WarcImportError(f"{source} breaks off at byte {error.offset} ({error}); the records before it "
                                  "were imported") from None
        except ArchiveLoadFailed as error:
            if "multi-member" in str(error):  # warcio's word for a gzip member holding several records
                raise WarcImportError(_compressed_whole(source, "nothing of it was imported")) from None
            why = " ".join(str(error).split())[:160]
            if not read:
                raise WarcImportError(f"{source} is not a WARC file ({why})") from None
            raise WarcImportError(f"{source} breaks off at byte {iterator.offset} ({why}); the {read} records "
                                  "before it were imported") from None
        except AttributeError:  # warcio reading a record without WARC-Target-URI, or a header the file cut
            decompressor = iterator.reader.decompressor
            # cut: its gzip member unfinished, or a plain file's end reached
            if (not decompressor.eof) if decompressor is not None else not stream.read(1):
                raise WarcImportError(f"{source} breaks off at byte {iterator.offset} (the file ends inside a "
                                      "record's header); the records before it were imported") from None
            raise WarcImportError(f"{source}: a response record without WARC-Target-URI, which the file cannot "
                                  "be read past; the records before it were imported") from None
        except (ValueError, http.client.HTTPException, ConnectionError, TimeoutError) as error:
            if not read:
                raise WarcImportError(f"{source} is not a WARC file ({error})") from None
            raise WarcImportError(f"{source} breaks off at byte {iterator.offset} ({error}); the {read} "
                                  "records before it were imported") from None


def _compressed_whole(source: str, besides: str) -> str:
    return (f"{source}: its first record does not end its gzip member: the file is compressed whole, not record "
            f"by record as WARC files are (`warcio recompress IN OUT` rewrites it), {besides}")


def _import_record(record, iterator: ArchiveIterator, profiles: list[SiteProfile],
                   writers: dict[str, RotatingWarcWriter], fetched: dict[str, dict[str, _Fetched]],
                   summary: ImportSummary, max_body_bytes: int, seen: set[str]) -> None:
    if record.rec_type != "response" or record.http_headers is None:
        summary.counts["not_response"] += 1
        summary.counts["revisit"] += record.rec_type == "revisit"
        return
    if record.rec_headers.get_header("WARC-Truncated"):  # the archiver cut its payload: never a whole page
        summary.counts["truncated"] += 1
        return
    date = record.rec_headers.get_header("WARC-Date") or ""
    if date and not is_warc_date(date):  # the period, a folder of the dataset, is read from it
        raise ValueError(f"its WARC-Date {date[:40]!r} is no ISO 8601 time")
    url = safe_url_string((record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>"))
    profile = _profile_for(url, profiles)
    if profile is None:
        summary.counts["other_hosts"] += 1
        return
    raw = raw_http_body(record, max_body_bytes)
    read_whole(iterator, record)  # a record the file ends inside is never written, cut short
    try:
        body = decode_content(raw, record.http_headers.get_header("content-encoding"), max_body_bytes)
        undone = _TRANSFER
    except CodingError:  # kept as archived, with its coding named: `process` drops it, saying why
        body, undone = raw, _TRANSFER - {"content-encoding"}
        summary.counts["undecodable"] += 1
    if len(body) > max_body_bytes:
        summary.counts["too_large"] += 1
        return
    url = canonical(url, profile.strip_index)
    status = int(record.http_headers.get_statuscode() or 0)  # not a number: the record is skipped, counted
    if url in seen:  # fetched twice (a redirect's target, a re-crawl in the archive): the first one holds
        summary.counts["repeated"] += 1
        return
    if status == 200:
        seen.add(url)
    kind = profile.kind_of(url) or "other"
    if kind == "article" and (page := page_of(url)) and profile.is_article(page.first):
        kind = "page"  # a later page: a part of its article, as the crawl archives it
    statusline = record.http_headers.statusline or str(status)
    headers = [(_as_received(name), _as_received(value)) for name, value in record.http_headers.headers
               if name.lower() not in undone]
    warc_file, offset = writers[profile.name].write(
        url=url, status=status, reason=statusline.partition(" ")[2], response_headers=headers, body=body,
        request_method="GET", request_headers=[], extra_fields={SITE_FIELD: profile.name, KIND_FIELD: kind},
        date=date or None)
    summary.counts["kept"] += 1
    summary.per_site[profile.name] += 1
    if kind in ("article", "page"):
        pager = _pager(url, body, profile) if status == 200 and might_be_paginated(url, body) else None
        fetched[profile.name][url] = _Fetched(warc_file, offset, status, pager)


def _as_received(text: str) -> str:
    """warcio's reading of a header (UTF-8 if its bytes are UTF-8, else latin-1) as the writer takes
    headers: latin-1 text standing for the bytes. So that a reader gets the same text back, the bytes
    are those of its latin-1 reading when they are no UTF-8 (warcio fell back to latin-1), else its
    UTF-8: "Ã©" stays "Ã©" (written as latin-1 it would read back as "é")."""
    try:
        text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:  # its latin-1 bytes are no UTF-8: warcio fell back to latin-1, and so is it
        return text
    except UnicodeEncodeError:  # beyond latin-1: it was read as UTF-8
        pass
    return text.encode("utf-8").decode("latin-1")  # ASCII, or read as UTF-8


def _profile_for(url: str, profiles: list[SiteProfile]) -> SiteProfile | None:
    """The profile a record belongs to, of those that allow its host and port: the one whose URL
    patterns know it, then the one whose allowed domain is closest (people-tech's tech.people.com.cn
    before people-local's people.com.cn), whatever order the profiles came in."""
    allowed = [profile for profile in profiles if profile.refuses(url) is None]
    if len(allowed) < 2:
        return allowed[0] if allowed else None
    host = urlsplit(url).hostname or ""
    return max(allowed, key=lambda profile: (profile.kind_of(url) is not None, len(profile.domain_of(host) or "")))


def _pager(url: str, body: bytes, profile: SiteProfile) -> Pager | None:
    try:
        root = lxml_html.fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    links = [(a.get("href", ""), a.text_content()) for a in root.iter("a") if a.get("href")]
    try:
        return read_pager(url, links, profile.strip_index)
    except ValueError:  # a link no URL parser reads ("http://[broken/"): the record is written already
        return None


def _paginated(profile: SiteProfile, fetched: dict[str, _Fetched]) -> Iterator[ArticlePages]:
    """Group an archive's article records as the crawl would have fetched them: a first page with a
    one-page view that the archive holds takes the view; otherwise its later pages that it holds,
    by page number; a page its pager names that the archive lacks makes it incomplete."""
    later: dict[str, dict[int, str]] = {}
    for url in fetched:
        page = page_of(url)
        if page and canonical(page.first, profile.strip_index) in fetched:
            later.setdefault(canonical(page.first, profile.strip_index), {})[page.number] = url
    views = {first.pager.full_view for first in fetched.values() if first.pager and first.pager.full_view in fetched}
    parts_of_others = views | {url for pages in later.values() for url in pages.values()}
    for url, first in fetched.items():
        if url in parts_of_others:
            continue
        pager = first.pager or Pager()
        if pager.full_view in fetched:
            view = fetched[pager.full_view]
            yield ArticlePages(url, "full_view", (PagePart(pager.full_view, view.warc_file, view.offset, view.status),),
                               view.status == 200)
            continue
        pages = {**pager.pages, **later.get(url, {})}
        if not pages:
            continue
        parts = tuple(PagePart(page_url, fetched[page_url].warc_file, fetched[page_url].offset,
                               fetched[page_url].status) if page_url in fetched else PagePart(page_url, None, None, 0)
                      for _, page_url in sorted(pages.items()))
        yield ArticlePages(url, "pages", parts, all(part.status == 200 for part in parts))
