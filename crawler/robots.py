"""robots.txt that fails closed, as RFC 9309 says: a robots.txt that cannot be read disallows everything.

Scrapy's middleware allows everything when robots.txt answers 5xx, times out, or is too large to
download, so a site that says `Disallow: /` was crawled whole whenever its robots.txt was flaky.
Here: 2xx is parsed; 4xx (none published) allows everything; 5xx, a network error, a timeout or a body
over `ZHNEWS_ROBOTS_MAX_BYTES` (the guard sets the limit on the request) disallow everything for the
run. Each case is counted under `robotstxt/…`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
ALLOW_ALL = b""


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, failing closed."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/unreachable/status")
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=ALLOW_ALL)
        await super()._parse_robots(response, netloc, request)

    def forbids(self, url: str) -> bool:
        """Whether the robots.txt already read for `url`'s host forbids it (False while it is unread): lets
        the spider leave such a URL out before it spends anything on it."""
        parser = self._parsers.get(urlsplit(url).netloc)
        if parser is None or isinstance(parser, Deferred):
            return False
        return not parser.allowed(url, self._robotstxt_useragent or self._default_useragent)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        """Called when robots.txt could not be downloaded at all: disallow all (Scrapy: allow all)."""
        reason = "refused" if isinstance(exc, IgnoreRequest) else type(exc).__name__
        self._stats.inc_value(f"robotstxt/unreachable/{reason}")
        waiting = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        waiting.callback(parser)  # type: ignore[union-attr]
