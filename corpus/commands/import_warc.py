"""Turn WARC files someone else crawled (Common Crawl's CC-NEWS, a Heritrix, wget or Browsertrix crawl,
an old archive) into a raw run, then `zhnews process` it like any crawl.

Records are kept when a profile allows their host (every bundled real-site profile unless `--site`
names some); the rest are counted and skipped, and so are records their archiver truncated, revisits and
records whose URL or status line cannot be read (the first ten named). Inputs are streamed: a large
file needs no more memory than its largest page. `.warc` and `.warc.gz` (compressed record by record)
both read; an input that is not a WARC file, breaks off, or holds a record without WARC-Target-URI is
named and the others are still imported. Exit 1 when anything was named. A killed import leaves its
run marked unfinished: `process` refuses it, and the same command again starts it over.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from corpus.commands.options import add_data_dir, name_value_pairs, run_id, warn_of_run_order

if TYPE_CHECKING:
    from crawler.profile import SiteProfile

HELP = "import WARC files crawled elsewhere as a raw run"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE_OR_URL", help="WARC files (.warc, .warc.gz) or http(s) URLs")
    parser.add_argument("--site", action="append", metavar="PROFILE",
                        help="keep only the hosts of this profile (repeatable; default: every bundled real site)")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profiles")
    parser.add_argument("--run-id", type=run_id, help="name of the run (default: the UTC start time, which keeps "
                        "runs in name order, the order every stage takes them in; e.g. 20250101T000000Z-ccnews)")
    add_data_dir(parser, "the run goes to raw/<run>/")


def run(args: argparse.Namespace) -> int:
    from cleaning.config import ProcessConfig
    from corpus.layout import DataLayout
    from crawler.profile import ProfileError, load_profile
    from crawler.run_setup import new_run_id
    from crawler.warc_import import WarcImportError, import_warcs

    variables = name_value_pairs(args.var, "--var")
    try:
        profiles = [load_profile(name, variables) for name in args.site] if args.site else _bundled(variables)
    except ProfileError as error:
        sys.exit(f"zhnews import-warc: {error}")
    layout, run = DataLayout(args.data_dir), args.run_id or new_run_id()
    warn_of_run_order(layout, run, "import-warc")
    try:
        summary = import_warcs(args.inputs, profiles, layout, run, ProcessConfig().max_page_bytes)
    except WarcImportError as error:
        sys.exit(f"zhnews import-warc: {error}")
    print(summary.render())
    return 1 if summary.problems else 0


def _bundled(variables: dict[str, str]) -> list[SiteProfile]:
    """Every bundled real-site profile whose hosts do not wait on a variable. An import reads no entry
    point, so a variable left unset there (paper-ce's `${date}`, the issue in its start URL) is left
    empty; a profile whose host it fills (the sample sites' `${base_url}`) is no longer a valid one."""
    from crawler.profile import SITES_DIR, ProfileError, load_profile, variables_of

    profiles = []
    for path in sorted(SITES_DIR.glob("*.yaml")):
        unset = dict.fromkeys(set(variables_of(path.read_text(encoding="utf-8"))) - set(variables), "")
        try:
            profiles.append(load_profile(str(path), {**unset, **variables}))
        except ProfileError:
            if not unset:
                raise
    return profiles
