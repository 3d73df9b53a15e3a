"""Crawl news sites into data/raw/<run-id>/*.warc.gz (every response archived) and data/state.sqlite.

Sites are given as bundled profile names (crawler/sites/NAME.yaml) or paths to YAML profiles.
`--sample` serves the bundled offline sample sites on 127.0.0.1 and crawls them: no network needed.
Re-running is incremental: articles already archived are skipped unless the sitemap says they changed.
"""

from __future__ import annotations

import argparse
import signal
import sys

from corpus.commands.options import add_data_dir, name_value_pairs

HELP = "crawl site profiles (or --sample) into WARC files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", action="append", metavar="PROFILE",
                        help="a bundled profile name or a path to a YAML profile (repeatable)")
    parser.add_argument("--sample", action="store_true", help="serve and crawl the bundled sample sites")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE",
                        help="value for ${NAME} in the profiles (repeatable)")
    add_data_dir(parser, "raw/ and state.sqlite go here")
    parser.add_argument("--run-id", help="name of this run (default: the UTC start time)")
    parser.add_argument("--set", action="append", metavar="SETTING=VALUE", dest="settings",
                        help="override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2 (repeatable)")
    parser.add_argument("--revalidate", action="store_true",
                        help="re-check every known article with a conditional request (ETag / Last-Modified)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _typed(overrides: dict[str, str]) -> dict[str, object]:
    """--set values take the type of the setting's default (a number, a flag): a value that does not
    fit is an error now, not a crawl that dies later inside Scrapy."""
    from scrapy.settings import Settings

    defaults = Settings()
    defaults.setmodule("crawler.settings")
    typed: dict[str, object] = {}
    for name, value in overrides.items():
        default = defaults.get(name)
        try:
            if isinstance(default, bool):
                typed[name] = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}[
                    value.strip().lower()]
            elif isinstance(default, float):
                typed[name] = float(value)
            elif isinstance(default, int):
                typed[name] = int(value)
            else:
                typed[name] = value
        except (KeyError, ValueError):
            kind = {bool: "true or false", int: "a whole number"}.get(type(default), "a number")
            sys.exit(f"zhnews crawl: --set {name}={value!r}: {name} takes {kind} (default {default!r})")
    return typed


def run(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from corpus.layout import DataLayout
    from crawler.profile import ProfileError, load_profile
    from crawler.run import run_crawl
    from crawler.run_setup import RunExists

    if not args.site and not args.sample:
        sys.exit("zhnews crawl: name at least one --site PROFILE, or --sample")
    variables = name_value_pairs(args.var, "--var")
    overrides = _typed(name_value_pairs(args.settings, "--set"))
    with ExitStack() as stack:
        try:
            profiles = [load_profile(site, variables) for site in args.site or []]
            if args.sample:
                from crawler.sample_site.server import serve_sample_sites

                servers = stack.enter_context(serve_sample_sites())
                profiles += [
                    load_profile("sample-a", {**variables, "base_url": servers.base_url_a}),
                    load_profile("sample-b", {**variables, "base_url": servers.base_url_b}),
                ]
        except ProfileError as error:
            sys.exit(f"zhnews crawl: {error}")
        try:
            summary = run_crawl(profiles, DataLayout(args.data_dir), args.run_id, overrides, args.revalidate,
                                progress=not args.no_progress)
        except RunExists as error:
            sys.exit(f"zhnews crawl: {error}")
    print(summary.render())
    if summary.interrupted():  # SIGTERM or Ctrl-C: Scrapy stopped cleanly, the next crawl resumes
        return 128 + signal.SIGTERM
    return 1 if summary.failures() else 0
