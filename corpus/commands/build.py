"""Build the Hugging Face dataset from processed runs: data/dataset/data/<period>/<run>.parquet + README.md.

A run is published once, into new files; a file that holds a revised article's earlier version or a
withdrawn row is rewritten without it under a new name, so every file holds current rows only. The
card (schema, statistics, processing steps, changelog) is drawn again whenever what it shows changed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus.commands.options import add_data_dir, show_progress

HELP = "write processed documents as a Hugging Face dataset (hub layout + card)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_dir(parser, "reads docs/ and stats/, writes dataset/", existing=True)
    parser.add_argument("--out", type=Path, help="dataset folder (default: DATA_DIR/dataset)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from corpus.build import build_dataset
    from corpus.layout import DataLayout

    print(build_dataset(DataLayout(args.data_dir), args.out, progress=show_progress(args)).render())
    return 0
