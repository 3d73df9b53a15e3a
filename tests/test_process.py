"""Processing the crawled sample sites: charsets, extraction against gold, rejects, resumability."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from articles import ARTICLE, page

from cleaning.config import ProcessConfig
from cleaning.eval.metric import score
from cleaning.run.run import process_run
from conftest import REPO, Crawl
from corpus.layout import DataLayout, shard_name
from crawler.sample_site import gold, load_articles
from crawler.sample_site.content import load_sites
from crawler.warc import RotatingWarcWriter


def kept_documents(crawl: Crawl) -> dict[str, dict]:
    rows = [row for path in sorted((crawl.data_dir / "docs" / crawl.run_id).glob("*.parquet"))
            for row in pq.read_table(path).to_pylist()]
    return {urlsplit(row["url"]).path: row for row in rows}


def without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_article_is_kept_once(processed: Crawl):
    assert set(kept_documents(processed)) == set(gold())


def test_paginated_sample_articles_are_one_document_each(processed: Crawl):
    """The sample site serves three articles in pages (gmw's `_2`, people.cn's `-2`, and one with a
    one-page view); each is one row, whole (its text against the gold: test_texts_match_the_gold)."""
    rows = kept_documents(processed)
    paged = {a.slug: (rows[a.path]["pages"], rows[a.path]["pages_missing"]) for a in load_articles() if a.pages > 1}
    assert paged == {"1001": (1, 0), "1004": (3, 0), "1008": (2, 0)}  # 1001: its one-page view, one page
    assert not [path for path in rows if "_all." in path or "_2." in path or "-2." in path]


def test_gbk_pages_keep_their_gbk_only_characters(processed: Crawl):
    docs = kept_documents(processed)
    gb_articles = [a for a in load_articles() if a.charset != "utf-8"]
    assert len(gb_articles) >= 10
    for article in gb_articles:
        doc = docs[article.path]
        assert "\ufffd" not in doc["text"] and doc["charset"] == "gb18030"
        rare = [ch for ch in article.text if ch.encode("gbk", "ignore") and not ch.encode("gb2312", "ignore")]
        assert rare and all(ch in doc["text"] for ch in rare), article.path


def test_texts_match_the_gold(processed: Crawl):
    """Character for character; only whitespace may differ (the layout-space rule joins '记者 郭晓')."""
    docs = kept_documents(processed)
    for path, expected in gold().items():
        doc = docs[path]
        assert without_spaces(doc["text"]) == without_spaces(expected["text"]), path
        assert doc["title"] == expected["title"]
        assert doc["published_at"] == expected["published_at"]
        assert score(doc["text"], expected["text"]).f1 == 1.0


def test_no_widget_line_survives(processed: Crawl):
    sites = load_sites()
    furniture = [text for site in sites.values() for _, text in site.comments]
    furniture += [name for site in sites.values() for name, *_ in site.downloads]
    furniture += [site.labels[k] for site in sites.values() for k in ("comments", "downloads", "related", "mood")]
    for path, doc in kept_documents(processed).items():
        for line in furniture:
            assert line not in doc["text"], (path, line)


def test_the_missing_page_is_a_reject_with_its_reason(processed: Crawl):
    rejects = pq.read_table(processed.data_dir / "rejects" / processed.run_id / "decode").to_pylist()
    assert [(urlsplit(r["url"]).path, r["reject_step"], r["reject_reason"]) for r in rejects] == [
        ("/society/202610/t20261010_1098.html", "decode", "http_status_404")]


def test_rerun_skips_done_shards_and_resumes_a_lost_one(processed: Crawl):
    layout, run = DataLayout(processed.data_dir), processed.run_id
    again = process_run(layout, run, ProcessConfig(), progress=False)
    assert again.shards_done == 0 and again.shards_skipped == len(layout.shards(run))
    lost = shard_name(layout.shards(run)[0])
    before = layout.shard_docs(run, lost).read_bytes()
    layout.shard_stats(run, lost).unlink()  # as if killed before the marker
    resumed = process_run(layout, run, ProcessConfig(), progress=False)
    assert resumed.shards_done == 1
    redone = pq.read_table(layout.shard_docs(run, lost)).column("text").to_pylist()
    assert redone == pq.read_table(pa.BufferReader(before)).column("text").to_pylist()
    assert resumed.totals["kept"] == len(gold())


def crawled_run(layout: DataLayout, run: str, pages: int = 20) -> None:
    """A crawl run of `pages` distinct articles in one WARC file, not processed yet."""
    writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-s", 1 << 30)
    for i in range(pages):
        writer.write(url=f"http://news.example.cn/{run}/t20261101_{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page(i, run),
                     request_method="GET", request_headers=[], extra_fields=ARTICLE)
    writer.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="stops a process with SIGSTOP")
def test_a_second_process_on_the_same_data_exits_75_at_once_and_the_first_does_every_run(tmp_path: Path):
    """Two `zhnews process` on one data folder: the second exits 75 before it touches any run, and the
    first processes every run and exits 0. The first is held still (SIGSTOP) once it has begun its first
    run, so the second surely starts while the first works."""
    layout = DataLayout(tmp_path / "data")
    runs = [f"run{n}" for n in range(4)]
    for run in runs:
        crawled_run(layout, run)
    command = [sys.executable, "-m", "corpus.cli", "process", "--data-dir", str(layout.root), "--workers", "1",
               "--no-progress"]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    begun, deadline = layout.run_lock(runs[0]), time.monotonic() + 60
    while not (begun.exists() and f"pid {first.pid}" in begun.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGSTOP)
    try:
        second = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=120)
    assert second.returncode == 75 and "in use by zhnews process" in second.stderr, second.stdout + second.stderr
    assert second.stdout == "", "the second command touched a run"
    assert first.returncode == 0, out + err
    assert "skipped" not in out and all(layout.run_summary(run).exists() for run in runs)
