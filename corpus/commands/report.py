"""Report what a run's processing and dedup kept and dropped: per step, per reason, with examples.

Reads data/stats/<run>/summary.json and dedup.json for the counts and data/rejects/<run>/ for the
examples. Without RUN: the newest processed run. The dataset card carries the same counts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from corpus.commands.options import add_data_dir, run_id

HELP = "per-step kept/dropped counts and reasons of a run, with examples"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", nargs="?", metavar="RUN", type=run_id,
                        help="the run (default: the newest processed run)")
    add_data_dir(parser, "reads stats/ and rejects/", existing=True)
    parser.add_argument("--examples", type=int, default=3, help="examples shown per reason")
    parser.add_argument("--by-site", action="store_true",
                        help="per site instead: articles fetched, documents kept, dropped by reason, new rows")


def render_by_site(layout: Any, run: str) -> str:
    from corpus.yields import site_yields

    lines = [f"report {run}, by site"]
    for site, found in sorted(site_yields(layout, run).items()):
        fetched = "not crawled in this run" if found.fetched is None else f"{found.fetched} articles fetched"
        new = "not deduplicated yet" if found.new_rows is None else f"{found.new_rows} new rows"
        lines.append(f"\n{site}: {fetched} ({found.outcome or 'no crawl report'}), {found.kept} kept by processing, "
                     f"{new}")
        for reason, n in sorted(found.dropped.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    {reason}: {n}")
    return "\n".join(lines)


def _examples(rejects: Path, step: str, limit: int) -> dict[str, list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    found: dict[str, list[dict[str, Any]]] = {}
    columns = ["url", "title", "text", "reject_reason", "duplicate_of", "similarity"]
    for path in sorted((rejects / step).glob("*.parquet")):
        for row in pq.read_table(path, columns=columns).to_pylist():
            bucket = found.setdefault(row["reject_reason"], [])
            if len(bucket) < limit:
                bucket.append(row)
    return found


def _example_line(row: dict[str, Any]) -> str:
    text = " ".join((row["text"] or "").split())[:50]
    duplicate = f"  ≈ {row['duplicate_of']} (Jaccard {row['similarity']})" if row.get("duplicate_of") else ""
    return f"      {row['url']}  {row['title'] or ''!r}  {text!r}{duplicate}"


def render(layout: Any, run: str, limit: int) -> str:
    from corpus.run_stats import DedupStats, RunSummary, dropped_by_step

    summary = RunSummary.read(layout.run_summary(run), run)
    order = [step["step"] for step in summary.pipeline]
    sections: list[tuple[str, Any, list[str]]] = [("process", summary, order)]
    if layout.dedup_stats(run).exists():
        dedup = DedupStats.read(layout.dedup_stats(run), run)
        sections.append(("dedup", dedup, ["withdrawn", "same_url", "exact_text", "near_text"]))
    lines = [f"report {run}"]
    for stage, stats, steps in sections:
        counters = stats.counters
        reasons = dropped_by_step(counters)
        entered = getattr(stats, "documents", None)
        lines.append(f"\n{stage}" + (f": {entered} documents in, {stats.kept} kept" if entered is not None else ""))
        for step in steps:
            if step == "withdrawn" and stage == "dedup" and "withdrawn/dropped" not in counters:
                continue  # nothing was withdrawn since the run was processed
            dropped = counters.get(f"{step}/dropped", 0)
            kept = counters.get(f"{step}/kept")
            lines.append(f"  {step:<30} {'' if kept is None else f'kept {kept:<6}'} dropped {dropped}")
            if not dropped:
                continue
            examples = _examples(layout.rejects(run), step, limit)
            for reason, n in sorted(((r, n) for (s, r), n in reasons.items() if s == step), key=lambda item: -item[1]):
                lines.append(f"    {reason}: {n}")
                lines += [_example_line(row) for row in examples.get(reason, [])]
    if len(sections) == 1:
        lines.append("\ndedup: not run yet (`zhnews dedup`)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from corpus.layout import DataLayout

    layout = DataLayout(args.data_dir)
    processed = [run for run in layout.processed_runs() if layout.run_summary(run).exists()]
    run_id = args.run or (processed[-1] if processed else None)
    if run_id is None or run_id not in processed:
        sys.exit(f"zhnews report: no processed run {run_id or ''} under {layout.root} "
                 f"(processed: {', '.join(processed) or 'none'})")
    print(render_by_site(layout, run_id) if args.by_site else render(layout, run_id, args.examples))
    return 0
