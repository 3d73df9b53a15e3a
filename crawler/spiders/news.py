"""One generic news spider; everything site-specific comes from the site profile.

`scrapy crawl news -a profile=PATH-OR-NAME [-a revalidate=1] [-a NAME=VALUE …]` runs it as
`zhnews crawl` does (any other argument fills `${NAME}` in the profile; Scrapyd passes its job
arguments the same way). The profile's `settings` become the crawler's, at spider priority.

Discovery order: sitemaps and feeds first (cheap, complete, dated), then listing pages as the
fallback (links are extracted only there, and only inside `listing_areas` when given: link
extraction is half of a crawler's CPU). Article pages are archived, recorded in the crawl state and
never parsed here — extraction happens offline in `zhnews process`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from scrapy.selector import Selector
from scrapy.settings import BaseSettings
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # private, but the only sign of a bomb
from scrapy.utils.gz import gunzip
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from corpus.article_pages import ArticlePages, PagePart, append_article_pages
from corpus.layout import DataLayout
from crawler.archive import KIND
from crawler.incremental import REDIRECTS, TOO_LARGE, article_fetch
from crawler.pagination import Pager, might_be_paginated, page_of, read_pager
from crawler.profile import SiteProfile, load_profile
from crawler.robots import StrictRobotsTxtMiddleware
from crawler.state import StateStore
from crawler.urls import canonical, found_url

# request meta: article redirects so far, sitemap nesting, bytes announced or received so far, the
# paginated article a page belongs to
HOPS, DEPTH, SIZE, ARTICLE = "zhnews_hops", "zhnews_depth", "zhnews_size", "zhnews_article"
ENTRY_KINDS = {"sitemap", "feed", "listing"}  # a crawl none of whose entry points answered has failed


@dataclass
class _PagedArticle:
    """A paginated article while its pages are fetched one after another (the next page's number is
    only certain once the page before it has shown its pager)."""
    url: str  # the first page, canonical: the document's URL
    mode: str  # pages | full_view
    known: dict[int, str]  # page number → URL, as pagers showed them
    parts: list[PagePart] = field(default_factory=list)
    complete: bool = True
    # the first page's fetch, for the crawl state: recorded only once the pages are written, so that a
    # crawl killed on the way leaves the article unknown and the next one fetches it and its pages again
    first_fetch: dict[str, Any] = field(default_factory=dict)

    def next_url(self) -> str | None:
        fetched = {part.url for part in self.parts}
        return next((url for _, url in sorted(self.known.items()) if url not in fetched), None)


def apply_site_settings(settings: BaseSettings, site: dict[str, Any]) -> None:
    """The profile's settings, at spider priority. The crawler's settings are not frozen yet when the
    spider is made (Scrapy ≥ 2.11). A component setting (EXTENSIONS, DOWNLOADER_MIDDLEWARES, …) is
    merged key by key: set whole, it would drop the project's entries (the guard, the archive, the
    run setup) and bring back what the project switched off."""
    for name, value in site.items():
        if isinstance(value, dict) and isinstance(settings.get(name), BaseSettings):
            settings[name].update(value, priority="spider")
        else:
            settings.set(name, value, priority="spider")


class NewsSpider(scrapy.Spider):
    name = "news"
    # built from ZHNEWS_STATE_STORE; not `state`, which Scrapy gives spiders as a dict under JOBDIR
    crawl_state: StateStore

    def __init__(self, profile: SiteProfile | str, revalidate: bool | str = False, **kwargs: Any) -> None:
        # Scrapyd adds arguments of its own (`_job`, `_version`): they fill no profile variable
        variables = {k: str(v) for k, v in kwargs.items() if not k.startswith("_")}
        self.profile = profile if isinstance(profile, SiteProfile) else load_profile(profile, variables)
        super().__init__(name=self.profile.name, **kwargs)
        self.allowed_domains = list(self.profile.allowed_domains)
        self.revalidate = revalidate in (True, "1", "true", "yes")
        self.listings_seen: set[str] = set()
        # paginated articles whose pages are being fetched, by first page: the latest copy of each (a request
        # waiting in the disk queue carries its article pickled, so the object a response brings is new)
        self.paging: dict[str, _PagedArticle] = {}
        self.sitemaps_requested: set[str] = set()  # canonical URLs: a profile's sitemap an index names again
        self.articles_requested: set[str] = set()  # canonical URLs: a run requests each article once
        # the crawl's robots.txt middleware, set when the spider opens (None when robots.txt is not obeyed)
        self.robots_txt: StrictRobotsTxtMiddleware | None = None
        # PDFs are followed (e-paper pages); Scrapy's link extractor skips them by default. E-paper page
        # lists keep a page's PDF in a hidden `<input value>`: inputs are read too (a value that is
        # no URL of the profile's forms is dropped like any other link)
        self.links = LinkExtractor(restrict_xpaths=self.profile.listing_areas or (), tags=("a", "area", "input"),
                                   attrs=("href", "value"),
                                   deny_extensions=[e for e in IGNORED_EXTENSIONS if e != "pdf"])

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        apply_site_settings(crawler.settings, spider.profile.settings)
        spider.crawl_state = build_from_crawler(load_object(crawler.settings["ZHNEWS_STATE_STORE"]), crawler)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.measure, signal=signals.headers_received)
        crawler.signals.connect(spider.measure, signal=signals.bytes_received)
        return spider

    @property
    def run_id(self) -> str:
        """Settled by `RunSetup` before the spider opens."""
        return self.settings["ZHNEWS_RUN_ID"]

    def opened(self, spider: object = None) -> None:
        self.crawl_state.start_run(self.run_id, self.profile.name)
        middlewares = self.crawler.engine.downloader.middleware.middlewares  # the engine runs from now on
        self.robots_txt = next((m for m in middlewares if isinstance(m, StrictRobotsTxtMiddleware)), None)

    def closed(self, reason: str) -> None:
        for article in list(self.paging.values()):  # stopped mid-article (SIGTERM, a limit): say it is short,
            article.complete = False  # and leave it unknown: the next crawl fetches it whole
            self._write_pages(article, known=False)
        self.crawl_state.finish_run(self.run_id, self.profile.name, reason)
        self.crawl_state.close()

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"zhnews/{key}")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.profile.sitemaps:
            request = self.sitemap_request(url, depth=0)
            if request:
                yield request
        for url in self.profile.feeds:
            yield scrapy.Request(url, self.parse_feed, meta={KIND: "feed"}, errback=self.on_error)
        for url in self.profile.start_urls:
            request = self.listing_request(url)
            if request:
                yield request

    # --- requests ---------------------------------------------------------------------------

    def article_request(self, url: str, found_in: str, lastmod: str | None = None,
                        hops: int = 0) -> scrapy.Request | None:
        """A request for an article, or None when the state says we already hold its current version, the
        run requested it already, or the run's budget of articles (ZHNEWS_MAX_ARTICLES) is spent.
        `found_in`: the kind of page that linked it; `hops`: how many article redirects led here."""
        url = canonical(url, self.profile.strip_index)
        self._count(f"discovered/{found_in}")
        page = page_of(url)
        if page and self.profile.is_article(page.first):
            # a later page of a paginated article: its article is fetched, and brings its pages along
            self._count("articles/later_page_found")
            url = canonical(page.first, self.profile.strip_index)
        # a feed, a sitemap and a listing may all name it: Scrapy would drop the copy, which must not spend
        # the budget twice (a request a spider middleware drops, one past a profile's DEPTH_LIMIT, stays spent)
        if url in self.articles_requested:
            self._count("articles/found_again")
            return None
        headers = article_fetch(self.crawl_state, url, lastmod, self.revalidate, self.profile.is_article,
                                self.crawler.settings.getint("ZHNEWS_MAX_REDIRECTS"))
        if headers is None:
            self._count("articles/skipped_known")
            return None
        if self._refused(url, "articles"):
            return None
        budget = self.crawler.settings.getint("ZHNEWS_MAX_ARTICLES")
        if budget and len(self.articles_requested) >= budget:
            self._count("articles/over_limit")
            return None
        self.articles_requested.add(url)
        # redirects are followed by parse_article, not by Scrapy: the source URL gets recorded as known
        # and the target passes the same "already archived?" check as any other article URL
        meta = {KIND: "article", "dont_redirect": True, HOPS: hops}
        return scrapy.Request(url, self.parse_article, headers=headers, meta=meta, errback=self.on_error)

    def sitemap_request(self, url: str, depth: int) -> scrapy.Request | None:
        """A request for a sitemap `depth` indexes down and not requested yet, within the run's budget of
        sitemaps and depth."""
        settings, url = self.crawler.settings, canonical(url, self.profile.strip_index)
        if depth > settings.getint("ZHNEWS_MAX_SITEMAP_DEPTH"):
            self._count("sitemaps/too_deep")
            return None
        if url in self.sitemaps_requested or self._refused(url, "sitemaps"):  # neither spends the budget
            return None
        if len(self.sitemaps_requested) >= settings.getint("ZHNEWS_MAX_SITEMAPS"):
            self._count("sitemaps/over_limit")
            return None
        self.sitemaps_requested.add(url)
        return scrapy.Request(url, self.parse_sitemap, meta={KIND: "sitemap", DEPTH: depth}, errback=self.on_error)

    def listing_request(self, url: str) -> scrapy.Request | None:
        """A request for a listing page not requested yet, within the profile's budget of listings."""
        url = canonical(url, self.profile.strip_index)
        if url in self.listings_seen or self._refused(url, "listings"):
            return None
        if len(self.listings_seen) >= self.profile.max_listing_pages:
            self._count("listings/over_limit")
            return None
        self.listings_seen.add(url)
        return scrapy.Request(url, self.parse_listing, meta={KIND: "listing"}, errback=self.on_error)

    def _refused(self, url: str, kind: str) -> bool:
        """Would the guard (scheme, host, port) or a robots.txt already read refuse `url`? Such a URL is
        counted here and spends no budget: a page listing a hundred links elsewhere must not use up the
        run's requests before its own."""
        if why := self.profile.refuses(url):
            self._count(f"{kind}/refused_{why}")
            return True
        if self.robots_txt and self.robots_txt.forbids(url):
            self.crawler.stats.inc_value("robotstxt/forbidden")  # as if the middleware had refused it
            return True
        return False

    # --- callbacks --------------------------------------------------------------------------

    def _xml_body(self, response: Response) -> bytes:
        """The body of a sitemap or feed, gunzipped when it came as a .gz file."""
        if response.body[:2] == b"\x1f\x8b":
            return gunzip(response.body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        return response.body

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        self._record(response)
        try:
            sitemap = Sitemap(self._xml_body(response))
        except Exception as error:  # not XML at all: say so, keep crawling the other entry points
            self.logger.warning("sitemap %s is not XML (%s)", response.url, error)
            self._count("sitemaps/invalid")
            return
        for entry in sitemap:
            loc = self._found_url(entry.get("loc", ""), response)
            if loc is None:
                continue
            if sitemap.type == "sitemapindex":
                request = self.sitemap_request(loc, response.meta.get(DEPTH, 0) + 1)
                if request:
                    yield request
            elif self.profile.is_article(loc):
                request = self.article_request(loc, "sitemap", entry.get("lastmod"))
                if request:
                    yield request

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self._record(response)
        try:
            body = self._xml_body(response)
        except Exception as error:  # a .gz file that is cut, or a bomb: say so, keep crawling the other entry points
            self.logger.warning("feed %s is not a feed (%s)", response.url, error or type(error).__name__)
            self._count("feeds/invalid")
            return
        if not body.strip():
            self._count("feeds/empty")
            return
        feed = Selector(body=body, type="xml")  # from bytes: a gzipped or mislabelled feed parses too
        rss_links = feed.xpath("//item/link/text()").getall()
        atom_links = feed.xpath("//*[local-name()='entry']/*[local-name()='link']/@href").getall()
        for link in rss_links + atom_links:
            url = self._found_url(link.strip(), response)
            if url and self.profile.is_article(url):
                request = self.article_request(url, "feed")
                if request:
                    yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        self._record(response)
        if not hasattr(response, "text"):  # binary body: nothing to follow
            return
        for link in self.links.extract_links(response):
            kind = self.profile.kind_of(link.url)
            if kind == "article":
                request = self.article_request(link.url, "listing")
            elif kind == "listing":
                request = self.listing_request(link.url)
            else:
                continue
            if request:
                yield request

    def parse_article(self, response: Response) -> Iterator[scrapy.Request]:
        location = response.headers.get("Location")
        article = self._paged_article(response) if not (response.status in REDIRECTS and location) else None
        if article is None:
            self._record(response)
        else:
            article.first_fetch = self._fetch_of(response)  # recorded with its pages (_write_pages)
        if response.status in REDIRECTS and location:
            self._count("articles/redirected")
            target = self._found_url(location.decode("latin-1"), response)
            hops = response.meta.get(HOPS, 0) + 1
            if target is None:  # counted and logged
                return
            if not self.profile.is_article(target):  # a login wall, a home page: not this article
                self._count("articles/redirect_not_an_article")
            elif hops > self.crawler.settings.getint("ZHNEWS_MAX_REDIRECTS"):
                self._count("articles/redirect_chain_too_long")
            elif request := self.article_request(target, "redirect", hops=hops):
                yield request
            return
        outcome = {200: "fetched", 304: "not_modified"}.get(response.status, f"status_{response.status}")
        self._count(f"articles/{outcome}")
        if article is not None:
            yield from self._next_page(article)

    # --- paginated articles -----------------------------------------------------------------

    def _pager_of(self, response: TextResponse) -> Pager:
        links = [(a.attrib.get("href", ""), "".join(a.css("::text").getall())) for a in response.css("a[href]")]
        return read_pager(response.url, links, self.profile.strip_index)

    def _paged_article(self, response: Response) -> _PagedArticle | None:
        """The pages to fetch of an article fetched whole: its one-page view, or the pages its pager
        shows; None for an article of one page (most are, and are never parsed for a pager)."""
        if not (response.status == 200 and isinstance(response, TextResponse)
                and might_be_paginated(response.url, response.body)):
            return None
        pager = self._pager_of(response)
        url = canonical(response.url, self.profile.strip_index)
        if pager.full_view:
            self._count("paginated/full_view")
            return _PagedArticle(url, "full_view", {1: pager.full_view})
        if pager.pages:
            self._count("paginated/pages")
            return _PagedArticle(url, "pages", dict(pager.pages))
        return None

    def _next_page(self, article: _PagedArticle) -> Iterator[scrapy.Request]:
        self.paging[article.url] = article
        url = article.next_url()
        if url and len(article.parts) + 1 >= self.crawler.settings.getint("ZHNEWS_MAX_ARTICLE_PAGES"):
            self._count("paginated/over_page_limit")
            article.complete, url = False, None
        if url:
            yield scrapy.Request(url, self.parse_page, meta={KIND: "page", ARTICLE: article, "dont_redirect": True},
                                 errback=self.page_failed, dont_filter=True)
            return
        self._write_pages(article)

    def _write_pages(self, article: _PagedArticle, known: bool = True) -> None:
        """Write the article's pages record, then (when `known`) its first page's fetch to the state."""
        self.paging.pop(article.url, None)
        pages = ArticlePages(article.url, article.mode, tuple(article.parts), article.complete)
        layout = DataLayout(Path(self.crawler.settings["ZHNEWS_DATA_DIR"]))
        append_article_pages(layout.article_pages(self.run_id, self.profile.name), pages)
        self._count(f"paginated/{'complete' if article.complete else 'incomplete'}")
        if known and article.first_fetch:
            self.crawl_state.record_fetch(**article.first_fetch)

    def parse_page(self, response: Response) -> Iterator[scrapy.Request]:
        """A later page (or the one-page view) of a paginated article: noted, and its pager read for
        pages the first one did not show."""
        self._record(response)
        article: _PagedArticle = response.meta[ARTICLE]
        article.parts.append(PagePart(canonical(response.url, self.profile.strip_index),
                                      response.meta.get("warc_file"), response.meta.get("warc_offset"),
                                      response.status))
        if response.status != 200:
            article.complete = False
        elif article.mode == "pages" and isinstance(response, TextResponse):
            for number, url in self._pager_of(response).pages.items():
                if url != article.url:
                    article.known.setdefault(number, url)
        yield from self._next_page(article)

    def page_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        self.on_error(failure)
        article: _PagedArticle = failure.request.meta[ARTICLE]
        article.parts.append(PagePart(failure.request.url, None, None, 0))
        article.complete = False
        yield from self._next_page(article)

    def _found_url(self, link: str, response: Response) -> str | None:
        """`link`, found in `response` (a sitemap's `loc` should be absolute, but a broken CMS writes it
        relative too), joined to its URL and canonical; None, counted and logged, when no parser takes
        it: the other links are still read."""
        url = found_url(link, response.url, self.profile.strip_index)
        if url is None:
            self._count("urls/unparseable")
            self.logger.warning("%s: skipped a URL no parser takes: %r", response.url, link[:200])
        return url

    def _record(self, response: Response) -> None:
        if response.meta[KIND] in ENTRY_KINDS and response.status < 400:
            self._count("entry_points/read")
        self.crawl_state.record_fetch(**self._fetch_of(response))

    def _fetch_of(self, response: Response) -> dict[str, Any]:
        """What the crawl state records of a response (`StateStore.record_fetch`)."""
        meta, header = response.meta, response.headers.get
        location = header("Location") if response.status in REDIRECTS else None
        return {"url": response.url, "site": self.profile.name, "kind": meta[KIND], "status": response.status,
                "run_id": self.run_id, "etag": (header("ETag") or b"").decode("latin-1") or None,
                "last_modified": (header("Last-Modified") or b"").decode("latin-1") or None,
                "warc_file": meta.get("warc_file"), "warc_offset": meta.get("warc_offset"),
                # canonical, as the target's own fetch is recorded: "?utm_…", "#…" or ":80" in a Location
                # header would otherwise never find it, and the redirect would be followed every night
                "location": found_url(location.decode("latin-1"), response.url, self.profile.strip_index)
                if location else None}

    def on_error(self, failure: Failure) -> None:
        """Network errors are counted and logged; the URL stays unknown, so the next run retries it.
        An article refused as too large (raw or inflated) is recorded as such instead: fetching it
        again every night would only refuse it again (the next run skips it unless its sitemap
        `lastmod` says it changed)."""
        self._count(f"errors/{failure.type.__name__}")
        # a request we refused ourselves (robots.txt, the guard) is counted, not warned about: it is the
        # crawl doing its job; a failure of the site is a warning
        log = self.logger.info if failure.check(IgnoreRequest) else self.logger.warning
        log("%s: %s", failure.request.url, failure.getErrorMessage())
        meta = failure.request.meta
        if meta.get(KIND) == "article" and self._refused_as_too_large(failure):
            self._count("articles/too_large")
            self.crawl_state.record_fetch(url=failure.request.url, site=self.profile.name, kind="article",
                                          status=TOO_LARGE, run_id=self.run_id,
                                          warc_file=meta.get("warc_file"), warc_offset=meta.get("warc_offset"))

    def measure(self, request: scrapy.Request, data: bytes = b"", body_length: object = None, **_: Any) -> None:
        """Bytes an article response announced or sent so far, so that a download cancelled for its
        size is told from one cancelled at shutdown (Scrapy raises the same error for both)."""
        if request.meta.get(KIND) == "article":
            announced = body_length if isinstance(body_length, int) else 0  # Twisted: UNKNOWN_LENGTH
            request.meta[SIZE] = max(announced, request.meta.get(SIZE, 0) + len(data))

    def _refused_as_too_large(self, failure: Failure) -> bool:
        if failure.check(IgnoreRequest):  # HttpCompressionMiddleware stopped inflating a bomb
            return isinstance(failure.value.__cause__, _DecompressionMaxSizeExceeded)
        maxsize = failure.request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        return bool(failure.check(DownloadCancelledError)) and failure.request.meta.get(SIZE, 0) > maxsize
