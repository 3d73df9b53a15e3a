"""Run one crawl: every given site profile in one Scrapy process, archived under raw/<run-id>/.

Scrapy's reactor starts once per process, so call `run_crawl` once per process (the CLI does). The
run itself (lock, profile snapshots, recovery of killed crawls) is set up by `crawler.run_setup`,
the same way for a plain `scrapy crawl`; this module claims it first only to fail before Scrapy
starts, with a clear error, when the run exists or is busy.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from tqdm import tqdm

from corpus.crawl_report import CrawlReport, SiteOutcome
from corpus.files import atomic_path, open_sqlite
from corpus.layout import DataLayout
from corpus.withdrawn import Blocklist
from crawler.politeness import crawl_contact
from crawler.profile import SiteProfile
from crawler.run_setup import claim_run, new_run_id
from crawler.shutdown import Shutdown
from crawler.spiders.news import NewsSpider, apply_site_settings
from crawler.state import DAMAGED_STATE


@dataclass
class CrawlSummary:
    run_id: str
    raw_dir: Path
    seconds: float
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)  # site → Scrapy stats
    recovered: list[tuple[Path, int]] = field(default_factory=list)
    broken_profiles: dict[str, str] = field(default_factory=dict)  # name → why it could not be loaded
    interrupted: bool = False  # stopped by SIGTERM or Ctrl-C (`crawler/shutdown.py`): every site closed cleanly

    def outcomes(self) -> dict[str, SiteOutcome]:
        """How each site's crawl ended. A site fails when it did not run to its end, or none of its
        entry points could be read (down, refusing us, robots.txt unreadable); a site whose
        robots.txt disallows every entry point is skipped: it opts out, and nothing is to be fixed; so
        is a site whose entry points were all withdrawn at its publisher's request."""
        outcomes = {site: SiteOutcome("failed", "profile", why) for site, why in self.broken_profiles.items()}
        for site, stats in self.stats.items():
            counts = {"articles": stats.get("zhnews/articles/fetched", 0),
                      "responses": stats.get("response_received_count", 0)}
            reason = stats.get("finish_reason") or ""
            robots_unread = {k: v for k, v in stats.items() if k.startswith("robotstxt/unreachable/")}
            if reason != "finished" and not reason.startswith("closespider_"):  # a limit we set is no failure
                outcome = SiteOutcome("failed", "unfinished", f"the crawl did not finish ({reason or 'never started'})")
            elif stats.get("zhnews/archive/failed"):
                outcome = SiteOutcome("failed", "archive", "its files could not be copied to the shared archive "
                                      "(they stay here): see the log")
            elif errors := sum(v for k, v in stats.items() if k.startswith("spider_exceptions/")):
                outcome = SiteOutcome("failed", "spider-error", f"the spider raised {errors} error(s) while "
                                      "parsing pages: see the log")
            elif stats.get("zhnews/entry_points/read") and sum((answered := _error_answers(stats)).values()) >= \
                    MIN_ERRORS_TO_FAIL and not (stats.get("zhnews/articles/fetched")
                                                or stats.get("zhnews/articles/not_modified")):
                outcome = SiteOutcome("failed", "error-answers", "every article answered with an error: " + ", ".join(
                    f"HTTP {status} ×{count}" for status, count in sorted(answered.items())))
            elif stats.get("zhnews/entry_points/read"):
                outcome = SiteOutcome("ok")
            elif stats.get("zhnews/guard/withdrawn") and not stats.get("response_received_count"):
                outcome = SiteOutcome("skipped", "withdrawn", "every entry point is withdrawn (zhnews withdraw): "
                                      "nothing was fetched")
            elif stats.get("robotstxt/forbidden") and not robots_unread and not any(
                    value for key, value in stats.items()
                    if key.startswith("zhnews/errors/") and key != "zhnews/errors/IgnoreRequest"):
                # every entry point refused by robots.txt, none failing otherwise (a 5xx, a timeout)
                outcome = SiteOutcome("skipped", "robots", "its robots.txt disallows every entry point (an opt-out)")
            else:
                detail = ", ".join(f"{key} {value}" for key, value in sorted(stats.items()) if key.startswith(
                    ("zhnews/errors/", "zhnews/guard/", "robotstxt/unreachable/"))) or "no response"
                outcome = SiteOutcome("failed", "robots-unreadable" if "robotstxt/unreachable/status" in robots_unread
                                      else "unreachable", f"no entry point (sitemap, feed, start page) could be "
                                      f"read: {detail}")
            outcomes[site] = dataclasses.replace(outcome, **counts)
        return outcomes

    def failures(self) -> dict[str, str]:
        """Site → why its crawl failed."""
        return {site: result.detail for site, result in self.outcomes().items() if result.outcome == "failed"}

    def report(self) -> CrawlReport:
        return CrawlReport(self.run_id, self.outcomes())

    def render(self) -> str:
        lines = [f"crawl {self.run_id}: {len(self.stats)} site(s) in {self.seconds:.1f}s → {self.raw_dir}"]
        for path, kept in self.recovered:
            lines.append(f"  recovered {path.name} from an interrupted crawl ({kept} records kept)")
        for site, stats in sorted(self.stats.items()):
            articles = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("zhnews/articles/")}
            counted = ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in sorted(articles.items()))
            errors = sum(v for k, v in stats.items() if k.startswith("zhnews/errors/")) + sum(
                _error_answers(stats).values()) + stats.get("urllength/request_ignored_count", 0)  # a URL too long
            lines.append(
                f"  {site:<16} responses {stats.get('response_received_count', 0):>6}  "
                f"archived {stats.get('zhnews/warc_records', 0):>6}  articles: {counted or 'none'}  "
                f"robots-forbidden {stats.get('robotstxt/forbidden', 0)}  errors {errors}  "
                f"finish: {stats.get('finish_reason', '?')}"
            )
        for site, result in sorted(self.outcomes().items()):
            if result.outcome != "ok":
                lines.append(f"  {result.outcome.upper()} {site}: {result.detail}")
        return "\n".join(lines)


