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
