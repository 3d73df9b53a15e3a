"""The spider's discovery logic on responses made here (the crawl tests cover it over HTTP)."""

from __future__ import annotations

import gzip
import inspect
from pathlib import Path

import pytest
from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings

from crawler import settings as project
from crawler.archive import KIND
from crawler.profile import parse_profile
from crawler.spiders.news import NewsSpider

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>新闻</title>
<item><title>一</title><link>http://news.example.cn/news/202611/t20261101_1.html</link></item>
<item><title>二</title><link>http://news.example.cn/news/202611/t20261101_2.html</link></item>
<item><title>广告</title><link>http://news.example.cn/ad/landing.html</link></item>
</channel></rss>"""


@pytest.fixture
def spider(tmp_path: Path) -> NewsSpider:
    spider = _spider(tmp_path)
    yield spider
    spider.closed("finished")


@pytest.fixture
def spider_of_three(tmp_path: Path) -> NewsSpider:
    """A spider whose run may request three articles (ZHNEWS_MAX_ARTICLES)."""
    spider = _spider(tmp_path, ZHNEWS_MAX_ARTICLES=3)
    yield spider
    spider.closed("finished")


def _spider(tmp_path: Path, **settings: object) -> NewsSpider:
    profile = parse_profile({"name": "s", "start_urls": ["http://news.example.cn/"], "max_listing_pages": 2,
                             "article_url": r"/\d{6}/t\d{8}_\d+\.html$", "listing_url": r"/index(_\d+)?\.html$"},
                            "test")
    # Scrapy's defaults plus ours, without the run setup (no run here); the spider is made before the
    # settings are applied, in Scrapy's order, since it adds the profile's settings
    zhnews = {name: getattr(project, name) for name in dir(project) if name.startswith("ZHNEWS_")}
    settings = {**get_reactor_settings(), **zhnews, "ZHNEWS_DATA_DIR": str(tmp_path), "ZHNEWS_RUN_ID": "r0",
                **settings}
    crawler = (CrawlerRunner if is_reactor_installed() else AsyncCrawlerRunner)(settings).create_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, profile=profile)
    crawler._apply_settings()
    crawler.stats.open_spider()
    return crawler.spider


def test_listing_budget_counts_distinct_pages_only(spider: NewsSpider):
    first = spider.listing_request("http://news.example.cn/news/index.html")
    again = spider.listing_request("http://news.example.cn/news/index.html")
    second = spider.listing_request("http://news.example.cn/news/index_1.html")
    third = spider.listing_request("http://news.example.cn/news/index_2.html")
    assert first and second and again is None and third is None
    assert spider.crawler.stats.get_value("zhnews/listings/over_limit") == 1


def test_a_sitemap_named_twice_spends_the_sitemap_budget_once(tmp_path: Path):
    """A profile's news sitemap that its sitemap index lists again: the second is Scrapy's duplicate, and
    must not cost a distinct sitemap its place under ZHNEWS_MAX_SITEMAPS."""
    spider = _spider(tmp_path, ZHNEWS_MAX_SITEMAPS=2)
    news = "http://news.example.cn/sitemap-news.xml"
    assert spider.sitemap_request(news, 0) is not None and spider.sitemap_request(news, 1) is None
    assert spider.sitemap_request("http://news.example.cn/sitemap-2026.xml", 1) is not None
    assert spider.crawler.stats.get_value("zhnews/sitemaps/over_limit") is None
    spider.closed("finished")


def test_an_article_found_again_is_requested_once_and_spends_the_budget_once(spider_of_three: NewsSpider):
    """A feed, a sitemap and a listing often name the same article: Scrapy drops the repeated request,
    so counting it against ZHNEWS_MAX_ARTICLES would end the run with fewer articles than it may fetch."""
    first = "http://news.example.cn/news/202611/t20261101_1.html"
    others = [f"http://news.example.cn/news/202611/t20261101_{n}.html" for n in (2, 3)]
    assert spider_of_three.article_request(first, "feed") is not None
    assert spider_of_three.article_request(first, "sitemap") is None
    assert spider_of_three.article_request(first + "#comments", "listing") is None  # the same page
    assert all(spider_of_three.article_request(url, "listing") is not None for url in others)
    assert spider_of_three.article_request(first.replace("_1.", "_4."), "listing") is None  # the fourth
    stats = spider_of_three.crawler.stats
    assert stats.get_value("zhnews/articles/over_limit") == 1
    assert stats.get_value("zhnews/articles/found_again") == 2


def test_an_article_skipped_as_known_is_checked_again_when_a_sitemap_says_it_changed(spider: NewsSpider):
    """Only requested articles are remembered for the run: a feed's link to an archived article is
    skipped, and the sitemap's entry for it with a newer lastmod still asks the server."""
    url = "http://news.example.cn/news/202611/t20261101_1.html"
    spider.crawl_state.record_fetch(url=url, site="s", kind="article", status=200, run_id="r1", etag='"v1"')
    assert spider.article_request(url, "feed") is None
    request = spider.article_request(url, "sitemap", lastmod="2099-01-01")
    assert request is not None and request.headers.get("If-None-Match") == b'"v1"'


