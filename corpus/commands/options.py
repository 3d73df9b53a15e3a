"""Options several commands share, each defined once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_data_dir(parser: argparse.ArgumentParser, what: str) -> None:
    from corpus.layout import DEFAULT_ROOT

    parser.add_argument("--data-dir", type=Path, default=DEFAULT_ROOT, help=f"the data folder: {what}")


def add_workers(parser: argparse.ArgumentParser) -> None:
    from cleaning.run.executor import DEFAULT_WORKERS

    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processing worker processes")


def name_value_pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    """`--var NAME=VALUE` / `--set NAME=VALUE` options as a mapping; anything else is a usage error."""
    pairs = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            sys.exit(f"zhnews: {flag} takes NAME=VALUE, got {value!r}")
        pairs[name] = rest
    return pairs
