"""Memory of dedup and build on one large run (part of `make bench-scale`, not of `make test`).

A processed run of 200,000 documents of about 1,500 characters (a first crawl of a large site's
sitemap, or a year of archives processed again), one in twenty a reprint of the one before, written
in files of 10,000 as `zhnews process` writes shards. Then `zhnews dedup` and `zhnews build`, each in a
process of its own: time and peak RSS (the goal: under 2 GB each).
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

DOCUMENTS, FILE_ROWS, RUN = 200_000, 10_000, "2026-11-01T000000Z"

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


def measure(*command: str) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", MEASURED, *command], cwd=REPO, capture_output=True, text=True,
                            check=True)
    seconds, megabytes = result.stdout.split()
    return float(seconds), float(megabytes)


def large_run(work: Path, documents: int = DOCUMENTS) -> list[str]:
    layout = DataLayout(work / "data")
    started = time.monotonic()
    write_run(layout, documents)
    made = time.monotonic() - started
    lines = [f"| {documents:,}-document run ({made:.0f} s to make) | seconds | peak RSS MB |", "|---|---|---|"]
    for stage in ("dedup", "build"):
        seconds, megabytes = measure(stage, "--data-dir", str(layout.root))
        lines.append(f"| `zhnews {stage}` | {seconds:.1f} | {megabytes:.0f} |")
    return lines


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(large_run(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS)))
