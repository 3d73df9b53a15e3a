"""Near-duplicate detection on synthetic Chinese documents: ours against rensa and datasketch.

One corpus for all: `DOCS` documents of random Chinese word sequences, of which `PLANTED` are copies
of an earlier document with a share of their sentences rewritten, so that their true Jaccard (on
the character 5-grams of the normalised text, computed exactly with Python sets) spreads over
0.4-1.0. Every tool dedups the documents in the same order with the same rule: a document similar
to one already kept is dropped as its copy. A merged pair is (copy, the kept document it was merged
into); precision is the share of merged pairs whose true Jaccard reaches the threshold, recall the
share of planted pairs at or above it that were merged. Each tool runs in its own process; time
excludes reading the corpus, memory is the peak RSS (VmHWM, reset once the corpus is loaded) above
the RSS at that point.

datatrove's MinHash is not measured: datatrove 0.10 pins trafilatura<1.12 and xxhash<4, which break
our pins (../shared/notes/quality-thresholds.md, section B).
"""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DOCS, PLANTED, THRESHOLD, PERMUTATIONS, NGRAM = 50_000, 5_000, 0.7, 128, 5


def _corpus(docs: int, planted: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
    words = ["".join(rng.choices(chars, k=rng.choice((1, 2, 2, 3)))) for _ in range(6000)]

    def sentence() -> str:
        return "".join(rng.choices(words, k=rng.randint(8, 16))) + rng.choice("。，；！")

    originals = docs - planted
    texts = ["\n".join("".join(sentence() for _ in range(3)) for _ in range(rng.randint(4, 8)))
             for _ in range(originals)]
    rows = [{"text": text, "copy_of": None} for text in texts]
    for _ in range(planted):
        base = rng.randrange(originals)
        sentences = texts[base].split("。")
        rewrite = rng.uniform(0.0, 0.5)  # share of sentences rewritten
        copy = "。".join(sentence() if rng.random() < rewrite else s for s in sentences)
        rows.append({"text": copy, "copy_of": base})
    first = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i, row in enumerate(rows):  # originals first: the keep rule (earliest published first) keeps them
        row.update(url=f"http://bench.example.cn/{i}.html", published_at=(first + timedelta(seconds=i)).isoformat(),
                   crawled_at="2026-01-02T00:00:00Z")
    return rows


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _rss_mib() -> float:
    return _status_mib("VmRSS")


def _peak_rss_mib() -> float:
    return _status_mib("VmHWM")


def _shingles(text: str) -> list[str]:
    from cleaning.dedup.minhash import normalise

    chars = normalise(text)
    return [chars[i:i + NGRAM] for i in range(max(1, len(chars) - NGRAM + 1))]


def records_of(rows: list[dict]) -> list[dict]:
    """The corpus as `zhnews process` writes documents (untimed: the peers get the rows as they are)."""
    from corpus.record import RECORD_SCHEMA, document_id, domain_of

    records = []
    for row in rows:
        record = dict.fromkeys(RECORD_SCHEMA.names)
        record.update(id=document_id(row["url"]), url=row["url"], domain=domain_of(row["url"]), text=row["text"],
                      char_count=len(row["text"]), published_at=row["published_at"], crawled_at=row["crawled_at"],
                      crawl_run="bench", period="2026-01")
        records.append(record)
    return records


def _no_earlier_text(run: str, row: int) -> Any:
    raise AssertionError(f"the bench is one run: nothing indexed before it to read back ({run}, {row})")


def run_ours(records: list[dict], work: Path) -> tuple[list[tuple[int, int]], dict]:
    from cleaning.config import load_thresholds
    from cleaning.dedup.index import SqliteDedupIndex
    from cleaning.dedup.stage import deduplicate_records

    position = {record["id"]: i for i, record in enumerate(records)}
    thresholds = {**load_thresholds()["dedup"], "jaccard": THRESHOLD, "permutations": PERMUTATIONS, "ngram": NGRAM}
    index = SqliteDedupIndex(work / "index.sqlite")
    # as `zhnews dedup` runs it: the index keeps where each text is (its row), not its shingle set; the
    # bench is one run, so no earlier text is read back (that path: tests/test_dedup.py)
    decision = deduplicate_records(records, "bench", index, thresholds, shingles_at=_no_earlier_text)
    decision.commit(index, decision.summary.as_stats())
    extra = {"index_bytes": index.size_bytes(), "kept": len(decision.entries),
             "candidates": decision.summary.counters.get("near_text/candidates", 0)}
    index.close()
    return [(position[row["id"]], position[row["duplicate_of"]]) for row in decision.rejected], extra


def _keep_first(signatures: Iterable[Any], query: Callable[[Any], Any], insert: Callable[[int, Any], None]
                ) -> list[tuple[int, int]]:
    """A peer's LSH used as dedup uses it: a document with a candidate among the kept is its copy."""
    merged = []
    for i, signature in enumerate(signatures):
        if found := query(signature):
            merged.append((i, min(found)))
        else:
            insert(i, signature)
    return merged


def run_rensa(rows: list[dict], work: Path) -> tuple[list[tuple[int, int]], dict]:
    from rensa import RMinHash, RMinHashLSH

    signatures = RMinHash.from_token_sets([_shingles(row["text"]) for row in rows], PERMUTATIONS, 42)
    lsh = RMinHashLSH(THRESHOLD, PERMUTATIONS, 32)
    return _keep_first(signatures, lsh.query, lsh.insert), {}


def run_datasketch(rows: list[dict], work: Path) -> tuple[list[tuple[int, int]], dict]:
    from datasketch import MinHash, MinHashLSH

    def signatures() -> Iterator[MinHash]:
        for row in rows:
            signature = MinHash(num_perm=PERMUTATIONS)
            signature.update_batch([s.encode("utf-8") for s in _shingles(row["text"])])
            yield signature

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    return _keep_first(signatures(), lsh.query, lsh.insert), {}


TOOLS = {"ours": run_ours, "rensa": run_rensa, "datasketch": run_datasketch}
PREPARE = {"ours": records_of}
MODULES = {"ours": ["numpy", "cleaning.dedup.stage", "cleaning.config"], "rensa": ["numpy", "rensa"],
           "datasketch": ["numpy", "datasketch"]}


def child(tool: str, corpus: Path, docs: int) -> None:
    rows = PREPARE.get(tool, list)(json.loads(corpus.read_text(encoding="utf-8"))[:docs])
    for module in MODULES[tool]:  # imported before the clock starts
        importlib.import_module(module)

    Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS: reading the corpus is not counted
    baseline = _rss_mib()
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        merged, extra = TOOLS[tool](rows, Path(work))
        seconds = time.perf_counter() - started
    peak = _peak_rss_mib()
    print(json.dumps({"seconds": seconds, "extra_mib": peak - baseline, "merged": merged, **extra}))


def _measure(tool: str, corpus: Path, docs: int) -> dict:
    command = [sys.executable, __file__, "--child", tool, str(corpus), str(docs)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout
    return json.loads(output.strip().splitlines()[-1])


def dedup_section(docs: int = DOCS, planted: int = PLANTED) -> list[str]:
    rows = _corpus(docs, planted)
    shingle_sets = [set(_shingles(row["text"])) for row in rows]

    def true_jaccard(a: int, b: int) -> float:
        return len(shingle_sets[a] & shingle_sets[b]) / len(shingle_sets[a] | shingle_sets[b])

    truth = {i: true_jaccard(i, row["copy_of"]) for i, row in enumerate(rows) if row["copy_of"] is not None}
    positives = {i for i, j in truth.items() if j >= THRESHOLD}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.json"
        corpus.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        for tool in TOOLS:
            results[tool] = _measure(tool, corpus, docs)
        half = _measure("ours", corpus, docs // 2)
    lines = ["", f"## Dedup: {docs:,} synthetic Chinese documents, {planted:,} planted copies "
             f"(true Jaccard {min(truth.values()):.2f}-{max(truth.values()):.2f}; {len(positives):,} at or above "
             f"{THRESHOLD}), character {NGRAM}-grams, {PERMUTATIONS} permutations", "",
             "| tool | seconds | × fastest peer | peak MiB above corpus | merged pairs | precision | recall |",
             "|---|---|---|---|---|---|---|"]
    fastest = min(results[tool]["seconds"] for tool in TOOLS if tool != "ours")
    for tool, result in results.items():
        merged = result["merged"]
        good = sum(true_jaccard(a, b) >= THRESHOLD for a, b in merged)
        found = sum(1 for a, b in merged if a in positives and rows[a]["copy_of"] == b)
        lines.append(f"| {tool} | {result['seconds']:.1f} | {result['seconds'] / fastest:.2f} | "
                     f"{result['extra_mib']:.0f} | {len(merged):,} | {good / max(1, len(merged)):.4f} | "
                     f"{found / max(1, len(positives)):.4f} |")
    ours = results["ours"]
    per_million = ours["index_bytes"] / ours["kept"] * 1_000_000 / 1e9
    lines += ["", f"Ours verified {ours['candidates']:,} LSH candidate pairs by exact Jaccard. Memory with "
              f"{docs // 2:,} documents: {half['extra_mib']:.0f} MiB, with {docs:,}: {ours['extra_mib']:.0f} MiB "
              f"(× {ours['extra_mib'] / max(1.0, half['extra_mib']):.2f} for × 2 documents). Index: "
              f"{ours['index_bytes'] / 2**20:.0f} MiB for {ours['kept']:,} kept documents of about "
              f"{sum(len(r['text']) for r in rows) / len(rows):.0f} characters, {per_million:.2f} GB per million."]
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        print("\n".join(dedup_section(*(int(a) for a in sys.argv[1:3]))))
