"""Crawling the sample sites over 127.0.0.1: archive completeness, robots, incremental re-crawl, kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import REPO, Crawl, crawl, sample_profiles, zhnews
from corpus.article_pages import read_article_pages
from corpus.layout import DataLayout
from corpus.warc_format import KIND_FIELD
from crawler.sample_site import SampleSites, gold, load_articles


def archived_responses(raw: Path) -> list[tuple[str, int, str]]:
    """(url, status, page kind) of every response record in a run's WARC files."""
    found = []
    for path in sorted(raw.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    found.append((record.rec_headers.get_header("WARC-Target-URI"),
                                  int(record.http_headers.get_statuscode()), record.rec_headers.get_header(KIND_FIELD)))
    return found


def test_warc_holds_every_response_the_servers_sent(first_crawl: Crawl, sample_sites: SampleSites):
    archived = Counter((urlsplit(url).port, urlsplit(url).path, status)
                       for url, status, _ in archived_responses(first_crawl.raw))
    served = Counter()
    for key, log in first_crawl.requests.items():
        port = urlsplit(sample_sites.servers[key].base_url).port
        served.update((port, path, status) for method, path, status in log if method == "GET")
    assert served and archived == served


def test_every_gold_article_was_fetched_once_and_nothing_else_twice(first_crawl: Crawl):
    articles = Counter(urlsplit(url).path for url, status, kind in archived_responses(first_crawl.raw)
                       if kind == "article" and status == 200)
    assert set(articles) == set(gold())
    assert max(articles.values()) == 1


def test_robots_txt_is_obeyed(first_crawl: Crawl):
    paths = [path for log in first_crawl.requests.values() for _, path, _ in log]
    assert "/robots.txt" in paths
    assert not any(path.startswith("/private/") for path in paths)
    assert "robots-forbidden 1" in first_crawl.output  # the home page links to it: it was refused


def test_redirect_and_missing_page_are_archived_as_served(first_crawl: Crawl):
    responses = {(urlsplit(url).path, status) for url, status, _ in archived_responses(first_crawl.raw)}
    assert ("/news/old-1013.html", 301) in responses
    assert ("/news/202609/t20260928_1013.html", 200) in responses
    assert ("/society/202610/t20261010_1098.html", 404) in responses


def test_state_records_every_article_with_its_validators(first_crawl: Crawl):
    db = sqlite3.connect(first_crawl.data_dir / "state.sqlite")
    rows = db.execute(
        "SELECT url, etag, last_modified, warc_file FROM pages WHERE kind='article' AND status=200"
    ).fetchall()
    assert {urlsplit(url).path for url, *_ in rows} == set(gold())
    assert all(etag and modified and warc for _, etag, modified, warc in rows)


def test_the_run_keeps_the_profiles_it_was_crawled_with(first_crawl: Crawl, sample_sites: SampleSites):
    import json

    stored = json.loads((first_crawl.raw / "sites" / "sample-a.json").read_text(encoding="utf-8"))
    assert stored["name"] == "sample-a" and stored["start_urls"] == [sample_sites.base_url_a + "/"]
    assert stored["article_url"][0].startswith("/\\d{6}/")


def test_recrawl_fetches_no_known_article(processed: Crawl, sample_sites: SampleSites):
    second = crawl(sample_sites, processed.data_dir, "run2")
    article_paths = set(gold())
    fetched = [path for log in second.requests.values() for _, path, _ in log if path in article_paths]
    assert fetched == []
    assert "skipped known" in second.output


def test_revalidation_gets_304_and_adds_no_document(processed: Crawl, sample_sites: SampleSites):
    third = crawl(sample_sites, processed.data_dir, "run3", "--revalidate")
    statuses = Counter(status for log in third.requests.values() for _, path, status in log if path in gold())
    assert statuses == {304: len(gold())}


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_killed_crawl_loses_nothing_and_the_next_run_resumes(sample_sites: SampleSites, tmp_path: Path,
                                                               kill: signal.Signals):
    data_dir = tmp_path / "data"
    slow = ["--set", "DOWNLOAD_DELAY=0.05", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    command = [sys.executable, "-m", "corpus.cli", "crawl", *sample_profiles(sample_sites, tmp_path),
               "--data-dir", str(data_dir), "--run-id", "killed", "--no-progress", *slow]
    victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = data_dir / "state.sqlite"
    deadline = time.monotonic() + 60
    fetched = 0
    while time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
        if state.exists():
            try:
                query = "SELECT COUNT(*) FROM pages WHERE kind='article'"
                fetched = sqlite3.connect(state).execute(query).fetchone()[0]
            except sqlite3.OperationalError:  # schema not written yet
                continue
            if fetched >= 10:
                break
    os.kill(victim.pid, kill)
    code = victim.wait(timeout=60)
    assert 10 <= fetched < len(gold()), "the crawl should be killed mid-way"
    if kill == signal.SIGKILL:
        assert list((data_dir / "raw" / "killed").glob("*.open")), "a killed crawl leaves its WARC open"
    else:  # Scrapy stops cleanly: files closed, "terminated" for the scheduler
        assert code == 143 and not list((data_dir / "raw" / "killed").glob("*.open"))

    resumed = crawl(sample_sites, data_dir, "resumed")
    if kill == signal.SIGKILL:
        assert "recovered" in resumed.output
    assert not list((data_dir / "raw").glob("*/*.open"))
    killed = archived_responses(data_dir / "raw" / "killed")  # readable to the end after recovery
    both = Counter(urlsplit(url).path for raw in ("killed", "resumed")
                   for url, status, kind in archived_responses(data_dir / "raw" / raw)
                   if kind == "article" and status == 200)
    assert set(both) == set(gold())
    # a paginated article whose pages the kill interrupted is left unknown, and the next run fetches it whole
    paginated = {article.path for article in load_articles() if article.pages > 1 or article.full_view}
    finished = {urlsplit(url).path for url, pages in read_article_pages(
        DataLayout(data_dir).article_pages_files("killed")).items() if pages.complete}
    again = {path for path, times in both.items() if times > 1}
    assert len(again - (paginated - finished)) <= 2, "only requests in flight at the kill may be fetched again"
    assert not again & finished, "an article whose pages were all fetched is not fetched again"
    assert len([1 for _, status, kind in killed if kind == "article" and status == 200]) >= fetched


def test_crawls_killed_on_a_fleet_node_reach_the_archive_with_the_next_crawl(sample_sites: SampleSites,
                                                                             tmp_path: Path):
    """A fleet's job copies its run to the shared archive when its engine stops, which a kill -9 never
    lets happen: the next crawl made the killed run's files whole on the node but left them there, and
    its articles, recorded as fetched, were never fetched again: lost to the corpus. The next crawl may be
    killed too: the run is marked on disk until it is copied."""
    data_dir, archive = tmp_path / "node", tmp_path / "shared"
    site_a = sample_profiles(sample_sites, tmp_path)[:2]
    archived = ["--set", f"ZHNEWS_ARCHIVE_URL={archive}", "--data-dir", str(data_dir), "--no-progress"]
    slow = ["--set", "DOWNLOAD_DELAY=0.05", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    for run, articles in (("k1", 10), ("k2", 20)):  # each killed once its articles are past this count
        victim = subprocess.Popen([sys.executable, "-m", "corpus.cli", "crawl", *site_a, *archived, *slow,
                                   "--run-id", run], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        state, deadline, fetched = data_dir / "state.sqlite", time.monotonic() + 60, 0
        while fetched < articles and time.monotonic() < deadline and victim.poll() is None:
            time.sleep(0.05)
            try:
                query = "SELECT COUNT(*) FROM pages WHERE kind='article'"
                fetched = sqlite3.connect(state).execute(query).fetchone()[0]
            except sqlite3.OperationalError:  # not there, or its schema not written yet
                continue
        victim.kill()
        victim.wait(timeout=60)
        assert articles <= fetched < len(gold("a")), "the crawl should be killed mid-way"
    assert not (archive / "raw" / "k1").exists() and not (archive / "raw" / "k2").exists()
    zhnews("crawl", *site_a, *archived, "--run-id", "k3")
    for run in ("k1", "k2"):
        report = json.loads((archive / "raw" / run / "crawl.json").read_text(encoding="utf-8"))
        assert report["sites"]["sample-a"]["outcome"] == "failed" and "killed" in report["sites"]["sample-a"]["detail"]
    assert DataLayout(data_dir).runs_pending_archive() == []
    processing = tmp_path / "processing"
    zhnews("pull", "--archive", str(archive), "--data-dir", str(processing))
    zhnews("process", "--data-dir", str(processing), "--workers", "1", "--no-progress")
    import pyarrow.parquet as pq

    kept = {urlsplit(url).path for path in (processing / "docs").rglob("*.parquet")
            for url in pq.read_table(path, columns=["url"])["url"].to_pylist()}
    assert set(gold("a")) <= kept, f"{len(set(gold('a')) - kept)} articles of the killed crawls never arrived"


def test_a_sigterm_while_the_crawl_starts_stops_every_site_before_any_request(sample_sites: SampleSites,
                                                                             tmp_path: Path):
    """A SIGTERM that lands while the spiders are still opening stops the crawl as one later does: exit
    143, every site stopped cleanly, nothing fetched. Each spider records its start in the crawl state,
    which another writer holds here, so the signal is sent while no spider can have finished opening."""
    from crawler.state import SqliteStateStore

    layout = DataLayout(tmp_path / "data")
    SqliteStateStore(layout.state_db).close()
    other_writer = sqlite3.connect(layout.state_db, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    for server in sample_sites.servers.values():
        server.reset_stats()
    command = [sys.executable, "-m", "corpus.cli", "-v", "crawl", *sample_profiles(sample_sites, tmp_path),
               "--data-dir", str(layout.root), "--run-id", "early", "--no-progress"]
    victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    opening = next((line for line in victim.stderr if "Spider opened" in line), None)
    assert opening, "the crawl never opened a spider"
    os.kill(victim.pid, signal.SIGTERM)
    other_writer.execute("COMMIT")
    other_writer.close()
    out, err = victim.communicate(timeout=60)
    assert victim.returncode == 143, out + err[-3000:]
    assert {key: server.request_log for key, server in sample_sites.servers.items()} == {"a": [], "b": []}
    report = json.loads(layout.crawl_report("early").read_text(encoding="utf-8"))
    assert {site: result["detail"] for site, result in report["sites"].items()} == {
        site: "the crawl did not finish (shutdown)" for site in ("sample-a", "sample-b")}
    assert not list(layout.run_dir("early").glob("*.open")), "a WARC file was left open"


def test_a_running_crawl_is_neither_recovered_nor_processed_by_others(tmp_path: Path):
    """Overlapping runs: the lock of a run in progress keeps its open WARC file and its shards safe."""
    from cleaning.run.run import process_run
    from corpus.files import Busy, exclusive
    from crawler.run_setup import recover_interrupted
    from crawler.warc import RotatingWarcWriter

    layout = DataLayout(tmp_path / "data")
    raw = layout.run_dir("running")
    writer = RotatingWarcWriter(raw, "running-s", 1 << 30)
    writer.write(url="http://127.0.0.1/a.html", status=200, reason="OK", response_headers=[], body=b"<p>x</p>",
                 request_method="GET", request_headers=[], extra_fields={KIND_FIELD: "article"})
    with exclusive(layout.run_lock("running"), "crawl run running", "a crawl"):  # as the crawl holds it while it runs
        assert recover_interrupted(layout) == []
        assert list(raw.glob("*.open"))
        try:
            process_run(layout, "running", progress=False)
        except Busy as error:
            assert "crawl run running is in use by a crawl (pid" in str(error)
        else:
            raise AssertionError("processed a run that is still being crawled")
        from corpus.cli import main

        assert main(["process", "--data-dir", str(layout.root), "--run", "running", "--no-progress"]) == 75
    assert [kept for _, kept in recover_interrupted(layout)] == [3]  # once the crawl is gone: recovered


def test_a_run_stops_at_its_budget_of_articles_and_the_next_goes_on(sample_sites: SampleSites, tmp_path: Path):
    """ZHNEWS_MAX_ARTICLES spreads a flood (or a large site's first crawl) over nights: each run fetches at
    most that many articles a site, and the next fetches others, never the ones already archived."""
    data = tmp_path / "data"
    runs = [crawl(sample_sites, data, run, "--set", "ZHNEWS_MAX_ARTICLES=4") for run in ("n1", "n2")]
    fetched = [{url for url, status, kind in archived_responses(run.raw) if kind == "article"} for run in runs]
    per_site = [Counter(urlsplit(url).port for url in urls) for urls in fetched]
    # the first run fetches its whole budget on each site (an article a feed and a listing both name
    # spends it once); the second, what is left of it
    assert sorted(per_site[0].values()) == [4, 4] and per_site[1] and max(per_site[1].values()) <= 4, per_site
    assert fetched[0] and fetched[1] and not fetched[0] & fetched[1]
    assert "over limit" in runs[0].output


def test_an_existing_run_is_never_crawled_into_again(processed: Crawl):
    import pytest

    from corpus.cli import main

    with pytest.raises(SystemExit, match="crawl run run1 exists already"):
        main(["crawl", "--site", "sample-a", "--var", "base_url=http://127.0.0.1:9",
              "--data-dir", str(processed.data_dir), "--run-id", "run1"])


def test_plain_scrapy_crawl_makes_a_run_that_process_and_build_publish(sample_sites: SampleSites, tmp_path: Path):
    """`scrapy crawl news -a profile=…` (what Scrapyd runs) sets its run up as `zhnews crawl` does."""
    import datasets

    layout = DataLayout(tmp_path / "data")
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "profile=crawler/sites/sample-a.yaml",
               "-a", f"base_url={sample_sites.base_url_a}", "-s", f"ZHNEWS_DATA_DIR={layout.root}",
               "-s", "LOG_LEVEL=WARNING"]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True, timeout=120)
    (run,) = layout.runs()
    assert layout.run_lock(run).is_file()
    assert [path.name for path in layout.site_snapshots(run)] == ["sample-a.json"]
    in_force = json.loads(layout.crawl_config(run, "sample-a").read_text(encoding="utf-8"))
    assert in_force["ZHNEWS_RUN_ID"] == run and in_force["LOG_LEVEL"] == "WARNING"
    assert in_force["AUTOTHROTTLE_ENABLED"] is False  # the profile's own setting, applied by the spider
    shards = layout.shards(run)
    assert shards and all(path.name.startswith(f"{run}-sample-a-") for path in shards)
    assert not list(layout.run_dir(run).glob("*.open"))  # closed, not left for recovery
    articles = {urlsplit(url).path for url, status, kind in archived_responses(layout.run_dir(run))
                if kind == "article" and status == 200}
    site_a = set(gold("a"))
    assert articles == site_a

    zhnews("process", "--data-dir", str(layout.root), "--no-progress")
    zhnews("dedup", "--data-dir", str(layout.root), "--no-progress")
    zhnews("build", "--data-dir", str(layout.root), "--no-progress")
    rows = datasets.load_dataset(str(layout.dataset), split="train")
    assert set(rows["crawl_run"]) == {run} and {urlsplit(url).path for url in rows["url"]} == site_a


def test_recovery_never_locks_a_run_that_has_nothing_to_recover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two crawls starting side by side on one node (a fleet's two sites): the first one's recovery of
    killed crawls must not hold the second one's new run lock, or the second fails as busy."""
    import crawler.run_setup as run_setup
    from crawler.run_setup import recover_interrupted

    layout = DataLayout(tmp_path / "data")
    layout.run_dir("starting").mkdir(parents=True)  # a crawl just starting: its folder, no open file yet
    locked: list[Path] = []
    real = run_setup.exclusive

    def recording(lock: Path, *args: object):
        locked.append(lock)
        return real(lock, *args)

    monkeypatch.setattr(run_setup, "exclusive", recording)
    assert recover_interrupted(layout) == [] and locked == []
