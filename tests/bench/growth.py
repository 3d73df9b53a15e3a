"""`make bench-scale`: what a night costs as the corpus grows (not part of `make test`).

One real night is made first: `zhnews demo` crawls, processes and deduplicates the sample sites. For
each size N, a dataset of N published runs is fabricated from that night's rows (each run a copy with
its own ids, crawl run and period, one ledger entry each), the first build counts every file once,
and then, each in a process of its own: the build of one new night, and a build with nothing new.
Printed per size: their time and peak memory, the card's size and YAML lines, and each time as a
ratio to the smallest size's (1.0 = flat: the night costs the night). Also the crawl state's bytes per
known URL, the dedup of a night as its index grows to 2 million documents (`dedup_growth.py`), and
the memory of process on one full WARC shard and of dedup and build on a 200,000-document run
(`large_run.py`).
Writes <out>/growth.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
from dedup_growth import dedup_growth
from large_run import large_run

REPO = Path(__file__).resolve().parents[2]
SIZES = (10, 100, 1000)

BUILD = """
import resource, sys, time
from pathlib import Path
from corpus.build import build_dataset
from corpus.layout import DataLayout
started = time.monotonic()
summary = build_dataset(DataLayout(Path(sys.argv[1])), progress=False)
print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, summary.total_rows)
"""


def _with(table: pa.Table, name: str, values: list) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, pa.array(values, table.schema.field(name).type))


def fabricate(night: Path, runs: int, out: Path) -> str:
    """A data folder whose dataset holds `runs` published runs made from `night`'s rows, and the night
    itself processed and deduplicated but not built yet; returns the night's run id."""
    (real,) = [path.name for path in (night / "docs").iterdir()]
    rows = pq.read_table(night / "dedup" / real / "docs.parquet")
    data = out / "dataset" / "data"
    entries = []
    for i in range(runs):
        month = i // 30  # a run a night: thirty to a crawl period
        run, period = f"r{i:05d}", f"{2020 + month // 12:04d}-{month % 12 + 1:02d}"
        table = _with(_with(rows, "crawl_run", [run] * rows.num_rows), "period", [period] * rows.num_rows)
        table = _with(table, "id", [f"{i:05x}{row_id[5:]}" for row_id in rows.column("id").to_pylist()])
        (data / period).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, data / period / f"{run}.parquet")
        entries.append({"kind": "run", "run": run, "built_at": "2026-01-01T00:00:00Z", "rows": {period: rows.num_rows},
                        "superseded": 0})
    (out / "dataset" / "changelog.json").write_text(json.dumps(entries), encoding="utf-8")
    for area in ("docs", "stats", "dedup"):
        shutil.copytree(night / area / real, out / area / real)
    return real


def build(data: Path) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", BUILD, str(data)], cwd=REPO, capture_output=True, text=True,
                            check=True)
    seconds, megabytes, _ = result.stdout.split()
    return float(seconds), float(megabytes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        night = Path(tmp) / "night"
        subprocess.run([sys.executable, "-m", "corpus.cli", "demo", "--data-dir", str(night), "--no-progress"],
                       cwd=REPO, capture_output=True, check=True)
        state_urls = 100_000
        per_url, url_length = state_bytes_per_url(night / "state.sqlite", Path(tmp), state_urls)
        rows = []
        for size in args.sizes:
            data = Path(tmp) / f"n{size}"
            fabricate(night, size, data)
            build(data)  # the first: every file counted once (stats kept in the dataset)
            fresh = fabricate_night(data)
            new_night = build(data)
            nothing_new = build(data)
            card = (data / "dataset" / "README.md").read_text(encoding="utf-8")
            header = card.split("---\n")[1]
            rows.append((size, new_night, nothing_new, len(card.encode()), header.count("\n"), fresh))
            shutil.rmtree(data)
    base_new, base_nothing = rows[0][1][0], rows[0][2][0]
    lines = ["| published runs | one new night: build s (× smallest), peak MB | nothing new: s (× smallest) | "
             "card KB / YAML lines |", "|---|---|---|---|"]
    for size, new_night, nothing_new, card_bytes, yaml_lines, _ in rows:
        lines.append(f"| {size} | {new_night[0]:.2f} ({new_night[0] / base_new:.2f}×), {new_night[1]:.0f} | "
                     f"{nothing_new[0]:.2f} ({nothing_new[0] / base_nothing:.2f}×) | "
                     f"{card_bytes / 1024:.0f} / {yaml_lines} |")
    lines += ["", f"Crawl state: {per_url:.0f} bytes per known URL ({state_urls:,} fetches of URLs "
              f"{url_length:.0f} characters long recorded by the crawl's store; looked up one by one, never read "
              "whole at start-up).", "", "Dedup of a night as the index grows (tests/bench/dedup_growth.py):", ""]
    with tempfile.TemporaryDirectory() as tmp:
        lines += dedup_growth(Path(tmp))
    lines += ["", "Memory of one large run (tests/bench/large_run.py):", ""]
    with tempfile.TemporaryDirectory() as tmp:
        lines += large_run(Path(tmp))
    report = "\n".join(lines) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "growth.md").write_text(report, encoding="utf-8")
    print(report, end="")
    return 0


def state_bytes_per_url(night_state: Path, work: Path, urls: int = 100_000) -> tuple[float, float]:
    """Bytes per known URL of a crawl state that `urls` fetches were recorded in through the crawl's own
    store (URLs made from the night's, numbered apart), and their mean length: at the night's 80 URLs
    the file is mostly its fixed pages."""
    from crawler.state import SqliteStateStore

    state = sqlite3.connect(night_state)
    templates = [urlsplit(url) for (url,) in state.execute("SELECT url FROM pages ORDER BY url")]
    state.close()
    store = SqliteStateStore(work / "state.sqlite")
    length = 0
    numbers = list(range(urls))
    random.Random(0).shuffle(numbers)  # a crawl records URLs in the order it finds them, not in key order
    for n in numbers:
        template = templates[n % len(templates)]
        stem, dot, suffix = template.path.rpartition(".")
        url = template._replace(path=f"{stem}_{n}.{suffix}" if dot else f"{template.path.rstrip('/')}/{n}").geturl()
        length += len(url)
        store.record_fetch(url=url, site="s", kind="article", status=200, run_id="20261207T000000Z",
                           etag=f'"{n:x}"', warc_file="20261207T000000Z-s-00000.warc.gz", warc_offset=n * 9000)
    store.close()  # the last connection folds the write-ahead log into the file
    return (work / "state.sqlite").stat().st_size / urls, length / urls


def fabricate_night(data: Path) -> int:
    """The real night's run, under a new id with ids of its own, as the new night to build."""
    (real,) = [path.name for path in (data / "docs").iterdir()]
    new = f"{real}n"
    for area in ("docs", "stats", "dedup"):
        shutil.copytree(data / area / real, data / area / new)
    path = data / "dedup" / new / "docs.parquet"
    table = pq.read_table(path)
    table = _with(_with(table, "crawl_run", [new] * table.num_rows), "id",
                  [f"n{row_id[1:]}" for row_id in table.column("id").to_pylist()])
    pq.write_table(table, path)
    for area in ("docs", "stats", "dedup"):
        shutil.rmtree(data / area / real)
    return table.num_rows


if __name__ == "__main__":
    sys.exit(main())
