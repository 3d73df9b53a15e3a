"""Check a site profile offline: it loads, its patterns compile, and every real example URL it carries
is taken for what it is (article, listing, feed, …) on a host the crawl may visit.

No network: `check-site` is the live canary. Reported besides: the hosts and entry points, each
pattern with the number of examples it matches (a pattern no example shows is a warning), and
patterns that spell out a single page's id. Exits 1 when a problem is found.
"""

from __future__ import annotations

import argparse

HELP = "check a site profile offline against the real example URLs it carries"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profiles", nargs="+", metavar="PROFILE", help="bundled profile names or YAML paths")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profile")


def run(args: argparse.Namespace) -> int:
    from corpus.commands.options import name_value_pairs
    from crawler.profile import ProfileError, load_profile, resolve_profile_path
    from crawler.profile_check import check_profile, render

    variables = name_value_pairs(args.var, "--var")
    failed = 0
    for name in args.profiles:
        try:
            profile = load_profile(name, variables)
        except ProfileError as error:
            print(f"check-profile {name}: FAILED\n  problem: {error}")
            failed += 1
            continue
        check = check_profile(profile)
        failed += not check.ok
        print(render(check, str(resolve_profile_path(name))))
    return 1 if failed else 0
