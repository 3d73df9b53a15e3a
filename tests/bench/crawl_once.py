"""One timed crawl in its own process (Scrapy's reactor starts once per process).

`ours`: the production spider with WARC archiving and the SQLite crawl state.
`bare`: the same spider class and discovery with our downloader middlewares (guard, robots.txt,
archive) and resolver replaced by Scrapy's, and the state kept in memory: what Scrapy alone costs
for the same pages, so the ratio isolates our overhead.
Prints one JSON line: {"pages": responses received, "seconds": time from the first response to the
last, "cpu": the CPU seconds the crawler used between them}: start-up and Scrapy's idle shutdown are
the same for both and would hide the per-page cost.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from corpus.layout import DataLayout
from crawler.profile import load_profile
from crawler.run import crawl_settings
from crawler.spiders.news import NewsSpider
from crawler.state import StateStore


class MemoryState(StateStore):
    """The crawl-state interface with nothing behind it: every URL is new, nothing is stored."""

    @classmethod
    def from_crawler(cls, crawler: object) -> MemoryState:
        return cls()

    def known(self, url: str) -> None:
        return None

    def record_fetch(self, **fields: object) -> None:
        pass

    def start_run(self, run_id: str, site: str) -> None:
        pass

    def finish_run(self, run_id: str, site: str, reason: str) -> None:
        pass

    def close(self) -> None:
        pass


def main(mode: str, data_dir: str, *sites: str) -> None:
    """`sites` are PROFILE:COPY=BASE_URL: the same bundled profile may be crawled on several servers."""
    settings = crawl_settings(DataLayout(Path(data_dir)), "bench", {"LOG_LEVEL": "ERROR"})
    if mode == "bare":
        settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
        settings.set("TWISTED_DNS_RESOLVER", "scrapy.resolver.CachingThreadedResolver", priority="cmdline")
        # by module name, not __main__: the module is importable from its own folder (sys.path[0])
        settings.set("ZHNEWS_STATE_STORE", "crawl_once.MemoryState", priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    stamps: list[tuple[float, float]] = []  # (wall, CPU) at each response
    for site in sites:
        name, base_url = site.split("=", 1)
        profile_name, copy = name.split(":")
        profile = load_profile(profile_name, {"base_url": base_url})
        profile = dataclasses.replace(profile, name=f"{profile.name}-{copy}")
        crawler = process.create_crawler(NewsSpider)
        crawler.signals.connect(lambda *a, **k: stamps.append((time.perf_counter(), time.process_time())),
                                signal=signals.response_received, weak=False)
        crawlers.append(crawler)
        process.crawl(crawler, profile=profile)
    process.start()
    pages = sum(c.stats.get_value("response_received_count", 0) for c in crawlers)
    (first_wall, first_cpu), (last_wall, last_cpu) = stamps[0], stamps[-1]
    print(json.dumps({"pages": pages, "seconds": last_wall - first_wall, "cpu": last_cpu - first_cpu}))


if __name__ == "__main__":
    main(*sys.argv[1:])