def test_no_generator_of_the_spider_returns_a_value():
    """Scrapy ignores what a generator callback returns; its warning about one is off for speed
    (WARN_ON_GENERATOR_RETURN_VALUE in crawler/settings.py), so the spider's generators, its callbacks
    and errbacks among them, are checked here."""
    generators = [method for method in vars(NewsSpider).values() if inspect.isgeneratorfunction(method)]
    callbacks = {"parse_sitemap", "parse_feed", "parse_listing", "parse_article", "parse_page", "page_failed"}
    assert callbacks <= {g.__name__ for g in generators}
    assert [g.__name__ for g in generators if is_generator_with_return_value(g)] == []


@pytest.mark.parametrize("body", [RSS.encode(), gzip.compress(RSS.encode())], ids=["plain", "gzipped"])
def test_feed_yields_its_article_links_even_as_a_binary_body(spider: NewsSpider, body: bytes):
    url = "http://news.example.cn/rss.xml.gz"
    response = Response(url, body=body, request=Request(url, meta={KIND: "feed"}))  # not a TextResponse
    urls = [request.url for request in spider.parse_feed(response)]
    assert urls == ["http://news.example.cn/news/202611/t20261101_1.html",
                    "http://news.example.cn/news/202611/t20261101_2.html"]


def test_a_feed_that_is_not_xml_yields_nothing(spider: NewsSpider):
    url = "http://news.example.cn/rss.xml"
    response = Response(url, body=b"\x89PNG\r\n\x1a\n\x00\x00", request=Request(url, meta={KIND: "feed"}))
    assert list(spider.parse_feed(response)) == []


def test_a_redirect_counts_as_known_only_once_its_target_is_archived(spider: NewsSpider):
    old = "http://news.example.cn/news/202611/t20261101_7.html"
    new = "http://news.example.cn/news/202611/t20261102_7.html"
    spider.crawl_state.record_fetch(url=old, site="s", kind="article", status=301, run_id="r1", location=new)
    assert spider.article_request(old, "sitemap") is not None  # the target fetch failed or was killed: retry
    spider.crawl_state.record_fetch(url=new, site="s", kind="article", status=200, run_id="r1")
    assert spider.article_request(old, "sitemap") is None
    assert spider.article_request(new, "sitemap") is None


def test_a_redirect_to_a_noisy_spelling_of_its_target_is_known_once_the_target_is(spider: NewsSpider):
    """A Location header with "?utm_…" or ":80": the target is archived under its canonical URL, so the
    redirect must be stored with it, or the next night follows the redirect again."""
    old = "http://news.example.cn/news/202611/t20261101_8.html"
    target = "http://news.example.cn/news/202611/t20261102_8.html"
    response = Response(old, status=301, headers={"Location": "HTTP://News.Example.cn:80/news/202611/t20261102_8.html"
                                                  "?utm_source=rss#top"},
                        request=Request(old, meta={KIND: "article"}))
    assert [request.url for request in spider.parse_article(response)] == [target]
    spider.crawl_state.record_fetch(url=target, site="s", kind="article", status=200, run_id="r0")
    assert spider.article_request(old, "sitemap") is None


