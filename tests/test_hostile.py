"""Crawling a hostile site (tests/fault_site.py) on 127.0.0.1: every trap ends, nothing leaves the
site, robots.txt fails closed, bad bodies are archived but never published, and the exit status says
what happened."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from fault_site import FaultSite, serve_fault_site
from warcio.archiveiterator import ArchiveIterator

from conftest import REPO
from corpus.layout import DataLayout
from crawler.guard import GuardedResolver, PrivateAddress

# fast failure for the slow paths; retries on, as in production, but only once
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 2,
        "ZHNEWS_ALLOW_PRIVATE_ADDRESSES": True}


def profile(site: FaultSite, folder: Path, **extra: object) -> Path:
    data = {"name": "fault", "start_urls": [f"{site.base_url}/"], "sitemaps": [f"{site.base_url}/sitemap.xml"],
            "article_url": r"/news/", "listing_url": r"/calendar/", "max_listing_pages": 20,
            "settings": {**FAST, **extra.pop("settings", {})}, **extra}
    path = folder / "fault.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def zhnews(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def crawl(site: FaultSite, tmp_path: Path, run: str = "r1", **extra: object) -> subprocess.CompletedProcess[str]:
    return zhnews("crawl", "--site", str(profile(site, tmp_path, **extra)), "--data-dir", str(tmp_path / "data"),
                  "--run-id", run, "--no-progress")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[FaultSite, FaultSite, Path, str]:
    """One crawl of the whole hostile site, with a second server on another port as the off-port target."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    with serve_fault_site() as other, serve_fault_site() as site:
        site.other_port = other.server_address[1]
        result = crawl(site, tmp_path)
        yield site, other, tmp_path / "data", result.stdout + result.stderr


def test_every_trap_ends(hostile):
    site, _, _, output = hostile
    paths = site.paths
    chain = [p for p in paths if p.startswith("/news/chain-")]
    assert 1 <= len(chain) <= 6, "article redirects: ZHNEWS_MAX_REDIRECTS (5) hops at most"
    assert paths.count("/news/loop-a.html") <= 2 and paths.count("/news/loop-b.html") <= 2
    sitemaps = [p for p in paths if p.startswith("/sitemaps/")]
    assert sitemaps and all(int(p.split("/")[2].split(".")[0].rstrip("b")) <= 3 for p in sitemaps), "depth ≤ 3"
    assert len([p for p in paths if p.startswith("/calendar/")]) <= 20, "max_listing_pages bounds the calendar"
    assert "FAILED" not in output


def test_nothing_leaves_the_site(hostile):
    site, other, _, _ = hostile
    assert other.paths == [], "a redirect to another port of the same host was followed"
    assert "/login" not in site.paths, "an article redirect to a page that is no article was followed"


