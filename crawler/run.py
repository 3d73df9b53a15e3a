"""Run one crawl: every given site profile in one Scrapy process, archived under data/raw/<run-id>/.

Scrapy's reactor starts once per process, so call `run_crawl` once per process (the CLI does).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from tqdm import tqdm

from corpus.files import Busy, exclusive, write_json
from crawler.profile import SiteProfile, snapshot
from crawler.spiders.news import NewsSpider
from crawler.warc import LOCK_NAME, SITES_FOLDER, recover_open_files


class RunExists(ValueError):
    """The run id names a run that already has files."""


def new_run_id() -> str:
    """Sortable and unique per second: runs are processed and published in this order."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class CrawlSummary:
    run_id: str
    raw_dir: Path
    seconds: float
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)  # site → Scrapy stats
    recovered: list[tuple[Path, int]] = field(default_factory=list)

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
        return "\n".join(lines)


def crawl_settings(data_dir: Path, run_id: str, overrides: dict[str, Any] | None = None) -> Settings:
    """Project defaults (crawler/settings.py), then the run's paths, then command-line overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # logging is the caller's (the CLI configures it): Scrapy must not add a second root handler
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("ZHNEWS_RUN_ID", run_id, priority="cmdline")
    settings.set("ZHNEWS_RAW_DIR", str(data_dir / "raw" / run_id), priority="cmdline")
    settings.set("ZHNEWS_STATE_PATH", str(data_dir / "state.sqlite"), priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def run_crawl(
    profiles: list[SiteProfile],
    data_dir: Path,
    run_id: str | None = None,
    overrides: dict[str, Any] | None = None,
    revalidate: bool = False,
    progress: bool = True,
) -> CrawlSummary:
    run_id = run_id or new_run_id()
    if (data_dir / "raw" / run_id).exists():
        # runs are append-only: a run that was processed and published would never show new shards
        raise RunExists(f"crawl run {run_id} exists already under {data_dir / 'raw'}; start a new run "
                        "(without --run-id); a killed crawl's files are recovered by the next crawl")
    started = time.monotonic()
    recovered = recover_interrupted(data_dir)
    with exclusive(data_dir / "raw" / run_id / LOCK_NAME, f"crawl run {run_id}"):
        for profile in profiles:
            write_json(data_dir / "raw" / run_id / SITES_FOLDER / f"{profile.name}.json", snapshot(profile))
        stats = _run_spiders(profiles, crawl_settings(data_dir, run_id, overrides), revalidate, progress, run_id)
    return CrawlSummary(run_id, data_dir / "raw" / run_id, time.monotonic() - started, stats, recovered)


def recover_interrupted(data_dir: Path) -> list[tuple[Path, int]]:
    """Make the WARC files of killed crawls valid; a run whose crawl is still going is left alone."""
    recovered = []
    for folder in sorted((data_dir / "raw").glob("*/")):
        try:
            with exclusive(folder / LOCK_NAME, f"crawl run {folder.name}"):
                recovered += recover_open_files(folder)
        except Busy:
            continue
    return recovered


def _run_spiders(
    profiles: list[SiteProfile], settings: Settings, revalidate: bool, progress: bool, run_id: str
) -> dict[str, dict[str, Any]]:
    """One Scrapy process, one crawler per site; returns each site's Scrapy stats."""
    process = CrawlerProcess(settings)
    bar = tqdm(desc=f"crawl {run_id}", unit=" responses", disable=not progress)
    crawlers = []
    for profile in profiles:
        # one subclass per site, so its name and per-site settings apply to that crawler only
        spider_class = type(
            f"NewsSpider_{profile.name}", (NewsSpider,), {"name": profile.name, "custom_settings": profile.settings}
        )
        crawler = process.create_crawler(spider_class)
        crawler.signals.connect(lambda *a, **k: bar.update(), signal=signals.response_received, weak=False)
        crawlers.append(crawler)
        process.crawl(crawler, profile=profile, revalidate=revalidate)
    process.start()
    bar.close()
    return {crawler.spider.name: dict(crawler.stats.get_stats()) for crawler in crawlers}
