"""Run one crawl: every given site profile in one Scrapy process, archived under raw/<run-id>/.

Scrapy's reactor starts once per process, so call `run_crawl` once per process (the CLI does). The
run itself (lock, profile snapshots, recovery of killed crawls) is set up by `crawler.run_setup`,
the same way for a plain `scrapy crawl`; this module claims it first only to fail before Scrapy
starts, with a clear error, when the run exists or is busy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from tqdm import tqdm

from corpus.layout import DataLayout
from crawler.profile import SiteProfile
from crawler.run_setup import claim_run, new_run_id
from crawler.spiders.news import NewsSpider


@dataclass
class CrawlSummary:
    run_id: str
    raw_dir: Path
    seconds: float
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)  # site → Scrapy stats
    recovered: list[tuple[Path, int]] = field(default_factory=list)

    def interrupted(self) -> bool:
        """Stopped by a signal (SIGTERM, Ctrl-C), which Scrapy handles as a clean shutdown."""
        return any(stats.get("finish_reason") == "shutdown" for stats in self.stats.values())

    def failures(self) -> dict[str, str]:
        """Site → why its crawl failed: it did not run to its end, or none of its entry points could
        be read (the site is down, refuses us, or robots.txt is unreachable)."""
        failed = {}
        for site, stats in self.stats.items():
            reason = stats.get("finish_reason") or ""
            if reason != "finished" and not reason.startswith("closespider_"):  # a limit we set is no failure
                failed[site] = f"the crawl did not finish ({stats.get('finish_reason') or 'it never started'})"
            elif stats.get("zhnews/archive/failed"):
                failed[site] = "its files could not be copied to the shared archive (they stay here): see the log"
            elif errors := sum(v for k, v in stats.items() if k.startswith("spider_exceptions/")):
                failed[site] = f"the spider raised {errors} error(s) while parsing pages: see the log"
            elif not stats.get("zhnews/entry_points/read"):
                failed[site] = "no entry point (sitemap, feed, start page) could be read: " + ", ".join(
                    f"{key} {value}" for key, value in sorted(stats.items())
                    if key.startswith(("zhnews/errors/", "zhnews/guard/", "robotstxt/unreachable/"))) or "no response"
        return failed

    def render(self) -> str:
        lines = [f"crawl {self.run_id}: {len(self.stats)} site(s) in {self.seconds:.1f}s → {self.raw_dir}"]
        for path, kept in self.recovered:
            lines.append(f"  recovered {path.name} from an interrupted crawl ({kept} records kept)")
        for site, stats in sorted(self.stats.items()):
            articles = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("zhnews/articles/")}
            errors = sum(v for k, v in stats.items() if k.startswith("zhnews/errors/"))
            lines.append(
                f"  {site:<16} responses {stats.get('response_received_count', 0):>6}  "
                f"archived {stats.get('zhnews/warc_records', 0):>6}  articles {articles or '{}'}  "
                f"robots-forbidden {stats.get('robotstxt/forbidden', 0)}  errors {errors}  "
                f"finish: {stats.get('finish_reason', '?')}"
            )
        for site, why in sorted(self.failures().items()):
            lines.append(f"  FAILED {site}: {why}")
        return "\n".join(lines)


def crawl_settings(layout: DataLayout, run_id: str, overrides: dict[str, Any] | None = None) -> Settings:
    """Project defaults (crawler/settings.py), then the run's place, then command-line overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # logging is the caller's (the CLI configures it): Scrapy must not add a second root handler
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("ZHNEWS_DATA_DIR", str(layout.root), priority="cmdline")
    settings.set("ZHNEWS_RUN_ID", run_id, priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def run_crawl(
    profiles: list[SiteProfile],
    layout: DataLayout,
    run_id: str | None = None,
    overrides: dict[str, Any] | None = None,
    revalidate: bool = False,
    progress: bool = True,
) -> CrawlSummary:
    """Crawl `profiles` into a new run. Raises `RunExists` or `Busy` before anything is fetched, and
    `ValueError` for a shared archive with more than one site (it takes runs of one site)."""
    run_id = run_id or new_run_id()
    settings = crawl_settings(layout, run_id, overrides)
    if settings.get("ZHNEWS_ARCHIVE_URL") and len(profiles) > 1:
        raise ValueError("ZHNEWS_ARCHIVE_URL archives runs of one site (a fleet's jobs), and this run crawls "
                         f"{len(profiles)}: crawl one site per run (or use `zhnews crawl --scrapyd`)")
    started = time.monotonic()
    claim = claim_run(layout, run_id, [profile.name for profile in profiles])
    try:
        stats = _run_spiders(profiles, settings, revalidate, progress, run_id)
    finally:
        claim.release()
    return CrawlSummary(run_id, layout.run_dir(run_id), time.monotonic() - started, stats, claim.recovered)


def _run_spiders(
    profiles: list[SiteProfile], settings: Settings, revalidate: bool, progress: bool, run_id: str
) -> dict[str, dict[str, Any]]:
    """One Scrapy process, one crawler per site; returns each site's Scrapy stats."""
    process = CrawlerProcess(settings)
    bar = tqdm(desc=f"crawl {run_id}", unit=" responses", disable=not progress)
    crawlers = []
    for profile in profiles:
        crawler = process.create_crawler(NewsSpider)
        crawler.signals.connect(lambda *a, **k: bar.update(), signal=signals.response_received, weak=False)
        crawlers.append(crawler)
        process.crawl(crawler, profile=profile, revalidate=revalidate)
    process.start()
    bar.close()
    # a crawler that failed to start (a bad setting) has no spider and maybe no stats: it shows as failed
    return {profile.name: dict(crawler.stats.get_stats()) if getattr(crawler, "stats", None) else {}
            for profile, crawler in zip(profiles, crawlers)}
