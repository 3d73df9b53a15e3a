"""Each site's yield, night by night: articles fetched, documents kept, dropped by reason, new rows.

A site whose newest yield fell to zero or under half its median is flagged: after a redesign the crawl
still runs, but what it fetches is no longer articles (or it finds none), and only the numbers show
it. Reads what the stages left under DATA_DIR; --nights sets how far back to look.
"""

from __future__ import annotations

import argparse

from corpus.commands.options import add_data_dir

HELP = "per site and night: fetched, kept, dropped by reason, new rows; flags a site whose yield fell"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_dir(parser, "reads raw/, docs/, rejects/ and dedup/", existing=True)
    parser.add_argument("--nights", type=int, default=14, metavar="N", help="the newest N runs")
    parser.add_argument("--site", action="append", metavar="NAME", help="only this site (repeatable)")


def _dropped(dropped: dict[str, int], shown: int = 3) -> str:
    top = sorted(dropped.items(), key=lambda item: (-item[1], item[0]))
    text = ", ".join(f"{reason} {n}" for reason, n in top[:shown])
    return text + (f", … {len(top) - shown} more" if len(top) > shown else "") if top else "-"


def run(args: argparse.Namespace) -> int:
    from corpus.layout import DataLayout
    from corpus.yields import falling, site_yields

    layout = DataLayout(args.data_dir)
    runs = layout.runs()[-args.nights:] if args.nights > 0 else []
    history = [(run, {site: found for site, found in site_yields(layout, run).items()
                      if not args.site or site in args.site}) for run in runs]
    sites = sorted({site for _, yields in history for site in yields})
    print(f"history: {len(runs)} run(s), {len(sites)} site(s) under {layout.root}")
    if not sites:
        return 0
    print(f"{'run':<24} {'site':<16} {'fetched':>7} {'kept':>6} {'new rows':>8}  crawl / dropped (top reasons)")
    for run, yields in history:
        for site in sorted(yields):
            found = yields[site]
            fetched = "-" if found.fetched is None else str(found.fetched)
            new = "-" if found.new_rows is None else str(found.new_rows)
            print(f"{run:<24} {site:<16} {fetched:>7} {found.kept:>6} {new:>8}  {found.outcome or '-'} / "
                  f"{_dropped(found.dropped)}")
    # judged on the newest run processed to its end: one half way has fewer documents than it will
    flags = falling([(run, yields) for run, yields in history if layout.run_summary(run).exists()])
    print("\n".join(["flags:", *(f"  {flag}" for flag in flags)]) if flags else "flags: none")
    return 0
