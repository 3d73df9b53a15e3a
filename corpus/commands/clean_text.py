"""Clean plain text files with the pipeline's text steps: repair Unicode, punctuation and spacing,
re-join wrapped lines, remove page furniture, and move bylines, sources and captions into metadata.

Writes <name>.clean.json per input into --out, or one JSON line per input to stdout; each result's
"name" is the input's path as given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.commands.options import usage_error

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
        _refuse_shared_outputs(args.files)
        out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for given in args.files:
        file = Path(given)
        try:  # a bad file is reported and skipped: the rest of the batch is still cleaned
            text, charset = decode_plain_text(file.read_bytes())
        except (OSError, ValueError) as error:
            print(f"zhnews clean-text: {file}: skipped, {error}", file=sys.stderr)
            failed += 1
            continue
        result = {**clean_text(text, given), "charset": charset}
        if out_dir is None:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            continue
        write_json(out_dir / _output_name(file), result)
    return 1 if failed else 0


def _output_name(file: Path) -> str:
    return f"{file.stem}.clean.json"


def _refuse_shared_outputs(files: list[str]) -> None:
    """Two inputs that would write one output file (a/x.txt and b/x.txt): the second would replace the
    first, so the batch is refused before anything is written."""
    by_output: dict[str, list[str]] = {}
    for given in files:
        by_output.setdefault(_output_name(Path(given)), []).append(given)
    shared = {name: inputs for name, inputs in by_output.items() if len(inputs) > 1}
    if shared:
        name, inputs = next(iter(shared.items()))
        usage_error(f"zhnews clean-text: {' and '.join(inputs)} would all write {name} in --out; "
                    f"clean them in separate runs, or without --out (JSON lines name each input)")