def test_bad_bodies_are_archived_but_never_published(hostile, tmp_path: Path):
    _, _, data, _ = hostile
    layout = DataLayout(data)
    probe = ("import resource, subprocess, sys\n"
             f"subprocess.run([sys.executable, '-m', 'corpus.cli', 'process', '--data-dir', {str(data)!r}, "
             "'--workers', '1', '--no-progress'], check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    peak_kib = int(result.stdout.strip().splitlines()[-1])
    assert peak_kib < 300 * 1024, f"process peaked at {peak_kib // 1024} MiB on a gzip bomb"
    rows = {row["url"].rsplit("/", 1)[1]: row
            for path in layout.run_docs("r1") for row in pq.read_table(path).to_pylist()}
    assert {"ok-0.html", "ok-1.html", "ok-2.html", "flaky.html", "latin1-lie.html"} <= set(rows)
    assert "服务器声明了错误字符集的文章" in rows["latin1-lie.html"]["title"]  # not mojibake
    assert rows["epaper.pdf"]["extractor"].startswith("pypdf") and "十九项重大科技成果" in rows["epaper.pdf"]["text"]
    assert not {"bomb.html", "huge.html", "binary.html", "login"} & set(rows)
    summary = json.loads(layout.run_summary("r1").read_text(encoding="utf-8"))["counters"]
    assert summary.get("decode/dropped/binary") == 1


def test_a_body_refused_as_too_large_is_not_fetched_again_by_the_next_run(hostile):
    site, _, data, _ = hostile
    before = len(site.paths)
    crawl(site, data.parent, run="r2")
    again = site.paths[before:]
    assert "/news/ok-0.html" not in again, "an archived article was fetched again"
    assert "/news/bomb.html" not in again and "/news/huge.html" not in again, "a refused body was fetched again"


def test_robots_txt_that_cannot_be_read_disallows_everything(tmp_path: Path):
    for mode in ("5xx", "timeout", "huge", "disallow"):
        with serve_fault_site(robots=mode, slow_seconds=4) as site:
            result = crawl(site, tmp_path / mode)
            assert set(site.paths) == {"/robots.txt"}, (mode, site.paths)
            if mode == "disallow":  # the site opts out: skipped, nothing to fix, no failure
                assert result.returncode == 0 and "SKIPPED fault: its robots.txt" in result.stdout, result.stdout
            else:
                assert result.returncode == 1 and "FAILED fault" in result.stdout, (mode, result.stdout)


def test_a_crawl_of_a_public_site_needs_a_contact(tmp_path: Path):
    """No contact, no crawl: a site's operator must be able to reach whoever crawls it (the User-Agent
    names the contact). The contact comes from dataset.yaml (or ZHNEWS_CONTACT)."""
    with serve_fault_site() as site:
        refused = crawl(site, tmp_path, settings={"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": False})
        assert refused.returncode == 1 and "no contact for the User-Agent" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and site.paths == []
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / "dataset.yaml").write_text("contact: mailto:crawler@example.org\n", encoding="utf-8")
        started = crawl(site, tmp_path, settings={"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": False})
        assert "no contact" not in started.stderr and "FAILED fault" in started.stdout  # the guard's refusal now



def test_only_a_site_on_local_addresses_is_crawled_without_a_contact(tmp_path: Path):
    """ZHNEWS_ALLOW_PRIVATE_ADDRESSES lets the sample sites (127.0.0.1) start without a contact; it
    must not let a public site's crawl start without one, whatever a name resolves to here."""
    from scrapy.settings import Settings

    from crawler.politeness import MissingContact, crawl_contact

    layout = DataLayout(tmp_path / "data")
    allowed = Settings({"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": True})
    for local in (["127.0.0.1"], ["localhost"], ["::1", "10.0.0.5"]):
        assert crawl_contact(allowed, layout, local) is None
    for public in (["news.example.cn"], ["127.0.0.1", "news.example.cn"], ["8.8.8.8"]):
        with pytest.raises(MissingContact):
            crawl_contact(allowed, layout, public)
    with pytest.raises(MissingContact):
        crawl_contact(Settings(), layout, ["127.0.0.1"])  # private addresses not allowed: a contact all the same
    assert crawl_contact(Settings({**allowed, "ZHNEWS_CONTACT": "mailto:a@example.org"}), layout,
                         ["news.example.cn"]) == "mailto:a@example.org"

def test_private_addresses_are_refused_by_default(tmp_path: Path):
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, settings={"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": False,
                                                 "ZHNEWS_CONTACT": "mailto:crawler@example.org"})
        assert site.paths == [], "a loopback address was contacted without ZHNEWS_ALLOW_PRIVATE_ADDRESSES"
        assert result.returncode == 1 and "FAILED fault" in result.stdout
        assert "127.0.0.1 is not a public address" in result.stderr


