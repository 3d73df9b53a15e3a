"""Serve the bundled offline sample sites: two fictional Chinese news portals on 127.0.0.1.

Site A is a main portal (44 articles, GBK and mis-declared gb2312 pages, robots.txt, sitemaps,
RSS, a redirect and a dead link), site B a small portal that reprints one of A's articles.
Point `zhnews crawl --site ... --var base_url=URL` or a browser at the printed base URLs.
"""

from __future__ import annotations

import argparse

from corpus.commands.options import port

HELP = "serve the bundled sample news sites on 127.0.0.1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port-a", type=port, default=0, help="port of site A (the main portal); 0 = any free port")
    parser.add_argument("--port-b", type=port, default=0, help="port of site B (the reprint portal); 0 = any free port")


def run(args: argparse.Namespace) -> int:
    from crawler.sample_site.server import serve_until_interrupted

    return serve_until_interrupted(port_a=args.port_a, port_b=args.port_b)
