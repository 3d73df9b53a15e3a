"""`python -m crawler.sample_site [--port-a N --port-b N]` serves both sites until Ctrl-C;
`python -m crawler.sample_site generate --out DIR` writes their pages to disk for inspection."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .generate import build_site, write_site
from .server import serve_until_interrupted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.sample_site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (IPv4)")
    parser.add_argument("--port-a", type=int, default=0, help="port of site A; 0 = any free port")
    parser.add_argument("--port-b", type=int, default=0, help="port of site B; 0 = any free port")
    sub = parser.add_subparsers(dest="command")
    generate = sub.add_parser("generate", help="write every page of both sites under --out")
    generate.add_argument("--out", type=Path, required=True, help="folder; gets a/ and b/ inside")
    generate.add_argument("--base-url-a", default="http://127.0.0.1:8001", help="for absolute URLs of site A")
    generate.add_argument("--base-url-b", default="http://127.0.0.1:8002", help="for absolute URLs of site B")
    args = parser.parse_args(argv)
    if args.command == "generate":
        for key, base_url in (("a", args.base_url_a), ("b", args.base_url_b)):
            count = write_site(build_site(key, base_url), args.out / key)
            print(f"site {key}: {count} files in {args.out / key}")
        return 0
    return serve_until_interrupted(args.host, args.port_a, args.port_b)


if __name__ == "__main__":
    sys.exit(main())
