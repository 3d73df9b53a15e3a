"""The bundled sample sites: content rules, and real HTTP against the running servers (urllib)."""

from __future__ import annotations

import argparse
import gzip
import http.client
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REPO
from crawler.sample_site import SampleSites, gold, load_articles, serve_sample_sites
from crawler.sample_site.__main__ import main as sample_main
from crawler.sample_site.content import CHARSETS, load_sites
from crawler.sample_site.server import SampleServer

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def sites() -> Iterator[SampleSites]:
    with serve_sample_sites() as running:
        yield running


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # hand the 301 back to the test instead of following it


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=5) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def gbk_only(text: str) -> set[str]:
    return {c for c in text if _encodes(c, "gbk") and not _encodes(c, "gb2312")}


def _article(site: str, slug: str):
    return next(a for a in load_articles() if (a.site, a.slug) == (site, slug))


# ---- content -------------------------------------------------------------------------------

def test_article_counts() -> None:
    assert len(gold("a")) >= 44
    assert len(gold("b")) == 6
    assert len(gold()) == len(gold("a")) + len(gold("b"))  # paths are unique across the sites


def test_articles_follow_the_content_rules() -> None:
    for article in load_articles():
        record = gold()[article.path]
        assert set(record) == {"title", "text", "author", "editor", "source", "published_at"}
        assert record["published_at"].endswith("+08:00")
        assert 3 <= len(article.paragraphs) <= 8, article.slug
        assert len(re.findall(r"[\u4e00-\u9fff]", record["text"])) >= 250, article.slug
        assert len(record["text"]) <= 1200, article.slug
        assert article.charset in CHARSETS
        if article.charset != "utf-8":
            assert gbk_only(record["text"]), f"{article.slug}: no GBK-only character"
            "".join(record.values()).encode("gbk")  # the page must be able to carry it
    charsets = [a.charset for a in load_articles() if a.site == "a"]
    assert charsets.count("gbk") >= 6 and charsets.count("gb2312-declared") >= 3


def test_gold_is_free_of_furniture() -> None:
    furniture = {"责任编辑", "相关阅读", "最新评论"}
    for site in load_sites().values():
        furniture |= {site.labels[k] for k in ("related", "recommend", "mood", "comments", "comments_more",
                                               "doc_comments", "downloads", "wechat_tip", "rolling", "hot")}
        furniture |= set(site.footer) | {text for _, text in site.comments}
    captions = {a.caption for a in load_articles() if a.caption}
    for path, record in gold().items():
        for string in furniture | captions:
            assert string not in record["text"], (path, string)


def test_reprint_on_site_b_has_the_original_gold(sites: SampleSites) -> None:
    reprint = next(a for a in load_articles() if a.reprint_of)
    original = _article("a", reprint.reprint_of)
    got, want = gold("b")[reprint.path], gold("a")[original.path]
    assert (got["title"], got["text"], got["author"]) == (want["title"], want["text"], want["author"])
    assert got["source"] == load_sites()["a"].outlet
    page = fetch(sites.base_url_b + reprint.path).body.decode("utf-8")
    assert f"来源：{load_sites()['a'].outlet}" in page


# ---- pages over HTTP -------------------------------------------------------------------------

def test_home_and_listing_pages(sites: SampleSites) -> None:
    for key, server in sites.servers.items():
        home = fetch(server.base_url + "/")
        assert home.status == 200 and home.headers["Content-Type"] == "text/html; charset=utf-8"
        html = home.body.decode("utf-8")
        sections = load_sites()[key].sections
        for section in sections:
            assert f'href="/{section}/index.html"' in html
        listings = [p for p in server.paths if re.fullmatch(rf"/({'|'.join(sections)})/index(_\d+)?\.html", p)]
        for path in listings:
            page = fetch(server.base_url + path)
            assert page.status == 200, path
            assert "上一页" in page.body.decode("utf-8") and "下一页" in page.body.decode("utf-8")
        assert listings
        first = next(iter(sections))
        assert fetch(f"{server.base_url}/{first}/").body == fetch(f"{server.base_url}/{first}/index.html").body
    assert "/news/index_2.html" in sites.a.paths  # a three-page section: "上一页 1 2 3 下一页"


def test_links_in_pages_are_root_relative(sites: SampleSites) -> None:
    for server in sites.servers.values():
        for path, resource in server.site.resources.items():
            if resource.content_type.startswith("text/html"):
                hrefs = re.findall(rb'<a [^>]*href="([^"]*)"', resource.body)
                assert all(h.startswith((b"/", b"javascript:")) for h in hrefs), path


