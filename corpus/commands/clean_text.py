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
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="text files to clean (UTF-8, UTF-16 with a BOM, GBK/GB18030 or Big5)")
    parser.add_argument(
        "--out", metavar="DIR", help="write <name>.clean.json here (default: JSON lines to stdout)"
    )


def run(args: argparse.Namespace) -> int:
    from cleaning.run.plain_text import clean_text  # ftfy, yaml: loaded only when the command runs
    from cleaning.steps.decode import decode_plain_text
    from corpus.files import write_json

    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for file in map(Path, args.files):
        try:  # a bad file is reported and skipped: the rest of the batch is still cleaned
            text, charset = decode_plain_text(file.read_bytes())
        except (OSError, ValueError) as error:
            print(f"zhnews clean-text: {file}: skipped, {error}", file=sys.stderr)
            failed += 1
            continue
        result = {**clean_text(text, file.name), "charset": charset}
        if out_dir is None:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            continue
        write_json(out_dir / f"{file.stem}.clean.json", result)
    return 1 if failed else 0
