"""Site profiles: bundled ones load; bad ones fail with a message that names the file and the field."""

import re
from pathlib import Path

import pytest

from crawler.profile import ProfileError, load_profile


def test_bundled_sample_profile_loads_with_its_variable():
    profile = load_profile("sample-a", {"base_url": "http://127.0.0.1:9"})
    assert profile.start_urls == ("http://127.0.0.1:9/",)
    assert profile.allowed_domains == ("127.0.0.1",)
    assert profile.is_article("http://127.0.0.1:9/tech/202610/t20261014_1043.html")
    assert not profile.is_article("http://127.0.0.1:9/tech/index_2.html")
    assert profile.is_listing("http://127.0.0.1:9/tech/index_2.html")


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


REAL_SITES = sorted(p.stem for p in Path(__file__).parents[1].joinpath("crawler", "sites").glob("*.yaml")
                    if not p.stem.startswith("sample-"))


@pytest.mark.parametrize("name", REAL_SITES)
def test_every_bundled_site_profile_loads_and_matches_its_own_example(name: str):
    """A bundled profile loads (no network here: `zhnews check-site NAME` checks it live) and its
    article pattern matches the example URL its comment gives, where it gives one."""
    path = Path(__file__).parents[1] / "crawler" / "sites" / f"{name}.yaml"
    profile = load_profile(name, {"date": "202506/04"})
    assert profile.name == name and profile.refuses(profile.start_urls[0]) is None
    for example in re.findall(r"# example article: (\S+)", path.read_text(encoding="utf-8")):
        assert profile.is_article(example) and profile.refuses(example) is None, example


def test_the_bundled_real_sites_are_the_ones_the_seeds_come_from():
    assert {"ynet", "people-tech", "people-local", "gmw-tech", "news-cn-tech", "stdaily", "ce", "paper-ce",
            "zgc-forum"} <= set(REAL_SITES)
