"""Show a Scrapyd fleet's crawl jobs: per node, each job (named after the run it writes) and its
state; with --archive, whether each finished job's run has arrived there whole."""

from __future__ import annotations

import argparse
import sys

from corpus.commands.options import scrapyd_nodes

HELP = "show the crawl jobs of a Scrapyd fleet, per node"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scrapyd", required=True, type=scrapyd_nodes, metavar="URL[,URL...]",
                        help="the fleet's Scrapyd nodes")
    parser.add_argument("--archive", metavar="FOLDER_OR_URL", help="the fleet's shared archive, to check arrivals")


def run(args: argparse.Namespace) -> int:
    from crawler.fleet import FleetError, arrived, site_of

    unreachable = 0
    for node in args.scrapyd:
        try:
            jobs = node.jobs()
        except FleetError as error:
            print(f"{node.name}: unreachable ({error})")
            unreachable += 1
            continue
        counts = ", ".join(f"{len(found)} {state}" for state, found in jobs.items())
        print(f"{node.name}: {counts}")
        for state, found in jobs.items():
            for job in found:
                line = f"  {state:<9} {job['id']:<40} started {job.get('start_time') or '-':<26} "
                line += f"ended {job.get('end_time') or '-'}"
                if args.archive and state == "finished":
                    site = site_of(job["id"])
                    line += "   archived" if site and arrived(args.archive, job["id"], site) else "   NOT archived"
                print(line)
    if unreachable:
        print(f"{unreachable} node(s) unreachable", file=sys.stderr)
    return 1 if unreachable else 0
