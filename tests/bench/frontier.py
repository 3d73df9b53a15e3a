"""Peak memory of a crawl whose frontier holds 100,000 article URLs (issue: target under 300 MB).

A local server publishes a sitemap index of `SITEMAPS` sitemaps with `PER_SITEMAP` article URLs each;
the crawl parses them all (the whole frontier is queued) and stops after `PAGES` article responses
(CLOSESPIDER_PAGECOUNT), so the figure is the memory of holding the frontier, not of fetching it.
Ours (WARC + state) and the same spider bare (no WARC, state in memory) run as separate processes;
the figure is each process's peak RSS (ru_maxrss).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITEMAPS, PER_SITEMAP, PAGES = 20, 5000, 500
PROFILE = """name: frontier
sitemaps: ["{base}/sitemap.xml"]
article_url: '/a/\\d+\\.html$'
settings: {{DOWNLOAD_DELAY: 0, AUTOTHROTTLE_ENABLED: false, ZHNEWS_ALLOW_PRIVATE_ADDRESSES: true,
           CLOSESPIDER_PAGECOUNT: {pages}, ZHNEWS_MAX_ARTICLES: 0, LOG_LEVEL: ERROR}}
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/sitemap.xml":
            entries = "".join(f"<sitemap><loc>{base}/sitemaps/{n}.xml</loc></sitemap>" for n in range(SITEMAPS))
            body = f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}"
            body += "</sitemapindex>"
        elif self.path.startswith("/sitemaps/"):
            n = int(self.path.split("/")[2].split(".")[0])
            urls = "".join(f"<url><loc>{base}/a/{n * PER_SITEMAP + i}.html</loc></url>" for i in range(PER_SITEMAP))
            body = f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
        elif self.path == "/robots.txt":
            body = "User-agent: *\nAllow: /\n"
        else:
            body = f"<html><body><p>稿件 {self.path}：记者从有关部门获悉，相关工作已经全面完成。</p></body></html>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if self.path.startswith("/a/") else "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def frontier_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def peak_rss_mib(command: list[str]) -> float:
    """Peak RSS of `command`, run in a fresh probe process so no earlier child counts."""
    probe = ("import resource, subprocess, sys\n"
             f"subprocess.run({command!r}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def frontier_section() -> list[str]:
    crawl_once = str(Path(__file__).with_name("crawl_once.py"))
    with tempfile.TemporaryDirectory() as tmp, frontier_site() as base:
        profile = Path(tmp) / "frontier.yaml"
        profile.write_text(PROFILE.format(base=base, pages=PAGES), encoding="utf-8")
        ours = peak_rss_mib([sys.executable, "-m", "corpus.cli", "crawl", "--site", str(profile),
                             "--data-dir", f"{tmp}/ours", "--no-progress"])
        bare = peak_rss_mib([sys.executable, crawl_once, "bare", f"{tmp}/bare", f"{profile}:0={base}"])
    frontier = SITEMAPS * PER_SITEMAP
    return [
        "## Crawl memory with a large frontier", "",
        f"A sitemap index of {SITEMAPS} sitemaps, {frontier:,} article URLs queued; the crawl stops after "
        f"{PAGES} responses, so the peak is the memory of holding the frontier.", "",
        "| crawl | peak RSS (MiB) | ratio |", "|---|---|---|",
        f"| bare (same spider, no WARC, state in memory) | {bare:.0f} | 1.00 |",
        f"| zhnews crawl (WARC + SQLite state) | {ours:.0f} | {ours / bare:.2f}× (target < 300 MiB) |", "",
    ]


if __name__ == "__main__":
    print("\n".join(frontier_section()))
