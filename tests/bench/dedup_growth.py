"""Dedup of one night as the index grows (part of `make bench-scale`, not of `make test`).

A seed run of 5,000 documents (random Chinese word sequences of about 1,500 characters) goes through
the real dedup stage into a data folder. The index is then grown to each size with fabricated
documents committed 5,000 a run, as nights would commit them (segment merges included): random
bucket keys, each document located at a row of the seed run as an indexed document is located at its
text. At each size three new nights of 5,000 documents, 100 of them reprints of seed documents, are
deduplicated by the stage (`dedup_run`, what `zhnews dedup` calls), each in a process of its own.
Printed per size, of the median night: its time (× the smallest size's), bytes read through read()
calls (SQLite's pages, the candidates' row groups), pages of memory-mapped segments faulted in from
disk, peak RSS, reprints found, and the index's bytes per document.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cleaning.config import load_thresholds  # noqa: E402
from cleaning.dedup.index import IndexEntry, SqliteDedupIndex  # noqa: E402
from cleaning.dedup.stage import dedup_run  # noqa: E402
from corpus.layout import DataLayout  # noqa: E402
from corpus.record import RECORD_SCHEMA, document_id, domain_of  # noqa: E402

SIZES = (100_000, 500_000, 2_000_000)
NIGHT, REPRINTS, CHARS, NIGHTS = 5_000, 100, 1_500, 3

NIGHT_RUN = """
import json, resource, sys, time
from pathlib import Path
from cleaning.config import load_thresholds
from cleaning.dedup.index import SqliteDedupIndex
from cleaning.dedup.stage import dedup_run
from corpus.layout import DataLayout

def io():
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"]), int(fields["read_bytes"])

layout, run = DataLayout(Path(sys.argv[1])), sys.argv[2]
index = SqliteDedupIndex(layout.dedup_index)
rchar, read_bytes = io()
faults = resource.getrusage(resource.RUSAGE_SELF).ru_majflt
started = time.monotonic()
summary = dedup_run(layout, run, index, load_thresholds()["dedup"], progress=False)
seconds = time.monotonic() - started
after = io()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "rchar": after[0] - rchar, "read_bytes": after[1] - read_bytes,
                  "faults": usage.ru_majflt - faults, "rss_mb": usage.ru_maxrss / 1024, "dropped": summary.dropped,
                  "bytes_per_doc": index.size_bytes() / index.db.execute("SELECT count(*) FROM docs").fetchone()[0]}))
"""


class Texts:
    """Random Chinese word sequences, reproducible."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
        self.words = ["".join(self.rng.choices(chars, k=self.rng.choice((1, 2, 2, 3)))) for _ in range(6000)]

    def article(self) -> str:
        paragraphs, size = [], 0
        while size < CHARS:
            paragraph = "".join("".join(self.rng.choices(self.words, k=self.rng.randint(8, 16))) + "。"
                                for _ in range(4))
            paragraphs.append(paragraph)
            size += len(paragraph)
        return "\n".join(paragraphs)


def write_run(layout: DataLayout, run: str, texts: list[str], host: str) -> None:
    """A processed run, as `zhnews process` leaves it."""
    rows = []
    for n, text in enumerate(texts):
        row = dict.fromkeys(RECORD_SCHEMA.names)
        url = f"http://{host}/{run}/{n}.html"
        row.update(id=document_id(url), url=url, domain=domain_of(url), text=text, char_count=len(text),
                   published_at="2026-10-01T08:00:00+08:00", crawled_at=f"{run[:10]}T00:00:00Z", crawl_run=run,
                   period="2026-10")
        rows.append(row)
    layout.docs(run).mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), layout.docs(run) / "part-0.parquet")


def grow(index: SqliteDedupIndex, seed_run: str, start: int, to: int, bands: int, rng: np.random.Generator) -> float:
    """Fabricated documents, 5,000 a run, up to `to` indexed; returns the slowest commit's seconds (a run
    that completes a level of segments merges them)."""
    band_bits = np.arange(bands, dtype=np.int64) << 56
    slowest = 0.0
    for first in range(start, to, NIGHT):
        count = min(NIGHT, to - first)
        keys = (rng.integers(0, 2**56, size=(count, bands), dtype=np.int64) | band_bits).tolist()
        rows = rng.integers(0, NIGHT, size=count).tolist()
        run = f"f{first:09d}"
        entries = [IndexEntry(f"{run}-{n}", seed_run, n, None, keys[n], "2026-01-01T00:00:00Z", rows[n])
                   for n in range(count)]
        started = time.monotonic()
        index.commit(run, entries, {}, {})
        slowest = max(slowest, time.monotonic() - started)
    return slowest


def measure(data: Path, run: str) -> dict:
    result = subprocess.run([sys.executable, "-c", NIGHT_RUN, str(data), run], cwd=REPO, capture_output=True,
                            text=True, check=True)
    return __import__("json").loads(result.stdout)


def dedup_growth(work: Path, sizes: tuple[int, ...] = SIZES) -> list[str]:
    layout = DataLayout(work / "data")
    thresholds = load_thresholds()["dedup"]
    texts = Texts(7)
    seed = [texts.article() for _ in range(NIGHT)]
    seed_run = "2026-10-01T000000Z"
    write_run(layout, seed_run, seed, "seed.example.cn")
    index = SqliteDedupIndex(layout.dedup_index)
    dedup_run(layout, seed_run, index, thresholds, progress=False)
    rng, indexed, rows, slowest = np.random.default_rng(3), NIGHT, [], 0.0
    for number, size in enumerate(sizes):
        slowest = max(slowest, grow(index, seed_run, indexed, size, thresholds["bands"], rng))
        indexed = size
        nights = []
        for repeat in range(NIGHTS):  # the median of three: this machine's times swing by a fifth
            night = f"2026-11-{number + 1:02d}T{repeat:02d}0000Z"
            reprints = ["溪山资讯网讯\n" + seed[n] for n in random.Random(night).sample(range(NIGHT), REPRINTS)]
            write_run(layout, night, [texts.article() for _ in range(NIGHT - REPRINTS)] + reprints,
                      "night.example.cn")
            index.close()
            nights.append(measure(work / "data", night))
            index = SqliteDedupIndex(layout.dedup_index)
            indexed += NIGHT
        rows.append((size, sorted(nights, key=lambda got: got["seconds"])[NIGHTS // 2]))
    index.close()
    base = rows[0][1]["seconds"]
    lines = ["| indexed documents | night of 5,000: s (× smallest) | read() MB | MB faulted from disk | peak RSS MB "
             "| reprints found | index bytes per document |", "|---|---|---|---|---|---|---|"]
    for size, got in rows:
        found = sum(n for key, n in got["dropped"].items() if "duplicate" in key)
        lines.append(f"| {size:,} | {got['seconds']:.2f} ({got['seconds'] / base:.2f}×) | {got['rchar'] / 1e6:.0f} | "
                     f"{got['faults'] * 4096 / 1e6:.0f} | {got['rss_mb']:.0f} | {found}/{REPRINTS} | "
                     f"{got['bytes_per_doc']:.0f} |")
    lines += ["", f"The slowest commit of a run of {NIGHT:,} while the index grew, a night that completes a level of "
              f"segments and merges it: {slowest:.1f} s."]
    return lines


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sizes = tuple(int(arg) for arg in sys.argv[1:]) or SIZES
        print("\n".join(dedup_growth(Path(tmp), sizes)))