def _sitemap_locs(url: str) -> list[str]:
    reply = fetch(url)
    assert reply.status == 200
    return [loc.text or "" for loc in ElementTree.fromstring(reply.body).iter(f"{SM}loc")]


def test_every_gold_article_is_in_the_sitemap_and_served(sites: SampleSites) -> None:
    for key, server in sites.servers.items():
        children = _sitemap_locs(server.base_url + "/sitemap.xml")
        assert children == [server.base_url + "/sitemap-news.xml", server.base_url + "/sitemap-articles.xml"]
        listed = {loc.removeprefix(server.base_url) for loc in _sitemap_locs(children[1])}
        assert listed == set(gold(key))
        news = ElementTree.fromstring(fetch(children[0]).body)
        assert len(news.findall(f"{SM}url")) == min(10, len(listed))
        assert all(d.text and d.text.endswith("+08:00") for d in news.iter(f"{NEWS}publication_date"))
        rss = ElementTree.fromstring(fetch(server.base_url + "/rss.xml").body)
        assert len(rss.findall("channel/item")) == min(20, len(listed))
        for path in listed:
            assert fetch(server.base_url + path).status == 200, path


def test_article_pages_carry_gold_and_furniture(sites: SampleSites) -> None:
    downloads = 0
    for article in load_articles():
        server = sites.servers[article.site]
        codec = "utf-8" if article.charset == "utf-8" else "gb18030"
        # a paginated article's paragraphs are spread over its pages, in order
        pages = [fetch(server.base_url + article.page_path(n)).body.decode(codec) for n in range(1, article.pages + 1)]
        html = pages[0]
        assert all(p in "".join(pages) for p in article.paragraphs), article.path
        assert [html.find(article.paragraphs[-1]) for html in pages[:-1]] == [-1] * (article.pages - 1)
        assert f'<link rel="canonical" href="{server.base_url}{article.path}">' in html
        labels = server.site.config.labels
        for marker in (labels["related"], labels["comments"], labels["share"], server.site.config.footer[1],
                       server.site.config.editor_line.format(editor=article.editor)):
            assert marker in html, (article.path, marker)
        downloads += "最近下载" in html
    assert 0 < downloads < len(load_articles())  # widgets vary from page to page


@pytest.mark.parametrize("charset", ["gbk", "gb2312-declared"])
def test_legacy_charset_pages(sites: SampleSites, charset: str) -> None:
    articles = [a for a in load_articles() if a.charset == charset]
    assert articles
    for article in articles:
        reply = fetch(sites.servers[article.site].base_url + article.path)
        declared = "gbk" if charset == "gbk" else "gb2312"
        assert f'content="text/html; charset={declared}"'.encode() in reply.body
        assert reply.headers["Content-Type"] == ("text/html" if charset == "gbk" else "text/html; charset=gb2312")
        text = "".join(fetch(sites.servers[article.site].base_url + article.page_path(n)).body.decode("gb18030")
                       for n in range(1, article.pages + 1))  # a paginated article: all its pages
        assert "\ufffd" not in text
        special = gbk_only(article.text)
        assert special and all(c in text for c in special)
        raw = b"".join(fetch(sites.servers[article.site].base_url + article.page_path(n)).body
                       for n in range(1, article.pages + 1))
        with pytest.raises(UnicodeDecodeError):
            raw.decode("gb2312")
        lossy = raw.decode("gb2312", errors="replace")
        assert not all(c in lossy for c in special)


def test_robots_disallows_private_and_home_links_it(sites: SampleSites) -> None:
    robots = fetch(sites.base_url_a + "/robots.txt").body.decode()
    assert "Disallow: /private/" in robots and f"Sitemap: {sites.base_url_a}/sitemap.xml" in robots
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(robots.splitlines())
    assert not parser.can_fetch("zhnews", sites.base_url_a + "/private/index.html")
    assert parser.can_fetch("zhnews", sites.base_url_a + "/news/index.html")
    assert 'href="/private/index.html"' in fetch(sites.base_url_a + "/").body.decode()
    assert fetch(sites.base_url_a + "/private/index.html").status == 200  # a rude crawler gets it
    assert "Sitemap:" in fetch(sites.base_url_b + "/robots.txt").body.decode()