def test_the_address_is_checked_by_the_connection_of_each_site(tmp_path: Path):
    """One process, two sites: the one allowed private addresses is crawled, the other (`localhost`)
    is refused. There is no check before the request any more: the refusal comes from the resolver the
    connections use, which holds the policy of each site of the process."""
    with serve_fault_site() as allowed, serve_fault_site() as refused:
        first = profile(allowed, tmp_path / "allowed", sitemaps=[], start_urls=[f"{allowed.base_url}/news/ok-0.html"])
        port = refused.server_address[1]
        second = profile(refused, tmp_path / "refused", name="other", sitemaps=[],
                         start_urls=[f"http://localhost:{port}/"],
                         settings={"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": False, "ZHNEWS_CONTACT": "mailto:a@example.org"})
        result = zhnews("crawl", "--site", str(first), "--site", str(second), "--data-dir", str(tmp_path / "data"),
                        "--no-progress")
        assert refused.paths == [], "localhost was contacted by a site not allowed private addresses"
        assert "/robots.txt" in allowed.paths
        assert result.returncode == 1 and "FAILED other" in result.stdout and "FAILED fault" not in result.stdout
        assert "localhost resolves to 127.0.0.1, not a public address" in result.stderr + result.stdout


def test_the_resolver_allows_private_answers_only_to_the_domains_of_sites_allowed_them():
    resolver = GuardedResolver(None, 0, 1.0)
    assert resolver._checked("93.184.216.34", "news.example.cn") == "93.184.216.34"
    with pytest.raises(PrivateAddress):
        resolver._checked("127.0.0.1", "news.sample.test")
    resolver.allow_private(["Sample.test"])
    assert resolver._checked("127.0.0.1", "news.sample.test") == "127.0.0.1"
    for name in ("evilsample.test", "sample.test.evil.cn"):
        with pytest.raises(PrivateAddress):
            resolver._checked("10.0.0.1", name)


def test_response_headers_that_never_end_fail_the_page_not_the_crawlers_memory(tmp_path: Path):
    """Body limits count body bytes only: without a bound on the headers, a server sending header lines
    for the whole download timeout filled the crawler's memory at about 230 MB a second."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/headers/flood.html"], sitemaps=[],
                       settings={"DOWNLOAD_TIMEOUT": 20, "RETRY_TIMES": 0})
    output = result.stdout + result.stderr
    assert "response headers over 262,144 bytes" in output, output[-3000:]
    report = json.loads((tmp_path / "data" / "raw" / "r1" / "crawl.json").read_text(encoding="utf-8"))
    assert report["sites"]["fault"]["outcome"] == "failed", report  # its one entry point gave nothing


def test_the_header_limit_never_counts_a_pages_body(tmp_path: Path):
    """Headers and the start of the body come in one read: only what precedes the body counts."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/headers/one-write.html"], sitemaps=[],
                       settings={"ZHNEWS_MAX_HEADER_BYTES": 400})
    assert "response headers over" not in result.stdout + result.stderr
    report = json.loads((tmp_path / "data" / "raw" / "r1" / "crawl.json").read_text(encoding="utf-8"))
    assert report["sites"]["fault"]["outcome"] == "ok" and report["sites"]["fault"]["responses"] == 2, report