# a crawl whose article fetches were all answered with errors fails, from this many on (one dead link
# on a night with nothing new is no failure)
MIN_ERRORS_TO_FAIL = 3


def _error_answers(stats: dict[str, Any]) -> dict[str, int]:
    """Article fetches answered with a 4xx or 5xx, by status: errors, though the server answered."""
    return {key.rsplit("_", 1)[1]: value for key, value in stats.items()
            if key.startswith("zhnews/articles/status_") and key[-3] in "45"}


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
    broken_profiles: dict[str, str] | None = None,
) -> CrawlSummary:
    """Crawl `profiles` into a new run and write its report (`corpus/crawl_report.py`), where
    `broken_profiles` (name → why it did not load) count as failed sites. Raises `RunExists`, `Busy`,
    `DamagedFile` (the crawl state, the withdrawal list) or `MissingContact` (a public site, and no
    contact) before anything is fetched, and `ValueError` for a shared archive with more than one site
    (it takes runs of one site)."""
    run_id = run_id or new_run_id()
    settings = crawl_settings(layout, run_id, overrides)
    if settings.get("ZHNEWS_ARCHIVE_URL") and len(profiles) > 1:
        raise ValueError("ZHNEWS_ARCHIVE_URL archives runs of one site (a fleet's jobs), and this run crawls "
                         f"{len(profiles)}: crawl one site per run (or use `zhnews crawl --scrapyd`)")
    for profile in profiles:  # MissingContact, before anything is claimed or fetched
        site_settings = settings.copy()
        apply_site_settings(site_settings, profile.settings)
        crawl_contact(site_settings, layout, profile.allowed_domains)
    started = time.monotonic()
    open_sqlite(layout.state_db, DAMAGED_STATE).close()  # a damaged state: one clear error, before Scrapy starts
    Blocklist.load(layout.withdrawn)  # a damaged blocklist too (the guard reads it inside Scrapy)
    claim = claim_run(layout, run_id, [profile.name for profile in profiles])
    try:
        # no profile loaded: the run holds the report alone, which names each broken one (the status line)
        stats, interrupted = _run_spiders(profiles, settings, revalidate, progress, run_id) if profiles else ({}, False)
        summary = CrawlSummary(run_id, layout.run_dir(run_id), time.monotonic() - started, stats, claim.recovered,
                               dict(broken_profiles or {}), interrupted)
        with atomic_path(layout.crawl_report(run_id)) as tmp:
            tmp.write_text(summary.report().to_json(), encoding="utf-8")
    finally:
        claim.release()
    return summary


def _run_spiders(
    profiles: list[SiteProfile], settings: Settings, revalidate: bool, progress: bool, run_id: str
) -> tuple[dict[str, dict[str, Any]], bool]:
    """One Scrapy process, one crawler per site; returns each site's Scrapy stats, and whether a
    SIGTERM or Ctrl-C stopped them."""
    with Shutdown().catching_signals() as shutdown:
        process = CrawlerProcess(settings)
        bar = tqdm(desc=f"crawl {run_id}", unit=" responses", disable=not progress)
        crawlers = []
        for profile in profiles:
            crawler = process.create_crawler(NewsSpider)
            crawler.signals.connect(lambda *a, **k: bar.update(), signal=signals.response_received, weak=False)
            shutdown.watch(crawler)
            crawlers.append(crawler)
            process.crawl(crawler, profile=profile, revalidate=revalidate)
        process.start(install_signal_handlers=False)  # Scrapy's would replace ours once the reactor runs
        bar.close()
    # a crawler that failed to start (a bad setting) has no spider and maybe no stats: it shows as failed
    return {profile.name: dict(crawler.stats.get_stats()) if getattr(crawler, "stats", None) else {}
            for profile, crawler in zip(profiles, crawlers)}, shutdown.requested
