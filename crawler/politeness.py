"""Politeness beyond Scrapy's own: a site's robots.txt `Crawl-delay` is honoured, and the User-Agent
names a contact.

Scrapy parses robots.txt but ignores its Crawl-delay. This extension records the delay robots.txt
asks of our User-Agent for each host and keeps that host's download slot at least that slow, also
after AutoThrottle (which only knows DOWNLOAD_DELAY as its floor) has adjusted it. The delay is capped
at `ZHNEWS_MAX_CRAWL_DELAY`: a site asking for an hour between pages is crawled at the cap.
"""

from __future__ import annotations

from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached


def user_agent(contact: str, version: str) -> str:
    """A descriptive User-Agent: who we are, and where a site operator reaches us."""
    return f"zhnews-corpus/{version} (+{contact}; research corpus crawler)"


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
