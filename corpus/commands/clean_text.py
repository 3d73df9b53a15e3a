"""Clean plain text files with the pipeline's text steps: repair Unicode, punctuation and spacing,
re-join wrapped lines, remove page furniture, and move bylines, sources and captions into metadata.

Writes <name>.clean.json per input into --out, or one JSON line per input to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "clean plain text files (repair, furniture, bylines) and write JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files to clean")
    parser.add_argument(
        "--out", metavar="DIR", help="write <name>.clean.json here (default: JSON lines to stdout)"
    )


def run(args: argparse.Namespace) -> int:
    from cleaning.run.plain_text import clean_text  # ftfy, yaml: loaded only when the command runs
    from corpus.files import write_json

    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    for file in map(Path, args.files):
        result = clean_text(file.read_text(encoding="utf-8"), file.name)
        if out_dir is None:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            continue
        write_json(out_dir / f"{file.stem}.clean.json", result)
    return 0
