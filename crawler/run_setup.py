"""A crawl run, however it is started: `zhnews crawl`, `scrapy crawl news -a profile=…` or Scrapyd.

Each run is a folder of its own under `raw/` (`corpus/layout.py`). Claiming it:
- refuses a run folder that exists already (runs are append-only: a run that was processed and
  published would never show new shards);
- locks it (`raw/<run>/.lock`, flock), so no other crawl recovers its open WARC and `process`
  skips it until the crawl is done, and locks each site it crawls (`locks/<site>.lock`), so two
  overlapping crawls never fetch one site twice; the kernel drops a lock when its process dies;
- makes the WARC files of killed crawls in *other* runs whole (those not locked by a live crawl).

`RunSetup`, an extension every crawl loads (crawler/settings.py), settles the run id
(`ZHNEWS_RUN_ID`, or a new one), claims the run and stores beside it the spider's site profile
(`raw/<run>/sites/<site>.json`, which processing reads) and the settings in force for the site
(`raw/<run>/settings/<site>.json`: every setting the project, the profile or the command line set).
Several crawlers of one process (one per site in `zhnews crawl`) share one claim of one run.
"""

from __future__ import annotations

import functools
import json
import shutil
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Self

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from corpus.files import Busy, exclusive, write_json
from corpus.layout import DataLayout
from corpus.run_stats import SiteSnapshot
from corpus.warc_format import recover_open_files
from crawler.politeness import crawl_contact, user_agent
from crawler.profile import snapshot
from crawler.urls import redacted_settings


class RunExists(ValueError):
    """The run id names a run that already has files."""


def new_run_id() -> str:
    """Sortable and unique per second: runs are processed and published in this order."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@functools.cache
def process_run_id() -> str:
    """The run id of every crawler in this process that was given none."""
    return new_run_id()


class _Held:
    """A lock this process holds, and how many claims use it."""

    def __init__(self, lock: Path, what: str) -> None:
        self.stack = ExitStack()
        self.stack.enter_context(exclusive(lock, what, "a crawl"))
        self.users = 0


_held: dict[Path, _Held] = {}  # the locks this process holds, by path


def _hold(lock: Path, what: str) -> None:
    if lock not in _held:
        _held[lock] = _Held(lock, what)  # raises Busy when another process holds it
    _held[lock].users += 1


def _let_go(lock: Path) -> None:
    held = _held[lock]
    held.users -= 1
    if held.users == 0:
        held.stack.close()
        del _held[lock]


@dataclass
class RunClaim:
    """This process's hold on a run and on the sites it crawls; `release` once done with it."""

    locks: list[Path]
    recovered: list[tuple[Path, int]] = field(default_factory=list)  # other runs' files made whole

    def release(self) -> None:
        for lock in reversed(self.locks):
            _let_go(lock)


def claim_run(layout: DataLayout, run_id: str, sites: list[str]) -> RunClaim:
    """Claim the run and its sites for this process (again, if it holds them already). A site is
    crawled by one run at a time: two overlapping crawls of it would fetch everything twice."""
    run_lock = layout.run_lock(run_id)
    first = run_lock not in _held
    if first and layout.run_dir(run_id).exists() and not _report_only(layout, run_id):
        raise RunExists(f"crawl run {run_id} exists already under {layout.raw}; start a new run "
                        "(without --run-id); a killed crawl's files are recovered by the next crawl")
    claim = RunClaim([])
    try:
        # the sites first: a busy site must not leave an empty run folder behind
        for lock, what in [*((layout.site_lock(site), f"site {site}") for site in sites),
                           (run_lock, f"crawl run {run_id}")]:
            _hold(lock, what)
            claim.locks.append(lock)
    except Busy:
        claim.release()
        raise
    if first:
        claim.recovered = recover_interrupted(layout, but=run_id)
    return claim


def _report_only(layout: DataLayout, run_id: str) -> bool:
    """A run that holds its crawl's report alone: every profile named was broken, nothing was crawled
    (a mistyped --site). The same --run-id may crawl into it."""
    alone = {layout.run_lock(run_id), layout.crawl_report(run_id)}
    return set(layout.run_dir(run_id).iterdir()) <= alone


def recover_interrupted(layout: DataLayout, but: str | None = None) -> list[tuple[Path, int]]:
    """Make the WARC files of killed crawls valid; a run whose crawl is still going is left alone."""
    recovered = []
    for run in layout.runs():
        # only a run with open files is locked to be recovered: holding another run's lock even for a
        # moment made a crawl starting beside us on the same node (a fleet's other site) fail as busy
        if run == but or not layout.open_shards(run):
            continue
        try:
            with exclusive(layout.run_lock(run), f"crawl run {run}", "crawl recovery"):
                recovered += recover_open_files(layout.run_dir(run))
        except Busy:
            continue
    return recovered


def settings_in_force(settings: BaseSettings) -> dict[str, object]:
    """Every setting not left at Scrapy's default (the project's, the profile's, the command line's),
    as JSON-ready data, with Scrapy's version; secrets (by name, and URL passwords) hidden."""
    chosen: dict[str, object] = {}
    for name in sorted(settings):
        if (settings.getpriority(name) or 0) > SETTINGS_PRIORITIES["default"]:
            value = settings[name]
            chosen[name] = value.copy_to_dict() if isinstance(value, BaseSettings) else value
    chosen["scrapy_version"] = scrapy.__version__
    return redacted_settings(json.loads(json.dumps(chosen, default=str)))  # a secret is never stored


class RunSetup:
    """Settle the run id, claim the run, put the request queue on disk, store the site profile and
    settings; release the run when the spider closes."""

    def __init__(self, crawler: Crawler, claim: RunClaim, queue: Path | None) -> None:
        self.crawler, self.claim, self.queue = crawler, claim, queue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings  # not frozen yet: extensions are built before that
        run_id = settings.get("ZHNEWS_RUN_ID") or process_run_id()
        settings.set("ZHNEWS_RUN_ID", run_id, priority="spider")
        layout = DataLayout(Path(settings["ZHNEWS_DATA_DIR"]))
        profile = crawler.spider.profile
        contact = crawl_contact(settings, layout, profile.allowed_domains)  # MissingContact: the crawler does not start
        if (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["project"]:
            settings.set("USER_AGENT", user_agent(contact, version("zhnews-corpus")), "spider")
        claim = claim_run(layout, run_id, [profile.name])
        queue = None
        if not settings.get("JOBDIR"):  # the frontier on disk: 100,000 queued URLs took 300 MB in memory
            queue = layout.crawl_queue(run_id, profile.name)
            settings.set("JOBDIR", str(queue), priority="spider")
        if settings.get("ZHNEWS_ARCHIVE_URL"):  # until the run is copied there: a killed crawl's is copied later
            layout.archive_pending(run_id).touch()
        SiteSnapshot.of(snapshot(profile)).write(layout.site_snapshot(run_id, profile.name))
        write_json(layout.crawl_config(run_id, profile.name), settings_in_force(settings))
        setup = cls(crawler, claim, queue)
        crawler.signals.connect(setup.spider_closed, signal=signals.spider_closed)
        return setup

    def spider_closed(self, spider: object = None) -> None:
        """The scheduler has closed its queue by now; a run's queue is never resumed, so ours goes."""
        if self.queue is not None:
            shutil.rmtree(self.queue, ignore_errors=True)
        self.claim.release()
