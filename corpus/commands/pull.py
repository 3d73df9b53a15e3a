"""Bring the runs a crawl fleet archived (`zhnews crawl --scrapyd … --archive URL`) into the data
folder, for `zhnews process`: every whole run that data/raw/ lacks is downloaded and renamed into
place. A run still arriving is left for the next pull. A folder archive needs no pull: process it
in place with --data-dir."""

from __future__ import annotations

import argparse

from corpus.commands.options import add_data_dir

HELP = "copy a fleet's archived runs (a folder or an fsspec URL) into data/raw/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", required=True, metavar="FOLDER_OR_URL",
                        help="the fleet's shared archive (credentials from the environment, as fsspec reads them)")
    add_data_dir(parser, "runs go to raw/")


def run(args: argparse.Namespace) -> int:
    from corpus.layout import DataLayout
    from crawler.shared_archive import pull_runs

    layout = DataLayout(args.data_dir)
    pulled = pull_runs(args.archive, layout)
    print(f"pull: {len(pulled)} run(s) from {args.archive} → {layout.raw}" + "".join(f"\n  {run}" for run in pulled))
    return 0