def test_response_header_values_outside_ascii_are_archived_with_their_bytes(tmp_path: Path):
    """warcio wrote a header value outside ASCII as UTF-8 escapes of its latin-1 reading: a GBK file name
    became filename*=UTF-8''%C3%…, bytes the server never sent. The archive keeps what the server sent."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/headers/raw-bytes.html"], sitemaps=[])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    (warc,) = (tmp_path / "data" / "raw" / "r1").glob("*.warc.gz")
    with warc.open("rb") as stream:  # the page's response: its headers and its text (read before the next record)
        ((headers, text),) = [(dict(r.http_headers.headers), r.content_stream().read().decode("utf-8"))
                              for r in ArchiveIterator(stream) if r.rec_type == "response"
                              and r.rec_headers.get_header("WARC-Target-URI").endswith("/raw-bytes.html")]
    assert "头部有非ASCII字节的文章" in text
    disposition = "attachment; filename=新闻.html".encode("gbk").decode("latin-1")
    assert headers["Content-Disposition"] == disposition and headers["X-Author"] == "张三", headers


def test_a_proxy_in_the_environment_is_not_used(tmp_path: Path):
    """A proxy resolves the site's name itself, past the guard's address check: the crawl goes direct,
    whatever http_proxy says (the 'proxy' here is a second server that logs what reaches it)."""
    with serve_fault_site() as proxy, serve_fault_site() as site:
        proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
        env = {**os.environ, "http_proxy": proxy_url, "https_proxy": proxy_url, "HTTP_PROXY": proxy_url,
               "no_proxy": "", "NO_PROXY": ""}
        subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", "--site", str(profile(site, tmp_path)),
                        "--data-dir", str(tmp_path / "data"), "--run-id", "r1", "--no-progress"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
        assert proxy.paths == [] and "/robots.txt" in site.paths


def test_a_site_that_is_down_fails_the_crawl(tmp_path: Path):
    with serve_fault_site() as site:
        path = profile(site, tmp_path)
    result = zhnews("crawl", "--site", str(path), "--data-dir", str(tmp_path / "data"), "--no-progress")
    assert result.returncode == 1 and "FAILED fault" in result.stdout


def test_two_crawls_of_one_site_never_overlap(tmp_path: Path):
    with serve_fault_site(slow_seconds=3) as site:
        path = profile(site, tmp_path)
        command = [sys.executable, "-m", "corpus.cli", "crawl", "--site", str(path), "--data-dir",
                   str(tmp_path / "data"), "--no-progress"]
        first = subprocess.Popen([*command, "--run-id", "first"], cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        lock = DataLayout(tmp_path / "data").site_lock("fault")
        while not (lock.exists() and lock.read_text()) and first.poll() is None:
            pass
        second = zhnews(*command[3:], "--run-id", "second")
        first.communicate(timeout=180)
    assert second.returncode == 75 and "site fault is in use by a crawl" in second.stderr
    assert not DataLayout(tmp_path / "data").run_dir("second").exists()


@pytest.mark.parametrize(("settings", "message"), [
    ({"TELNETCONSOLE_ENABLED": True}, "may not touch the consoles"),
])
def test_a_profile_cannot_switch_a_console_on(tmp_path: Path, settings: dict, message: str):
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, settings=settings)
    assert result.returncode == 1 and message in result.stderr and site.paths == []


def test_a_profiles_own_extensions_are_merged_not_put_in_place(tmp_path: Path):
    with serve_fault_site() as site:
        crawl(site, tmp_path, settings={"EXTENSIONS": {"scrapy.extensions.corestats.CoreStats": 0}})
    (run_dir,) = DataLayout(tmp_path / "data").raw.iterdir()
    in_force = json.loads((run_dir / "settings" / "fault.json").read_text(encoding="utf-8"))
    assert in_force["EXTENSIONS"]["crawler.run_setup.RunSetup"] == 0  # the project's entries survive
    assert in_force["EXTENSIONS"]["scrapy.extensions.telnet.TelnetConsole"] is None
    assert in_force["TELNETCONSOLE_ENABLED"] is False and in_force["REMOTE_CONTROL_ENABLED"] is False


@pytest.mark.parametrize(("setting", "value"), [("DOWNLOAD_DELAY", "abc"), ("ROBOTSTXT_OBEY", "maybe")])
def test_a_bad_setting_value_is_an_error_before_anything_is_fetched(tmp_path: Path, setting: str, value: str):
    with serve_fault_site() as site:
        path = profile(site, tmp_path)
        result = zhnews("crawl", "--site", str(path), "--data-dir", str(tmp_path / "data"), "--set",
                        f"{setting}={value}", "--no-progress")
        assert result.returncode == 2 and f"--set {setting}=" in result.stderr and site.paths == []  # bad command line


def test_peak_memory_probe_is_a_real_measurement():
    """The memory assertion above reads ru_maxrss of a child: on Linux it is in KiB."""
    assert sys.platform.startswith("linux") and resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 1024


def test_robots_crawl_delay_is_honoured_and_the_user_agent_names_a_contact(tmp_path: Path):
    with serve_fault_site(robots="delay") as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/calendar/0.html"], sitemaps=[],
                       max_listing_pages=4, settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                                                      "ZHNEWS_CONTACT": "mailto:crawler@example.org"})
        arrivals = [moment for moment, path in site.arrivals if path != "/robots.txt"]
    assert result.returncode == 0 and len(arrivals) == 4
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= 0.9, f"Crawl-delay: 1 not honoured: {gaps}"
    (run_dir,) = DataLayout(tmp_path / "data").raw.iterdir()
    in_force = json.loads((run_dir / "settings" / "fault.json").read_text(encoding="utf-8"))
    assert in_force["USER_AGENT"].startswith("zhnews-corpus/") and in_force["ZHNEWS_CONTACT"] in in_force["USER_AGENT"]


def test_a_cookie_flood_does_not_break_the_crawl_and_error_answers_are_failures(tmp_path: Path):
    """A listing that sets 3,000 cookies: the crawl sends no cookies (news articles need none), so its
    articles answer 200; a site whose every article answers with an error fails its crawl."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/cookies/"], sitemaps=[],
                       article_url=r"/cookies/\d+\.html$")
        assert result.returncode == 0, result.stdout + result.stderr
        assert site.cookies_seen == [0, 0, 0] and "articles: fetched 3" in result.stdout
    with serve_fault_site() as site:  # cookies switched on by the profile: every article answers 431
        result = crawl(site, tmp_path / "errors", start_urls=[f"{site.base_url}/cookies/"], sitemaps=[],
                       article_url=r"/cookies/\d+\.html$", settings={"COOKIES_ENABLED": True})
        assert result.returncode == 1, result.stdout
        assert "FAILED fault: every article answered with an error: HTTP 431 ×3" in result.stdout


