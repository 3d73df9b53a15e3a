"""Site profiles: bundled ones load; bad ones fail with a message that names the file and the field."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from crawler.profile import ProfileError, load_profile, parse_profile
from crawler.profile_check import check_profile


def test_bundled_sample_profile_loads_with_its_variable():
    profile = load_profile("sample-a", {"base_url": "http://127.0.0.1:9"})
    assert profile.start_urls == ("http://127.0.0.1:9/",)
    assert profile.allowed_domains == ("127.0.0.1",)
    assert profile.is_article("http://127.0.0.1:9/tech/202610/t20261014_1043.html")
    assert not profile.is_article("http://127.0.0.1:9/tech/index_2.html")
    assert profile.is_listing("http://127.0.0.1:9/tech/index_2.html")


@pytest.mark.parametrize("settings", [
    "{DEFAULT_REQUEST_HEADERS: {Accept-Language: 'zh-CN,zh;q=0.9'}}",  # a dict setting of its own, no component
    "{COOKIES_ENABLED: 1, DOWNLOAD_MAXSIZE: '1048576', DOWNLOAD_DELAY: '1.5'}",  # as Scrapy's getters read them
    "{DOWNLOADER_MIDDLEWARES: {myproject.middlewares.Referer: 700}}",  # a component of its own, added
])
def test_reasonable_profile_settings_load(tmp_path: Path, settings: str):
    path = tmp_path / "site.yaml"
    path.write_text(f"name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {settings}\n", encoding="utf-8")
    assert load_profile(str(path)).settings


@pytest.mark.parametrize(
    "body, message",
    [
        ("name: x\nstart_urls: [http://a/]\n", "`article_url` is required"),
        ("name: x\narticle_url: 'a'\n", "at least one of start_urls"),
        ("name: x\narticle_url: '(['\nstart_urls: [http://a/]\n", "not a valid regular expression"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nstart_url: typo\n", "unknown keys ['start_url']"),
        ("name: x\narticle_url: a\nstart_urls: ['${base_url}/']\n", "no value for ${base_url}"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nprune_xpath: ['//div[']\n", "is not valid XPath"),
        ("name: x\narticle_url: a\nstart_urls: http://a/\n", "`start_urls` must be a list of strings"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nlisting_areas: ['//ul[']\n", "`listing_areas` entry"),
        # valid XPath that fails on a page (every article dropped as extractor_error) or selects no elements
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nprune_xpath: ['//div[foo()]']\n",
         "`prune_xpath` entry '//div[foo()]' cannot be evaluated"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nprune_xpath: ['count(//a)']\n",
         "`prune_xpath` entry 'count(//a)' selects no elements"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nlisting_areas: ['//ul/@class']\n",
         "`listing_areas` entry '//ul/@class' selects no elements"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nmax_listing_pages: lots\n", "must be a whole number"),
        ("[1, 2]\n", "a profile is a YAML mapping"),
        ("name: x\narticle_url: a\nstart_urls: ['file:///etc/passwd']\n", "is not an http(s) URL"),
        ("name: x\narticle_url: a\nfeeds: ['ftp://news.example.cn/rss.xml']\n", "is not an http(s) URL"),
        ("name: x\narticle_url: a\nstart_urls: ['news.example.cn/']\n", "is not an http(s) URL"),
        ("name: x\narticle_url: a\nstart_urls: ['http://a:port/']\n", "port that is not a number"),
        ("name: ../../evil\narticle_url: a\nstart_urls: [http://a/]\n", "must be lower-case letters"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {TELNETCONSOLE_PORT: [6023]}\n",
         "may not touch the consoles"),
        ("name: [unclosed\n", "not valid YAML"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLOAD_DELAY: fast}\n",
         "settings.DOWNLOAD_DELAY must be a number like its default"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {CONCURRENT_REQUESTS: [1]}\n",
         "settings.CONCURRENT_REQUESTS must be a number"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {ROBOTSTXT_OBEY: 'no'}\n",
         "settings.ROBOTSTXT_OBEY must be true or false"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLOADER_MIDDLEWARES: "
         "{crawler.guard.GuardMiddleware: null}}\n", "may not change the project's own entries"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLOADER_MIDDLEWARES: "
         "{scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware: 100}}\n", "may not change the project's"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLOAD_HANDLERS: {file: x.Y}}\n",
         "may not set DOWNLOAD_HANDLERS"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {HTTPPROXY_ENABLED: true}\n",
         "may not set HTTPPROXY_ENABLED"),
        ("name: x\narticle_url: a\nstart_urls: [http://a.example.cn/]\nallowed_domains: [cn]\n", "public suffix"),
        ("name: x\narticle_url: a\nstart_urls: [http://a.example.cn/]\nallowed_domains: [com.cn]\n", "public suffix"),
        # a component setting as JSON text or a list replaced the project's whole dict: no guard, no archive
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLOADER_MIDDLEWARES: '{}'}\n",
         "settings.DOWNLOADER_MIDDLEWARES must be a mapping of component to order"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {EXTENSIONS: [x.Y]}\n",
         "settings.EXTENSIONS must be a mapping of component to order"),
        # these were tracebacks (ValueError, OverflowError, RecursionError) that stopped every site's crawl
        ("name: x\narticle_url: a\nstart_urls: ['https://news.example.cn]/']\n", "is not an http(s) URL"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nexamples: [{url: 'http://a]/1', kind: article, "
         "source: s}]\n", "'http://a]/1' is not an http(s) URL"),
        ("name: x\narticle_url: 'a{99999999999}'\nstart_urls: [http://a/]\n", "not a valid regular expression"),
        (f"name: x\narticle_url: '{'(' * 2000}a{')' * 2000}'\nstart_urls: [http://a/]\n",
         "not a valid regular expression"),
        # silently accepted: the second article_url replaced the first; a misspelt setting did nothing
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\narticle_url: b\n", "`article_url` appears twice"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {DOWNLAOD_DELAY: 5}\n",
         "settings.DOWNLAOD_DELAY is not a setting Scrapy or zhnews knows (DOWNLOAD_DELAY?)"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nsettings: {download_delay: 5}\n",
         "settings.download_delay is not a setting Scrapy or zhnews knows (DOWNLOAD_DELAY?)"),
    ],
)
def test_bad_profiles_say_what_is_wrong(tmp_path: Path, body: str, message: str):
    path = tmp_path / "site.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError, match=None) as error:
        load_profile(str(path))
    assert message in str(error.value) and str(path) in str(error.value)


def test_unknown_profile_name_lists_the_bundled_ones():
    with pytest.raises(ProfileError, match="sample-a"):
        load_profile("no-such-site")


def test_a_profile_that_is_not_utf8_says_so(tmp_path: Path):
    path = tmp_path / "site.yaml"
    path.write_bytes("name: x\narticle_url: 新闻\nstart_urls: [http://a/]\n".encode("gbk"))
    with pytest.raises(ProfileError, match="not UTF-8 text"):
        load_profile(str(path))


def test_the_crawl_stays_on_the_entry_points_hosts_and_ports():
    profile = load_profile("sample-a", {"base_url": "http://127.0.0.1:8001"})
    assert profile.refuses("http://127.0.0.1:8001/a.html") is None
    assert profile.refuses("http://127.0.0.1:8002/a.html") == "port"
    assert profile.refuses("http://127.0.0.2:8001/a.html") == "host"
    assert profile.refuses("ftp://127.0.0.1:8001/a.html") == "scheme"


@pytest.mark.parametrize(("url", "verdict"), [
    ("https://news.example.cn/a.html", None), ("http://news.example.cn/a.html", None),  # 80 and 443 go together
    ("https://m.news.example.cn/a.html", None), ("https://news.example.cn:8443/a.html", "port"),
    ("https://example.cn.evil.com/a.html", "host"), ("https://evilnews.example.cn/a.html", "host"),
])
def test_default_ports_and_subdomains(tmp_path: Path, url: str, verdict: str | None):
    path = tmp_path / "site.yaml"
    path.write_text("name: x\narticle_url: a\nstart_urls: ['https://news.example.cn/']\n", encoding="utf-8")
    assert load_profile(str(path)).refuses(url) == verdict



def test_a_profile_spells_chinese_in_its_patterns_and_hosts_as_it_shows():
    """The crawl escapes URLs as Scrapy requests them ("/%E6%96%B0%E9%97%BB/", an IDN host in punycode);
    a profile written with the characters a person reads must judge and allow the same pages."""
    profile = parse_profile({"name": "x", "start_urls": ["http://新闻.example.cn/"],
                             "article_url": r"/新闻/t\d+\.html$", "listing_url": r"/栏目/"}, "test")
    assert profile.kind_of("http://新闻.example.cn/新闻/t1.html") == "article"
    assert profile.kind_of("http://xn--efvy88h.example.cn/%E6%96%B0%E9%97%BB/t1.html") == "article"
    assert profile.kind_of("http://新闻.example.cn/栏目/科技.html") == "listing"
    assert profile.refuses("http://xn--efvy88h.example.cn/a.html") is None  # the form a request's URL has
    assert profile.refuses("http://新闻.example.cn/a.html") is None

REAL_SITES = sorted(p.stem for p in Path(__file__).parents[1].joinpath("crawler", "sites").glob("*.yaml")
                    if not p.stem.startswith("sample-"))


# profiles whose site shows fewer real URLs in public code than the 5 articles and 3 listings asked for
FEW_EXAMPLES = {"zgc-forum": "one article URL and two home pages of the site are in public code"}


@pytest.mark.parametrize("name", REAL_SITES)
def test_every_bundled_profile_takes_its_real_examples_for_what_they_are(name: str):
    """A bundled profile's evidence: real URLs seen in public code, each with its source, each taken
    for its kind (as found in a page) on a host the crawl may visit; no pattern names one page."""
    profile = load_profile(name, {"date": "202506/04"})
    check = check_profile(profile)
    assert check.ok, check.problems
    assert profile.name == name and all(profile.refuses(url) is None for url in profile.start_urls)
    kinds = Counter(example.kind for example in profile.examples)
    assert name in FEW_EXAMPLES or (kinds["article"] >= 5 and kinds["listing"] >= 3), kinds
    assert all(example.source for example in profile.examples)


@pytest.mark.parametrize(("url", "kind"), [
    ("http://news.example.cn/202611/t20261101_1.html#comments", "article"),
    ("http://news.example.cn:80/202611/t20261101_1.html?utm_source=weibo&spm=a.b", "article"),
    ("http://news.example.cn/202611/t20261101_1_2.html", "article"),  # its page 2 leads to it
    ("http://news.example.cn/list/index_2.html#top", "listing"),
    ("http://news.example.cn/202611/t20261101_1.html?page=all", None),
])
def test_a_url_is_judged_as_found_in_a_page(url: str, kind: str | None):
    profile = parse_profile({"name": "x", "start_urls": ["http://news.example.cn/"],
                             "article_url": r"/\d{6}/t\d{8}_\d+\.html$", "listing_url": [r"/index(_\d+)?\.html$"]},
                            "test")
    assert profile.kind_of(url) == kind


def test_check_profile_flags_wrong_examples_unused_patterns_and_ids(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump({
        "name": "x", "start_urls": ["http://news.example.cn/"],
        "article_url": [r"/\d{6}/t\d{8}_\d+\.html$", r"/a/b/t20261101_123456\.html$", r"/c/\d+\.htm$"],
        "examples": [
            {"url": "http://news.example.cn/202611/t20261101_1.html", "kind": "article", "source": "a"},
            {"url": "http://news.example.cn/list/1.html", "kind": "article", "source": "b"},
            {"url": "http://elsewhere.cn/202611/t20261101_1.html", "kind": "article", "source": "c"}]}),
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "check-profile", str(path)], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "check-profile x" in result.stdout and "FAILED" in result.stdout
    assert "list/1.html (article, seen in b): matches no article_url pattern" in result.stdout
    assert "t20261101_1.html (article, seen in c): the crawl would refuse it (host)" in result.stdout
    assert "spells out an id" in result.stdout and "'/c/\\\\d+\\\\.htm$' matches none of" in result.stdout


def test_every_bundled_profile_passes_check_profile_and_sites_lists_them():
    command = [sys.executable, "-m", "corpus.cli"]
    checked = subprocess.run([*command, "check-profile", *REAL_SITES, "--var", "date=202506/04"], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = subprocess.run([*command, "sites"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and all(name in listed.stdout for name in REAL_SITES)
    assert "hosts ynet.com, ynet.cn" in listed.stdout and "needs --var date=" in listed.stdout


def test_the_bundled_real_sites_are_the_ones_the_seeds_come_from():
    assert {"ynet", "people-tech", "people-local", "gmw-tech", "news-cn-tech", "stdaily", "ce", "paper-ce",
            "zgc-forum"} <= set(REAL_SITES)


def test_rejected_article_links_are_grouped_by_shape_with_a_pattern_that_matches_them():
    import re

    from crawler.profile_check import looks_like_article, rejected_article_shapes
    from crawler.urls import canonical

    profile = load_profile("people-tech")
    links = ["http://scitech.people.com.cn/n3/2025/0515/c1007-40481087.html#top",
             "http://scitech.people.com.cn/n3/2025/0516/c1007-40481099.html",
             "http://scitech.people.com.cn/n1/2025/0515/c1007-40481086.html",  # taken: not listed
             "http://scitech.people.com.cn/GB/about.html", "http://www.other.cn/n3/2025/0515/c1-12345.html"]
    (shape,) = rejected_article_shapes(profile, links)
    assert shape.count == 2 and shape.example.endswith("c1007-40481087.html")
    # as a profile matches: on the canonical URL (no fragment)
    assert all(re.search(shape.pattern, canonical(url)) for url in links[:2]) and not re.search(shape.pattern, links[3])
    assert looks_like_article("https://www.news.cn/tech/20241121/dbda2471b1374eb6b4d3757e7d5f539c/c.html")
    assert not looks_like_article("http://x.cn/about/contact.html") and not looks_like_article("http://x.cn/a.jpg")