def test_a_redirect_the_crawl_does_not_follow_is_the_sites_answer_until_the_sitemap_says_otherwise(
        tmp_path: Path):
    """A redirect to a login wall, or down a chain longer than ZHNEWS_MAX_REDIRECTS, is never archived at
    its end: it must not be followed again every night (only when its sitemap says it changed)."""
    spider = _spider(tmp_path, ZHNEWS_MAX_REDIRECTS=2)
    article = "http://news.example.cn/news/202611/t20261101_{}.html".format
    state = spider.crawl_state
    state.record_fetch(url=article(1), site="s", kind="article", status=302, run_id="r1",
                       location="http://news.example.cn/login?from=1")
    for n in (2, 3, 4):  # 2 → 3 → 4 → 5: the third hop is one too many
        state.record_fetch(url=article(n), site="s", kind="article", status=301, run_id="r1", location=article(n + 1))
    state.record_fetch(url=article(6), site="s", kind="article", status=301, run_id="r1", location=article(7))
    assert spider.article_request(article(1), "sitemap") is None
    assert spider.article_request(article(2), "sitemap") is None
    assert spider.article_request(article(6), "sitemap") is not None  # its target never archived: try again
    assert spider.article_request(article(1), "sitemap", lastmod="2099-01-01") is not None
    spider.closed("finished")


def test_a_state_file_from_before_redirect_targets_is_upgraded(tmp_path: Path):
    import sqlite3

    from crawler.state import SqliteStateStore

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, site TEXT NOT NULL, kind TEXT NOT NULL, "
                "status INTEGER NOT NULL, etag TEXT, last_modified TEXT, first_seen TEXT NOT NULL, "
                "last_fetched TEXT NOT NULL, run_id TEXT NOT NULL, warc_file TEXT, warc_offset INTEGER)")
    old.execute("INSERT INTO pages VALUES ('u', 's', 'article', 200, NULL, NULL, 't', 't', 'r', NULL, NULL)")
    old.commit()
    old.close()
    state = SqliteStateStore(path)
    assert state.known("u").status == 200 and state.known("u").location is None
    state.record_fetch(url="u", site="s", kind="article", status=304, run_id="r2")
    state.record_fetch(url="v", site="s", kind="article", status=301, run_id="r2", location="u")
    assert state.known("u").last_fetched != "t" and state.known("v").location == "u"
    state.close()


def test_the_state_stores_each_url_once(tmp_path: Path):
    """At millions of known URLs the state's size is its bytes per URL: its rows are kept in URL order,
    not beside an index that holds every URL again (which made this file 3.6 times the URLs' length)."""
    from crawler.state import SqliteStateStore

    state = SqliteStateStore(tmp_path / "state.sqlite")
    urls = [f"http://www.example.com.cn/news/202612/t20261207_{n}.html" for n in range(5000)]
    for url in urls:
        state.record_fetch(url=url, site="s", kind="article", status=200, run_id="r1")
    assert state.known(urls[1234]).status == 200
    state.close()
    assert (tmp_path / "state.sqlite").stat().st_size < 3.2 * sum(map(len, urls))  # 2.5 times


def test_article_urls_are_canonical_before_the_seen_check(spider: NewsSpider):
    url = "http://news.example.cn/news/202611/t20261101_9.html"
    noisy = "HTTP://News.Example.cn:80/news/202611/t20261101_9.html?utm_source=wx#top"
    request = spider.article_request(noisy, "sitemap")
    assert request.url == url
    spider.crawl_state.record_fetch(url=url, site="s", kind="article", status=200, run_id="r1")
    assert spider.article_request(url + "?utm_medium=feed", "sitemap") is None  # known: the same page


