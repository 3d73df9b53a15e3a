"""Remove duplicates from processed runs: the same URL, the same text, and near-copies (reprints).

Reads data/docs/<run>/; writes data/dedup/<run>/docs.parquet (what `zhnews build` publishes), the
dropped copies to data/rejects/<run>/<layer>/dedup.parquet with the id each duplicates, and
stats/<run>/dedup.json. Each run is compared with every run deduplicated before it, through the index
in data/dedup/index.sqlite, without re-reading their text. Runs go oldest first, each once: safe to
re-run, and a killed run is redone from the start. Hashing runs on `--engine` (a local pool, or Ray
tasks); matching runs in this process, so the clusters are the same on either.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.commands.options import add_data_dir, add_engine, executor_from, show_progress

HELP = "drop same-URL, same-text and near-duplicate documents, across runs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_dir(parser, "reads docs/, writes dedup/, rejects/, stats/", existing=True)
    parser.add_argument("--thresholds", type=Path, metavar="FILE",
                        help="YAML overriding the `dedup` section of cleaning/thresholds.yaml")
    add_engine(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from cleaning.config import load_thresholds
    from cleaning.dedup.stage import dedup_runs, runs_to_dedup
    from corpus.layout import DataLayout

    try:
        thresholds = load_thresholds(args.thresholds)["dedup"]
    except (OSError, ValueError) as error:
        sys.exit(f"zhnews dedup: bad --thresholds: {error}")
    layout = DataLayout(args.data_dir.absolute())
    executor = executor_from(args, "dedup")
    try:
        runs = runs_to_dedup(layout)
        if not runs:
            print(f"dedup: nothing to do (every processed run under {layout.root} is deduplicated)")
            return 0
        for summary in dedup_runs(layout, runs, thresholds, show_progress(args), executor):
            print(summary.render())
    finally:
        executor.close()
    return 0
