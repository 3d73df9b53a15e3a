"""Score main-text extraction on the gold sets: our whole processing pipeline against open extractors.

Prints, per set, macro bag-of-tokens F1, the share of failed pages (F1 < 0.5) and time per page as a
ratio to bare trafilatura, then author/date hits where the gold has them. --dump writes each page's
extracted texts next to its gold, with scores.tsv, for reading the failures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.commands.options import usage_error

# ../shared/eval beside the repo: where the shared gold sets live; tests/eval: the sets the project
# bundles (pages whose licence allows it, with their provenance)
DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
BUNDLED_EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "eval"
SPLITS = ("all", "dev", "test")
HELP = "score extraction quality on the gold sets (ours vs trafilatura, readability, resiliparse)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, action="append", metavar="DIR",
                        help=f"a folder holding gold sets (repeatable; default: {DEFAULT_EVAL_DIR} and the "
                        "project's own tests/eval)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME", help="only this set (repeatable)")
    parser.add_argument("--extractor", nargs="+", default=[], metavar="NAME",
                        help="only these: ours, trafilatura, trafilatura-no-comments, readability-lxml, resiliparse, "
                        "magic-html")
    parser.add_argument("--split", choices=SPLITS, default="all", help="all pages, or the dev/test half")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write per-page texts, gold and F1 here")


def run(args: argparse.Namespace) -> int:
    from cleaning.eval.harness import BadGoldSet, EvalDataMissing, extractor_names, report

    unknown_extractors = [name for name in args.extractor if name not in extractor_names()]
    if unknown_extractors:
        usage_error(f"zhnews eval-extract: no extractor {', '.join(unknown_extractors)} "
                    f"(known: {', '.join(extractor_names())})")
    folders = args.data or [folder for folder in (DEFAULT_EVAL_DIR, BUNDLED_EVAL_DIR) if folder.is_dir()]
    if not folders:
        sys.exit(f"zhnews eval-extract: no gold sets at {DEFAULT_EVAL_DIR} nor {BUNDLED_EVAL_DIR} (use --data)")
    if not args.data and not DEFAULT_EVAL_DIR.is_dir():
        print(f"eval-extract: no gold sets at {DEFAULT_EVAL_DIR}: scoring the bundled sets of {BUNDLED_EVAL_DIR} "
              "alone", file=sys.stderr)
    unknown = [name for name in args.set if not any((folder / name / "items.jsonl").is_file() for folder in folders)]
    if unknown:
        sys.exit(f"zhnews eval-extract: no set {', '.join(unknown)} under {', '.join(map(str, folders))}")
    for folder in folders:
        present = [name for name in args.set if (folder / name / "items.jsonl").is_file()]
        if args.set and not present:
            continue  # the sets asked for live in another folder
        try:
            print(report(folder, present, args.extractor, args.split, args.dump), end="")
        except (EvalDataMissing, BadGoldSet) as error:
            sys.exit(f"zhnews eval-extract: {error}")
    return 0