def test_legacy_url_redirects(sites: SampleSites) -> None:
    target = _article("a", "1013").path
    reply = fetch(sites.base_url_a + "/news/old-1013.html")
    assert reply.status == 301 and reply.headers["Location"] == sites.base_url_a + target
    assert any(b'href="/news/old-1013.html"' in fetch(sites.base_url_a + p).body
               for p in ("/news/index.html", "/news/index_1.html", "/news/index_2.html"))


def test_dead_link_answers_404(sites: SampleSites) -> None:
    dead = load_sites()["a"].dead_links[0]["path"]
    assert f'href="{dead}"'.encode() in fetch(sites.base_url_a + "/society/index.html").body
    reply = fetch(sites.base_url_a + dead)
    assert reply.status == 404 and b"404" in reply.body


def test_conditional_requests(sites: SampleSites) -> None:
    url = sites.base_url_a + _article("a", "1043").path
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    again = fetch(url, {"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jun 2026 00:00:00 GMT"}).status == 200
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified}).status == 200


def test_gzip_on_request(sites: SampleSites) -> None:
    url = sites.base_url_a + _article("a", "1032").path  # a GBK page: bytes must survive as they are
    plain = fetch(url)
    zipped = fetch(url, {"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert "Content-Encoding" not in plain.headers
    assert fetch(url, {"If-None-Match": zipped.headers["ETag"]}).status == 304  # weak tag still matches


def test_requests_are_counted(sites: SampleSites) -> None:
    server = sites.b
    server.reset_stats()
    path = _article("b", "8801").path
    fetch(server.base_url + path)
    fetch(server.base_url + path, method="HEAD")
    fetch(server.base_url + "/missing.html")
    assert server.requests == {path: 2, "/missing.html": 1}
    assert server.request_log == [("GET", path, 200), ("HEAD", path, 200), ("GET", "/missing.html", 404)]


def test_stopping_hangs_up_keep_alive_connections() -> None:
    with serve_sample_sites() as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.a.server_address[1], timeout=5)
        connection.request("GET", "/robots.txt")
        assert connection.getresponse().read().startswith(b"User-agent")
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/robots.txt")
        connection.getresponse()
    connection.close()


# ---- entry points -----------------------------------------------------------------------------

def test_generate_writes_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sample_main(["generate", "--out", str(tmp_path), "--base-url-a", "http://example.test:81"]) == 0
    page = tmp_path / "a" / _article("a", "1043").path.lstrip("/")
    assert 'href="http://example.test:81/tech/' in page.read_text("utf-8")
    assert (tmp_path / "b" / "sitemap.xml").exists()
    assert "site b:" in capsys.readouterr().out


def test_serve_sample_command_contract() -> None:
    from corpus.commands import serve_sample

    assert serve_sample.HELP == "serve the bundled sample news sites on 127.0.0.1"
    assert serve_sample.__doc__
    parser = argparse.ArgumentParser()
    serve_sample.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.port_a, args.port_b) == (0, 0)
    assert parser.parse_args(["--port-a", "8001"]).port_a == 8001


def test_a_burst_of_connections_waits_in_the_queue_instead_of_being_dropped() -> None:
    """A dozen crawlers connect at once while the accepting thread may wait for the GIL: with
    socketserver's queue of 5 the kernel dropped the rest, and each waited a second for its SYN to be
    sent again (the bench's crawls stalled on it). The handshakes must complete even before any accept."""
    server = SampleServer("a")  # listening, never accepting
    clients = []
    try:
        for _ in range(48):  # 12 crawlers × 4 connections per site, the bench's worst case
            client = socket.create_connection(server.server_address, timeout=0.5)  # TimeoutError if dropped
            clients.append(client)
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_a_taken_port_gives_the_bind_error_and_a_one_line_message() -> None:
    """`zhnews demo` moves to free ports on the OSError of a taken port; the server once failed in its
    clean-up instead (AttributeError), which hid the OSError and crashed the demo."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        with pytest.raises(OSError), serve_sample_sites(port_a=port):
            pass
        with pytest.raises(OSError):
            SampleServer("b", port=port)
        result = subprocess.run([sys.executable, "-m", "corpus.cli", "serve-sample", "--port-a", str(port)],
                                cwd=REPO, capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("command", ["serve-sample", "demo"])
def test_a_port_out_of_range_is_a_usage_error(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "corpus.cli", command, "--port-a", "99999"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "65535" in result.stderr, result.stderr