@pytest.mark.parametrize("run_id", ["../outside", "a/b", "**bold**", "[x](http://e.cn)", ".hidden"])
def test_a_run_id_cannot_leave_raw_or_carry_markup(tmp_path: Path, run_id: str):
    for command in (["crawl", "--site", "ynet", "--run-id", run_id], ["process", "--run", run_id],
                    ["import-warc", "/dev/null", "--run-id", run_id]):
        result = zhnews(*command, "--data-dir", str(tmp_path / "data"))
        assert result.returncode == 2 and "is not a run id" in result.stderr, (command, result.stderr)
    assert not (tmp_path / "outside").exists() and not list((tmp_path / "data").glob("raw/*"))


def test_a_password_in_a_profile_url_or_a_secret_setting_is_never_printed_or_stored(tmp_path: Path):
    with serve_fault_site(robots="5xx") as site:  # robots.txt fails: the URLs are logged with their errors
        base = site.base_url.replace("http://", "http://reader:hunter2pw@")
        result = zhnews("crawl", "--site", str(profile(site, tmp_path, start_urls=[f"{base}/"], sitemaps=[])),
                        "--data-dir", str(tmp_path / "data"), "--run-id", "r1", "--no-progress",
                        "--set", "ZHNEWS_HUB_TOKEN=hf_s3cr3tvalue")
    stored = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "data" / "raw").rglob("*.json"))
    assert "reader:***@" in result.stdout + result.stderr + stored
    for secret in ("hunter2pw", "hf_s3cr3tvalue"):
        assert secret not in result.stdout + result.stderr and secret not in stored, secret


def test_a_url_too_long_to_request_is_counted_as_an_error(tmp_path: Path):
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/long/"], sitemaps=[])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "articles: fetched 1" in result.stdout and "errors 1" in result.stdout, result.stdout


def test_a_url_no_parser_accepts_is_skipped_and_the_rest_is_crawled(tmp_path: Path):
    """`http://[::1/…` in a sitemap, a feed, a Location header or a pager raised ValueError inside the spider
    (and so did a sitemap's relative URL): the rest of the sitemap or feed was lost, the paginated article
    was never recorded (fetched again, and failing the site, every night), and the crawl exited 1."""
    with serve_fault_site() as site:
        base = site.base_url
        extra = {"start_urls": [f"{base}/bad-urls/"], "sitemaps": [f"{base}/bad-urls/sitemap.xml"],
                 "feeds": [f"{base}/bad-urls/feed.xml"], "article_url": r"/(news|paged)/"}
        first = crawl(site, tmp_path, "r1", **extra)
        fetched = set(site.paths)
        site.forget()
        second = crawl(site, tmp_path, "r2", **extra)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr and "raised" not in first.stdout, first.stdout + first.stderr
    assert {"/news/ok-0.html", "/news/ok-1.html", "/news/ok-2.html", "/news/ok-feed.html", "/news/ok-relative.html",
            "/news/bad-location.html",
            "/paged/badlink101.html", "/paged/badlink101_2.html", "/paged/badlink101_3.html"} <= fetched, fetched
    assert first.stderr.count("skipped a URL no parser takes") == 3, first.stderr  # sitemap, feed, Location
    assert second.returncode == 0, second.stdout + second.stderr
    # each was recorded: only the redirect the crawl could not follow is tried again, as a 404 would be
    refetched = {path for path in site.paths if path.startswith(("/news/", "/paged/"))}
    assert refetched == {"/news/bad-location.html"}, refetched


