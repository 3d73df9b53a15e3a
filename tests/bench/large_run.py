"""Memory of process, dedup and build on one large run (part of `make bench-scale`, not of `make test`).

Processing goes a shard (a WARC file, at most 256 MiB) at a time, so its memory is a shard's: it is
measured on one full shard of article pages of about 1,500 characters (`zhnews process --workers 1`).
dedup and build read a whole run: they are measured on a processed run of 200,000 such documents (a
first crawl of a large site's sitemap, or a year of archives processed again), one in twenty a
reprint of the one before, in files of 10,000 as processing writes them. Each command runs in a
process of its own: its time and peak RSS (the goal: under 2 GB each).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from dedup_growth import Texts  # noqa: E402

from corpus.layout import DataLayout  # noqa: E402
from corpus.record import RECORD_SCHEMA, document_id, domain_of  # noqa: E402
from corpus.run_stats import RunSummary  # noqa: E402
from corpus.warc_format import KIND_FIELD  # noqa: E402
from crawler.warc import RotatingWarcWriter  # noqa: E402

DOCUMENTS, FILE_ROWS, RUN = 200_000, 10_000, "2026-11-01T000000Z"
SHARD_BYTES = 256 << 20  # the crawl's WARC file size (ZHNEWS_WARC_MAX_BYTES)

MEASURED = """
import resource, subprocess, sys, time
started = time.monotonic()
subprocess.run([sys.executable, "-m", "corpus.cli", *sys.argv[1:], "--no-progress"], check=True,
               stdout=subprocess.DEVNULL)
print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def write_run(layout: DataLayout, documents: int) -> None:
    texts = Texts(1)
    layout.docs(RUN).mkdir(parents=True, exist_ok=True)
    previous = ""
    for first in range(0, documents, FILE_ROWS):
        rows = []
        for n in range(first, min(documents, first + FILE_ROWS)):
            text = "澄州讯\n" + previous if n % 20 == 19 else texts.article()
            url = f"http://site{n % 50}.example.cn/a/{n}.html"
            row = dict.fromkeys(RECORD_SCHEMA.names)
            row.update(id=document_id(url), url=url, domain=domain_of(url), text=text, char_count=len(text),
                       title=f"标题{n}", language="zh", published_at="2026-10-01T08:00:00+08:00",
                       crawled_at="2026-11-01T00:00:00Z", crawl_run=RUN, period="2026-10")
            rows.append(row)
            previous = text
        pq.write_table(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), layout.docs(RUN) / f"s{first:07d}.parquet")
    RunSummary(run=RUN, pipeline=[], counters={"kept": documents}).write(layout.run_summary(RUN))


def write_shard(layout: DataLayout, run: str) -> int:
    """One full WARC shard of article pages, as a crawl leaves it; returns the pages."""
    texts, pages = Texts(2), 0
    writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-big", SHARD_BYTES)
    while not writer.files_closed:
        body = "".join(f"<p>{line}</p>" for line in texts.article().split("\n"))
        html = (f"<html><head><meta charset='utf-8'><title>澄州新闻{pages}_澄州网</title></head><body>"
                f"<h1>澄州新闻{pages}</h1><div class='info'>2026-10-01 08:00 来源：澄州日报</div>"
                f"<div class='article'>{body}</div></body></html>").encode("utf-8")
        writer.write(url=f"http://big.example.cn/a/{pages}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")], body=html,
                     request_method="GET", request_headers=[], extra_fields={KIND_FIELD: "article"})
        pages += 1
    return pages  # the writer closed the file when it reached SHARD_BYTES


def measure(*command: str) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", MEASURED, *command], cwd=REPO, capture_output=True, text=True,
                            check=True)
    seconds, megabytes = result.stdout.split()
    return float(seconds), float(megabytes)


def large_run(work: Path, documents: int = DOCUMENTS) -> list[str]:
    shard = DataLayout(work / "shard")
    pages = write_shard(shard, "2026-11-02T000000Z")
    seconds, megabytes = measure("process", "--workers", "1", "--data-dir", str(shard.root))
    lines = [f"| one shard of {pages:,} pages, `zhnews process --workers 1` | {seconds:.1f} | {megabytes:.0f} |"]
    layout = DataLayout(work / "data")
    started = time.monotonic()
    write_run(layout, documents)
    made = time.monotonic() - started
    lines = [f"| what ({documents:,}-document run: {made:.0f} s to make) | seconds | peak RSS MB |", "|---|---|---|",
             *lines]
    for stage in ("dedup", "build"):
        seconds, megabytes = measure(stage, "--data-dir", str(layout.root))
        lines.append(f"| the run, `zhnews {stage}` | {seconds:.1f} | {megabytes:.0f} |")
    return lines


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(large_run(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS)))