def test_a_listing_yields_articles_linked_from_an_input_value_and_later_pages_as_their_article(spider: NewsSpider):
    """E-paper page lists keep their PDFs in `<input type=hidden value=…>`; a link to page 2 of an article
    leads to the article, which brings its pages."""
    spider.profile = parse_profile({"name": "s", "start_urls": ["http://news.example.cn/"],
                                    "article_url": [r"/\d{6}/t\d{8}_\d+\.html$", r"/attachment/.+\.pdf$"]}, "test")
    url = "http://news.example.cn/paper/index.html"
    body = ("<ul><li><a href='node_02.html'>第02版</a><input type='hidden' value='/attachment/202611/01/p2.pdf'></li>"
            "<li><a href='/news/202611/t20261101_9_2.html#top'>下一页</a></li></ul>").encode()
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta={KIND: "listing"}))
    urls = [request.url for request in spider.parse_listing(response)]
    assert urls == ["http://news.example.cn/attachment/202611/01/p2.pdf",
                    "http://news.example.cn/news/202611/t20261101_9.html"]



def _paginated_first_page(url: str) -> tuple[HtmlResponse, str]:
    page2 = url.replace(".html", "_2.html")
    body = f"<html><body><p>第一页</p><a href='{page2}'>2</a><a href='{page2}'>下一页</a></body></html>".encode()
    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta={KIND: "article"})), page2


def test_a_paginated_article_is_known_only_once_its_pages_are_written(spider: NewsSpider):
    """Killed while it fetches page 2, a crawl must leave the article unknown: recorded at once, the next
    night would skip it, and its pages would never be fetched (page 1 published as the whole article)."""
    url = "http://news.example.cn/news/202611/t20261101_1006.html"
    first, page2 = _paginated_first_page(url)
    requests = list(spider.parse_article(first))
    assert [request.url for request in requests] == [page2]
    assert spider.crawl_state.known(url) is None, "a kill now leaves the article for the next crawl"
    second = HtmlResponse(page2, body="<p>第二页</p>".encode(), encoding="utf-8", request=requests[0])
    assert list(spider.parse_page(second)) == []
    assert spider.crawl_state.known(url).status == 200


def test_an_article_stopped_mid_pages_is_left_for_the_next_crawl(tmp_path: Path):
    """A crawl stopped while an article's pages are fetched (SIGTERM, a limit) writes its pages as
    incomplete and leaves it unknown, so that the next crawl fetches it whole."""
    from corpus.article_pages import read_article_pages
    from corpus.layout import DataLayout

    spider = _spider(tmp_path)
    url = "http://news.example.cn/news/202611/t20261101_1007.html"
    assert len(list(spider.parse_article(_paginated_first_page(url)[0]))) == 1
    spider.closed("shutdown")
    pages = read_article_pages([DataLayout(tmp_path).article_pages("r0", "s")])
    assert pages[url].complete is False
    assert _spider(tmp_path).crawl_state.known(url) is None

OPEN_STATE = """
import sys, time
from pathlib import Path
from crawler.state import SqliteStateStore
start = float(sys.argv[2])
while time.time() < start:
    pass
SqliteStateStore(Path(sys.argv[1]))
"""


def test_crawls_starting_at_the_same_moment_share_a_new_state_file(tmp_path: Path):
    """A fleet node starts two sites' crawls at once: both open the new state file and switch it to WAL.
    SQLite answers the loser "database is locked" at once, without waiting; it failed one crawl in
    five on this machine (four processes at once: 11 of 48), so four rounds of four make a miss unlikely."""
    import subprocess
    import sys
    import time

    from conftest import REPO

    for round_ in range(4):
        path = tmp_path / f"state{round_}.sqlite"
        start = str(time.time() + 1.0)
        racers = [subprocess.Popen([sys.executable, "-c", OPEN_STATE, str(path), start], cwd=REPO,
                                   stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [racer.communicate(timeout=60)[1] for racer in racers]
        assert all(racer.returncode == 0 for racer in racers), "\n".join(errors)
