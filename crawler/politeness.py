"""Politeness beyond Scrapy's own: a site's robots.txt `Crawl-delay` is honoured, and the User-Agent
names a contact.

Scrapy parses robots.txt but ignores its Crawl-delay. This extension records the delay robots.txt
asks of our User-Agent for each host and keeps that host's download slot at least that slow, also
after AutoThrottle (which only knows DOWNLOAD_DELAY as its floor) has adjusted it. The delay is capped
at `ZHNEWS_MAX_CRAWL_DELAY`: a site asking for an hour between pages is crawled at the cap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.httpobj import urlparse_cached

from corpus.dataset_config import DatasetConfig
from corpus.layout import DataLayout
from crawler.guard import public_address


def user_agent(contact: str | None, version: str) -> str:
    """A descriptive User-Agent: who we are, and where a site operator reaches us (a crawl of a public
    site always has a contact: `crawl_contact`)."""
    return f"zhnews-corpus/{version} ({f'+{contact}; ' if contact else ''}research corpus crawler)"


class MissingContact(ValueError):
    """A crawl of a public site with no contact in its User-Agent."""


def _local_only(hosts: Iterable[str]) -> bool:
    """Are these hosts all addresses no public site has (127.0.0.1, 10.0.0.5, ::1) or localhost? A
    name that is no such address may be a public site's, whatever it resolves to here."""
    def local(host: str) -> bool:
        try:
            return host == "localhost" or not public_address(host.strip("[]"))
        except ValueError:  # a name, not an address
            return False

    hosts = list(hosts)
    return bool(hosts) and all(map(local, hosts))


def crawl_contact(settings: BaseSettings, layout: DataLayout, hosts: Iterable[str]) -> str | None:
    """Who the crawl of a site on `hosts` says to contact: ZHNEWS_CONTACT, else dataset.yaml's `contact`.
    MissingContact for a crawl that may reach a public site without one: only a site allowed private
    addresses whose hosts are all local ones (the sample sites, on 127.0.0.1) needs none."""
    contact = settings.get("ZHNEWS_CONTACT") or DatasetConfig.load(layout.dataset_config).contact
    custom_agent = (settings.getpriority("USER_AGENT") or 0) > SETTINGS_PRIORITIES["project"]
    local = settings.getbool("ZHNEWS_ALLOW_PRIVATE_ADDRESSES") and _local_only(hosts)
    if not contact and not custom_agent and not local:
        raise MissingContact(f"no contact for the User-Agent: set `contact` in {layout.dataset_config} (or "
                             "ZHNEWS_CONTACT) to a page or address where site operators can reach you")
    return contact


class CrawlDelay:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("ZHNEWS_MAX_CRAWL_DELAY")
        self.delays: dict[str, float] = {}  # host → the delay its robots.txt asks for

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.robots_parsed, signal=signals.robots_parsed)
        # connected after AutoThrottle (extensions are built in order), so this runs after it adjusts
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        return extension

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        agent = self.crawler.settings["ROBOTSTXT_USER_AGENT"] or self.crawler.settings["USER_AGENT"]
        delay = robotparser.crawl_delay(agent)
        if delay:
            host = urlparse_cached(request).hostname or ""
            self.delays[host] = min(float(delay), self.cap)
            self.crawler.stats.set_value(f"zhnews/crawl_delay/{host}", self.delays[host])
            self._slow_down(request)

    def response_downloaded(self, response: Response, request: Request, spider: object = None) -> None:
        self._slow_down(request)

    def _slow_down(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).hostname or "")
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if not delay or downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            # a floor, not an average: Scrapy would draw each wait between 0.5 and 1.5 times the delay
            slot.jitter = 0.0
            slot.delay = max(slot.delay, delay)
