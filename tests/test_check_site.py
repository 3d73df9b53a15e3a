"""`zhnews check-site`, the live canary for a profile, against the sample site and the hostile one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from fault_site import serve_fault_site
from test_hostile import profile

from conftest import REPO
from crawler.sample_site import SampleSites


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", "check-site", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=180)


def test_a_working_profile_is_ok_and_says_what_it_found(sample_sites: SampleSites, tmp_path: Path):
    result = check("sample-a", "--var", f"base_url={sample_sites.base_url_a}", "--limit", "4",
                   "--keep", str(tmp_path / "data"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check-site sample-a: OK" in result.stdout
    assert "articles fetched 4 (limit 4), texts kept 4" in result.stdout
    found = next(line for line in result.stdout.splitlines() if "article URLs found" in line)
    assert all(f"'{where}':" in found for where in ("feed", "listing", "sitemap"))  # every entry point read
    charsets = next(line for line in result.stdout.splitlines() if "charsets:" in line)
    assert "utf-8" in charsets or "gb18030" in charsets  # which 4 of the 44 articles come first varies


def test_a_profile_whose_site_forbids_everything_is_broken(tmp_path: Path):
    with serve_fault_site(robots="disallow") as site:
        result = check(str(profile(site, tmp_path)))
    assert result.returncode == 1 and "check-site fault: BROKEN" in result.stdout and "problem:" in result.stdout


def test_a_profile_that_matches_no_article_is_broken(tmp_path: Path):
    with serve_fault_site() as site:
        result = check(str(profile(site, tmp_path, article_url="/no-such-section/")), "--limit", "2")
    assert result.returncode == 1 and "no article URL found" in result.stdout


def test_links_that_look_like_articles_but_match_no_pattern_are_shown_with_a_pattern(
        sample_sites: SampleSites, tmp_path: Path):
    """A profile that knows only the tech section's articles: the canary lists the other sections'
    article links by shape, and each suggested pattern matches its own example."""
    import re

    import yaml

    text = (REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text.replace("${base_url}", sample_sites.base_url_a))
    data["article_url"] = r"/tech/\d{6}/t\d{8}_\w+\.html$"
    path = tmp_path / "narrow.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check(str(path), "--limit", "2")
    assert "look like articles but match no pattern" in result.stdout, result.stdout
    suggestions = re.findall(r"like (\S+)\n\s+article_url: '([^']+)'", result.stdout)
    assert {urlsplit(url).path.split("/")[1] for url, _ in suggestions} >= {"news", "finance", "society"}
    assert all(re.search(pattern, url) for url, pattern in suggestions)
    assert not any("/tech/" in url for url, _ in suggestions)


def test_one_url_is_fetched_classified_and_extracted(sample_sites: SampleSites):
    from crawler.sample_site import load_articles

    article = next(a for a in load_articles() if a.site == "a" and a.pages == 1)
    result = check("sample-a", "--var", f"base_url={sample_sites.base_url_a}", "--url",
                   sample_sites.base_url_a + article.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the profile takes it for: article" in result.stdout and "HTTP status 200" in result.stdout
    assert repr(article.title) in result.stdout
    assert article.paragraphs[0][:20].replace(" ", "") in result.stdout.replace(" ", "")


def test_one_url_that_redirects_shows_the_page_it_leads_to(sample_sites: SampleSites):
    from crawler.sample_site import load_articles

    target = next(a for a in load_articles() if (a.site, a.slug) == ("a", "1013"))
    result = check("sample-a", "--var", f"base_url={sample_sites.base_url_a}", "--url",
                   sample_sites.base_url_a + "/news/old-1013.html")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HTTP status 200" in result.stdout and target.path in result.stdout and repr(target.title) in result.stdout


def test_the_contact_and_the_withdrawals_come_from_the_data_folder(tmp_path: Path):
    """The crawl went into a scratch folder with an empty dataset.yaml: a profile of a public site was a
    MissingContact traceback whose advice named the deleted scratch folder, however the user set `contact`."""
    with serve_fault_site() as site:
        public = str(profile(site, tmp_path, settings={"ZHNEWS_ALLOW_PRIVATE_ADDRESSES": False}))
        data = tmp_path / "data"
        data.mkdir()
        without = check(public, "--data-dir", str(data), "--limit", "1")
        assert without.returncode == 1 and "Traceback" not in without.stderr, without.stderr
        assert f"set `contact` in {data / 'dataset.yaml'}" in without.stderr, without.stderr
        (data / "dataset.yaml").write_text("contact: https://lab.example/crawler\n", encoding="utf-8")
        with_contact = check(public, "--data-dir", str(data), "--limit", "1")
        # a publisher's withdrawal holds for the canary too: nothing of the domain is fetched
        subprocess.run([sys.executable, "-m", "corpus.cli", "withdraw", "--domain", "127.0.0.1", "--reason", "asked",
                        "--data-dir", str(data)], cwd=REPO, check=True, capture_output=True, timeout=60)
        site.forget()
        withdrawn = check(str(profile(site, tmp_path / "local")), "--data-dir", str(data), "--limit", "1")
        fetched_after_withdrawal = site.paths
    # it crawls: its guard refuses the private address, as it would for a real site resolving to one
    assert "check-site fault: BROKEN" in with_contact.stdout and "contact" not in with_contact.stderr, \
        with_contact.stdout + with_contact.stderr
    assert fetched_after_withdrawal == [] and "withdrawn" in withdrawn.stdout, withdrawn.stdout


def test_a_site_whose_articles_give_no_text_is_broken_whatever_the_limit(tmp_path: Path):
    """Two articles answering 404 with --limit 2 was "OK … articles fetched 0": the crawl fails a site only
    from three error answers on."""
    with serve_fault_site() as site:
        result = check(str(profile(site, tmp_path, start_urls=[f"{site.base_url}/bad-urls/missing/"], sitemaps=[])),
                       "--limit", "2")
    assert result.returncode == 1 and "check-site fault: BROKEN" in result.stdout, result.stdout
    assert "none gave a text" in result.stdout, result.stdout


def test_a_limit_below_one_is_a_usage_error():
    """--limit 0 crawled every article (0 is "no limit" to the crawl); --limit -1 fetched none and said OK."""
    for limit in ("0", "-1"):
        result = check("sample-a", "--limit", limit)
        assert result.returncode == 2 and "--limit" in result.stderr, result.stderr


def test_a_listing_link_no_parser_takes_does_not_stop_the_report(tmp_path: Path):
    """The crawl skips such a link; the canary's look at the listing's links was a traceback."""
    with serve_fault_site() as site:
        result = check(str(profile(site, tmp_path, start_urls=[f"{site.base_url}/bad-urls/"], sitemaps=[])),
                       "--limit", "2")
    assert "Traceback" not in result.stderr and "check-site fault:" in result.stdout, result.stdout + result.stderr


def test_one_url_robots_txt_forbids_says_so(tmp_path: Path):
    """It said "not fetched: no response"."""
    with serve_fault_site(robots="disallow") as site:
        result = check(str(profile(site, tmp_path)), "--url", f"{site.base_url}/news/ok-0.html")
    assert result.returncode == 1 and "not fetched: its robots.txt disallows" in result.stdout, result.stdout
