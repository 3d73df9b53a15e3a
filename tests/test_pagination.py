"""Paginated articles: the URL forms of later pages, the pager read from a page, and the crawl of a
site whose pagers loop, never end, or lead to a missing page (tests/fault_site.py)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fault_site import serve_fault_site
from test_hostile import profile, zhnews

from corpus.article_pages import read_article_pages
from corpus.layout import DataLayout
from crawler.pagination import might_be_paginated, page_of, read_pager


@pytest.mark.parametrize(("url", "first", "number"), [
    ("http://tech.gmw.cn/2016-10/28/content_22696412_2.htm", "http://tech.gmw.cn/2016-10/28/content_22696412.htm", 2),
    ("http://hb.people.com.cn/n2/2016/0914/c192237-29004324-4.html",
     "http://hb.people.com.cn/n2/2016/0914/c192237-29004324.html", 4),
    ("http://www.ce.cn/xwzx/gnsz/gdxw/202405/13/t20240513_39001260_1.shtml",
     "http://www.ce.cn/xwzx/gnsz/gdxw/202405/13/t20240513_39001260.shtml", 1),
    ("http://x.cn/news/2026/index_12.html", "http://x.cn/news/2026/index.html", 12),
])
def test_a_later_page_names_its_first_page(url: str, first: str, number: int):
    assert page_of(url) == type(page_of(url))(first, number)


@pytest.mark.parametrize("url", [
    "http://www.ce.cn/xwzx/gnsz/gdxw/202405/13/t20240513_39001260.shtml",  # an id, not a page number
    "http://scitech.people.com.cn/n1/2025/0515/c1007-40481086.html",
    "https://news.ynet.com/2024/05/08/3758770t70.html",
    "https://www.news.cn/tech/20241121/dbda2471b1374eb6b4d3757e7d5f539c/c.html",
    "http://x.cn/news/_2",  # no extension: no file name to number
    "http://x.cn/news/ok-2.html",  # a name of its own, not an id with a page number
])
def test_a_first_page_or_another_url_is_no_later_page(url: str):
    assert page_of(url) is None


def test_the_pager_gives_same_article_pages_and_the_one_page_view():
    url = "http://x.cn/a/202610/t20261014_1043.html"
    links = [("t20261014_1043_2.html", "2"), ("/a/202610/t20261014_1043_3.html#top", "3"),
             ("t20261014_1043_2.html", "下一页"), ("t20261014_1044_2.html", "another article's page"),
             ("http://elsewhere.cn/a/202610/t20261014_1043_4.html", "another host"),
             ("t20261014_1043_all.html", " 单页阅读 "), ("t20261014_1043.html", "1")]
    pager = read_pager(url, links)
    assert pager.pages == {2: "http://x.cn/a/202610/t20261014_1043_2.html",
                           3: "http://x.cn/a/202610/t20261014_1043_3.html"}
    assert pager.full_view == "http://x.cn/a/202610/t20261014_1043_all.html"
    assert read_pager(url, [("/about.html", "阅读全文规则与说明")]).full_view is None  # a label, not a sentence


def test_an_article_whose_short_id_reads_as_a_page_number_keeps_its_own_pages():
    """`t20261101_6.html` reads as page 6 of `t20261101.html` by its name; its pager's links to
    `t20261101_6_2.html` say it is a first page, and a later page of it still leads to it."""
    url = "http://x.cn/news/202611/t20261101_6.html"
    links = [("t20261101_6_2.html", "2"), ("t20261101_6_3.html", "3"), ("t20261101_6_2.html", "下一页")]
    assert read_pager(url, links).pages == {2: "http://x.cn/news/202611/t20261101_6_2.html",
                                            3: "http://x.cn/news/202611/t20261101_6_3.html"}
    later = read_pager("http://x.cn/news/202611/t20261101_6_2.html", [("t20261101_6.html", "1"), *links])
    assert later.pages == {3: "http://x.cn/news/202611/t20261101_6_3.html"}


def test_only_a_page_that_mentions_its_stem_or_a_view_label_is_parsed():
    url = "http://x.cn/a/t20261014_1043.html"
    assert might_be_paginated(url, b"<a href='t20261014_1043_2.html'>2</a>")
    assert might_be_paginated(url, "<a href='v.html'>单页阅读</a>".encode("gbk"))
    assert not might_be_paginated(url, b"<p>one page only</p><a href='t20261014_1044.html'>next story</a>")


def test_looping_endless_and_broken_pagers_end_and_say_so(tmp_path: Path):
    """Each page is fetched once however the pagers link; an endless article stops at the page
    limit and a missing page leaves the article incomplete, a field in its row, not a short text."""
    with serve_fault_site() as site:
        config = profile(site, tmp_path, start_urls=[f"{site.base_url}/paged/"], sitemaps=[],
                         article_url=r"/paged/\w+\.html$", settings={"ZHNEWS_MAX_ARTICLE_PAGES": 6})
        crawled = zhnews("crawl", "--site", str(config), "--data-dir", str(tmp_path / "data"), "--run-id", "r1",
                         "--no-progress")
        paths = site.paths
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    assert sorted(p for p in paths if p.startswith("/paged/loop")) == [
        "/paged/loop101.html", "/paged/loop101_2.html", "/paged/loop101_3.html"]
    assert len([p for p in paths if p.startswith("/paged/endless")]) == 6  # the first and five more
    layout = DataLayout(tmp_path / "data")
    found = read_article_pages(layout.article_pages_files("r1"))
    pages = {url.rsplit("/", 1)[1]: entry for url, entry in found.items()}
    assert pages["loop101.html"].complete and [p.url.rsplit("/", 1)[1] for p in pages["loop101.html"].parts] == [
        "loop101_2.html", "loop101_3.html"]
    assert not pages["endless101.html"].complete and not pages["gap101.html"].complete
    assert [p.status for p in pages["gap101.html"].parts] == [404, 200]

    processed = zhnews("process", "--data-dir", str(layout.root), "--no-progress")
    assert processed.returncode == 0, processed.stdout + processed.stderr
    rows = {row["url"].rsplit("/", 1)[1]: row for path in layout.run_docs("r1")
            for row in pq.read_table(path).to_pylist()}
    assert set(rows) == {"loop101.html", "endless101.html", "gap101.html"}  # no later page is a document of its own
    assert (rows["loop101.html"]["pages"], rows["loop101.html"]["pages_missing"]) == (3, 0)
    assert [n for n in range(1, 4) if f"第{n}页" in rows["loop101.html"]["text"]] == [1, 2, 3]
    assert rows["loop101.html"]["text"].index("第1页") < rows["loop101.html"]["text"].index("第3页")
    assert (rows["gap101.html"]["pages"], rows["gap101.html"]["pages_missing"]) == (2, 1)
    assert rows["endless101.html"]["pages"] == 6 and rows["endless101.html"]["pages_missing"] >= 1


def test_a_crawl_stopped_in_the_middle_of_an_article_says_it_is_short(tmp_path: Path):
    """The crawl ends (a page limit here; SIGTERM alike) while an article's pages are being fetched:
    the pages fetched so far are recorded, and the article is marked incomplete, not taken for whole."""
    with serve_fault_site() as site:
        config = profile(site, tmp_path, start_urls=[f"{site.base_url}/paged/"], sitemaps=[],
                         article_url=r"/paged/endless\d+\.html$",
                         settings={"ZHNEWS_MAX_ARTICLE_PAGES": 100, "CLOSESPIDER_PAGECOUNT": 6})
        crawled = zhnews("crawl", "--site", str(config), "--data-dir", str(tmp_path / "data"), "--run-id", "r1",
                         "--no-progress")
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    (article,) = read_article_pages(DataLayout(tmp_path / "data").article_pages_files("r1")).values()
    assert article.url.endswith("/paged/endless101.html") and not article.complete and article.parts
