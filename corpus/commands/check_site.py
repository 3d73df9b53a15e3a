"""A live canary for one site profile: crawl a few of its articles now, process them, say what was found.

Profiles for real sites are written from what their pages looked like when the profile was made;
sites change. This crawls the profile's entry points and at most --limit articles into a scratch
folder (politely: the profile's own delays, robots.txt obeyed), processes them, and reports robots.txt,
the article URLs each entry point yielded, how many articles were extracted or dropped (and why), and
their charsets. It exits 1 when the profile looks broken: nothing could be read, no article URL was
found, or fewer than half of the fetched articles gave a text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.layout import DataLayout

HELP = "crawl a few pages of one site profile live and report whether the profile still works"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", metavar="PROFILE", help="a bundled profile name or a path to a YAML profile")
    parser.add_argument("--limit", type=int, default=10, help="articles to fetch at most")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profile")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="crawl into DIR and keep it (default: scratch)")


def run(args: argparse.Namespace) -> int:
    from cleaning.config import ProcessConfig
    from cleaning.run.run import process_run
    from corpus.commands.options import name_value_pairs
    from corpus.layout import DataLayout
    from crawler.profile import ProfileError, load_profile
    from crawler.run import run_crawl

    try:
        profile = load_profile(args.site, name_value_pairs(args.var, "--var"))
    except ProfileError as error:
        sys.exit(f"zhnews check-site: {error}")
    with tempfile.TemporaryDirectory(prefix="zhnews-check-") as scratch:
        layout = DataLayout(args.keep or Path(scratch))
        crawl = run_crawl([profile], layout, overrides={"ZHNEWS_MAX_ARTICLES": args.limit}, progress=False)
        stats = crawl.stats.get(profile.name, {})
        processed = process_run(layout, crawl.run_id, ProcessConfig(), progress=False) if layout.shards(
            crawl.run_id) else None
        lengths = _lengths(layout, crawl.run_id)
    totals = processed.totals if processed else {}
    problems = list(crawl.failures().values())
    discovered = {k.rsplit("/", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith("zhnews/discovered/")}
    fetched = stats.get("zhnews/articles/fetched", 0)
    kept = totals.get("kept", 0)
    if not problems and not discovered:
        problems.append("no article URL found: check article_url, sitemaps, feeds and listing_url")
    if fetched and kept < fetched / 2:
        problems.append(f"only {kept} of {fetched} fetched articles gave a text: check prune_xpath and the pages")
    dropped = {key.replace("/dropped/", ": "): value for key, value in sorted(totals.items()) if "/dropped/" in key}
    charsets = {key.rsplit("/", 1)[1]: value for key, value in sorted(totals.items())
                if key.startswith("decode/charset/")}
    robots = {key.split("/", 2)[2]: value for key, value in sorted(stats.items())
              if key.startswith(("robotstxt/response_status_count/", "robotstxt/unreachable/"))}
    lines = [f"check-site {profile.name}: {'BROKEN' if problems else 'OK'}",
             f"  robots.txt: {robots or 'not fetched'}; forbidden by it: {stats.get('robotstxt/forbidden', 0)}",
             f"  article URLs found, by where: {discovered or 'none'}",
             f"  articles fetched {fetched} (limit {args.limit}), texts kept {kept}, dropped {dropped or 'none'}",
             f"  charsets: {charsets or 'none'}; median text {int(statistics.median(lengths)) if lengths else 0} chars",
             *(f"  problem: {problem}" for problem in problems)]
    print("\n".join(lines))
    return 1 if problems else 0


def _lengths(layout: DataLayout, run: str) -> list[int]:
    import pyarrow.parquet as pq

    return [n for path in layout.run_docs(run) for n in pq.read_table(path, columns=["char_count"])[0].to_pylist()]
