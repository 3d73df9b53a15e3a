"""Process crawled WARC files into documents: decode → extract → repair → strip furniture →
annotate → filter.

Reads data/raw/<run>/*.warc.gz, writes data/docs/<run>/*.parquet (kept), data/rejects/<run>/<step>/
(dropped, with the reason) and data/stats/<run>/. Shards already done are skipped, so this is safe to
re-run and resumes after a kill. Without --run, every run with unprocessed shards is processed.
One `process` works on a data folder at a time: a second exits 75 at once, before it touches a run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.commands.options import add_data_dir, add_engine, executor_from, run_id, show_progress

if TYPE_CHECKING:
    from cleaning.config import ProcessConfig
    from cleaning.run.executor import Executor
    from corpus.layout import DataLayout

HELP = "extract and clean archived pages into document parquet files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from cleaning.config import ProcessConfig

    defaults = ProcessConfig()
    add_data_dir(parser, "reads raw/, writes docs/, rejects/, stats/", existing=True)
    parser.add_argument("--run", action="append", metavar="RUN_ID", type=run_id,
                        help="process only this run (repeatable; without it: every run with unprocessed shards)")
    add_engine(parser)
    parser.add_argument("--thresholds", type=Path, metavar="FILE",
                        help="YAML overriding the filter thresholds of cleaning/thresholds.yaml, by section and key")
    parser.add_argument("--timeout", type=float, default=defaults.page_timeout_seconds,
                        help="seconds one page may take through every step before it is dropped as 'timeout'")
    parser.add_argument("--repeated-min-docs", type=int, default=defaults.repeated_line_min_docs,
                        help="a line in at least this many documents of a domain ...")
    parser.add_argument("--repeated-min-share", type=float, default=defaults.repeated_line_min_share,
                        help="... and in at least this share of them is that site's furniture")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """One `process` per data folder: a second exits 75 (Busy) before it touches a run. Runs are
    locked one by one as well, against a crawl still writing one."""
    from cleaning.config import ProcessConfig, load_thresholds
    from corpus.files import exclusive
    from corpus.layout import DataLayout

    layout = DataLayout(args.data_dir.absolute())  # absolute: workers elsewhere resolve it the same way
    missing = [run for run in args.run or [] if not layout.run_dir(run).is_dir()]
    if missing:
        sys.exit(f"zhnews process: no crawl run {', '.join(missing)} under {layout.raw}")
    try:
        thresholds = load_thresholds(args.thresholds)
    except (OSError, ValueError) as error:
        sys.exit(f"zhnews process: bad --thresholds: {error}")
    config = ProcessConfig(thresholds=thresholds, page_timeout_seconds=args.timeout,
                           repeated_line_min_docs=args.repeated_min_docs,
                           repeated_line_min_share=args.repeated_min_share)
    executor = executor_from(args, "process")
    try:
        with exclusive(layout.process_lock, f"processing of {layout.root}", "zhnews process"):
            return _process_runs(args, layout, config, executor)
    finally:
        executor.close()


def _process_runs(args: argparse.Namespace, layout: DataLayout, config: ProcessConfig, executor: Executor) -> int:
    """The runs asked for, or every run with unprocessed shards; 75 when a crawl still writing one
    made us skip it (the next `zhnews process` takes it), 1 when a killed import left one (the other
    runs are processed)."""
    from cleaning.run.run import UnfinishedImport, process_run, runs_to_process
    from corpus.files import EXIT_BUSY, Busy

    runs = args.run or runs_to_process(layout)
    if not runs:
        print(f"process: nothing to do (every run under {layout.raw} is processed)")
        return 0
    busy, unfinished = [], []
    for run in runs:
        try:
            print(process_run(layout, run, config, executor, progress=show_progress(args)).render())
        except Busy as error:
            print(f"process {run}: skipped, {error}")
            busy.append(run)
        except UnfinishedImport as error:
            print(f"process {run}: refused, {error}")
            unfinished.append(run)
    return 1 if unfinished else EXIT_BUSY if busy else 0
