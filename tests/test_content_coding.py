"""Every content coding the crawl accepts is read back by processing, bounded: br, zstd, x-gzip,
deflate and stacked codings, and a compression bomb in each (tests/fault_site.py `/coded/`)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pyarrow.parquet as pq
import pytest
from fault_site import CODINGS, encode, serve_fault_site
from test_hostile import profile, zhnews

from corpus.content_coding import CodingError, codings, decode_content
from corpus.layout import DataLayout


@pytest.mark.parametrize("coding", [*CODINGS, "gzip"])
def test_each_coding_decodes_and_stops_at_the_limit(coding: str):
    body = "正文".encode() * 1000
    header = coding if coding == "x-gzip" else coding.replace("-", ", ")
    assert decode_content(encode(body, coding), header, limit=len(body)) == body
    assert len(decode_content(encode(body, coding), header, limit=100)) == 101  # cut: "too large"


def test_concatenated_gzip_members_and_raw_deflate_decode_whole():
    assert decode_content(gzip.compress(b"a" * 10) + gzip.compress(b"b" * 10), "gzip", 100) == b"a" * 10 + b"b" * 10
    assert decode_content(gzip.compress(b"a" * 10) + b"\0\0junk", "gzip", 100) == b"a" * 10  # padding after it
    raw = zlib.compressobj(wbits=-15)
    assert decode_content(raw.compress(b"xyz" * 5) + raw.flush(), "deflate", 100) == b"xyz" * 5


def test_unknown_or_damaged_codings_are_errors_not_garbage():
    assert codings("gzip, identity, BR") == ["gzip", "br"]
    with pytest.raises(CodingError, match="unknown content coding 'compress'"):
        decode_content(b"x", "compress", 100)
    with pytest.raises(CodingError, match="damaged br"):
        decode_content(brotli.compress(b"x" * 1000)[:-5] + b"junk", "br", 10_000)


def test_coded_articles_are_processed_and_coded_bombs_rejected(tmp_path: Path):
    with serve_fault_site() as site:
        config = profile(site, tmp_path, start_urls=[f"{site.base_url}/coded/"], sitemaps=[],
                         article_url=r"/coded/[\w-]+\.html$")
        crawled = zhnews("crawl", "--site", str(config), "--data-dir", str(tmp_path / "data"), "--run-id", "r1",
                         "--no-progress")
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    processed = zhnews("process", "--data-dir", str(tmp_path / "data"), "--workers", "1", "--no-progress")
    assert processed.returncode == 0, processed.stdout + processed.stderr
    layout = DataLayout(tmp_path / "data")
    titles = {row["url"].rsplit("/", 1)[1]: row["title"] for path in layout.run_docs("r1")
              for row in pq.read_table(path, columns=["url", "title"]).to_pylist()}
    assert titles == {f"{name}.html": title for name, title in CODINGS.items()}
    rejected = {row["url"].rsplit("/", 1)[1]: row["reject_reason"] for path in layout.rejects("r1").rglob("*.parquet")
                for row in pq.read_table(path, columns=["url", "reject_reason"]).to_pylist()}
    # a bomb the crawl refused is never archived as an article; one it archived is dropped as too large
    assert all(reason == "too_large" for name, reason in rejected.items() if name.startswith("bomb-")), rejected
    assert not set(rejected) - {f"bomb-{name}.html" for name in CODINGS}