def test_a_gzipped_feed_that_is_a_bomb_or_cut_is_counted_not_a_failure(tmp_path: Path):
    """A feed served as a .gz file is inflated by the spider: a bomb or damaged deflate data was a traceback and failed
    the site (the same bodies as sitemaps were counted as invalid)."""
    with serve_fault_site() as site:
        base = site.base_url
        result = crawl(site, tmp_path, start_urls=[], sitemaps=[],
                       feeds=[f"{base}/bad-urls/bomb-feed.xml.gz", f"{base}/bad-urls/broken-feed.xml.gz"])
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert result.stderr.count("is not a feed") == 2, result.stderr  # said, and counted (feeds/invalid)


def test_urls_the_crawl_refuses_do_not_spend_the_article_budget(tmp_path: Path):
    """Twelve refused URLs (another host, another port, robots.txt) spent the budget of articles before the
    three good ones that follow them in the sitemap, every night: a site that yielded nothing, counted ok."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[], sitemaps=[f"{site.base_url}/bad-urls/refused-sitemap.xml"],
                       settings={"ZHNEWS_MAX_ARTICLES": 5})
        fetched = [path for path in site.paths if "/news/" in path]
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(fetched) == [f"/news/ok-after-refused-{i}.html" for i in range(3)], fetched
    assert "robots-forbidden 4" in result.stdout, result.stdout  # still counted where the summary shows it
    assert "over limit" not in result.stdout, result.stdout


def test_listings_the_crawl_refuses_do_not_spend_the_listing_budget(tmp_path: Path):
    """Links to listings on another host or under robots.txt's /private/ used up max_listing_pages before the
    site's own listing."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/bad-urls/listings/"], sitemaps=[],
                       max_listing_pages=3)
        fetched = [path for path in site.paths if "/calendar/" in path]
    assert result.returncode == 0, result.stdout + result.stderr
    assert fetched == ["/calendar/0.html", "/calendar/1.html"], fetched  # the start page + two: the budget of 3


def test_a_start_page_redirected_off_the_site_is_named_in_the_failure(tmp_path: Path):
    """Scrapy's offsite filter dropped the redirect before the guard saw it, logging at debug level only: a
    site that moved failed with "no entry point could be read: no response", naming neither host nor why."""
    with serve_fault_site() as site:
        result = crawl(site, tmp_path, start_urls=[f"{site.base_url}/bad-urls/moved/"], sitemaps=[])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "zhnews/guard/host 1" in result.stdout, result.stdout
    assert "refused http://www.new-domain.example/: host" in result.stderr, result.stderr


def test_a_full_disk_under_the_request_queue_ends_the_sites_crawl_and_says_why(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    """The queue's OSError was raised in Scrapy's engine loop, logged every 5 seconds, forever: the nightly job
    hung for as long as the disk stayed full."""
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # the crawl imports tests/disk_faults.py
    with serve_fault_site() as site:
        result = zhnews("crawl", "--site", str(profile(site, tmp_path, settings={
            "SCHEDULER_DISK_QUEUE": "disk_faults.FullDiskQueue"})), "--data-dir", str(tmp_path / "data"),
            "--run-id", "r1", "--no-progress", timeout=90)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED fault: the crawl did not finish (queue_failed)" in result.stdout, result.stdout
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr, result.stderr
