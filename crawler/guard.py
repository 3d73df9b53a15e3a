"""The request guard: where a crawl may go, checked on every request, redirects and robots.txt included.

A hostile server cannot steer the crawl off its site: a request goes out only
- over http or https,
- to a host the profile allows (the hosts of its entry points, or `allowed_domains`, and their
  subdomains) on a port it allows (those of its entry points; 80 and 443 go together),
- to an address that is public: a host resolving to a private, loopback, link-local, multicast or
  reserved address is refused unless `ZHNEWS_ALLOW_PRIVATE_ADDRESSES` is set (the sample sites and
  the tests need it; real profiles never should).
Refusals raise IgnoreRequest, are logged, and are counted as `zhnews/guard/<reason>`. The guard also
caps a robots.txt download at `ZHNEWS_ROBOTS_MAX_BYTES`. Two middlewares: the address check resolves
names, so it is apart, and loaded only where private addresses are refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)


def public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index is not part of the address
    return ip.is_global and not ip.is_multicast


class GuardMiddleware:
    """Scheme, host and port: the profile's rule, checked on every request (cheap: no I/O)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.robots_max_bytes = crawler.settings.getint("ZHNEWS_ROBOTS_MAX_BYTES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request, spider: object = None) -> None:
        reason = self.crawler.spider.profile.refuses(request.url)
        if reason:
            refuse(self.crawler, request, reason)
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt":
            request.meta.setdefault("download_maxsize", self.robots_max_bytes)


class AddressGuardMiddleware:
    """No private, loopback, link-local, multicast or reserved address, unless the setting allows them.

    Apart from the cheap guard because it resolves names (off the reactor thread, once per host and
    port), which costs a coroutine per request: where private addresses are allowed it is not loaded.
    """

    def __init__(self, crawler: Crawler) -> None:
        if crawler.settings.getbool("ZHNEWS_ALLOW_PRIVATE_ADDRESSES"):
            raise NotConfigured
        self.crawler = crawler
        self._refusals: dict[tuple[str, int], str | None] = {}  # (host, port) → refusal or None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request, spider: object = None) -> None:
        url = urlparse_cached(request)
        key = (url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
        if key not in self._refusals:
            try:
                infos = await asyncio.get_running_loop().run_in_executor(
                    None, socket.getaddrinfo, key[0], key[1], 0, socket.SOCK_STREAM)
            except OSError:  # no such host: the download itself fails and says so
                infos = []
            private = [info[4][0] for info in infos if not public_address(info[4][0])]
            self._refusals[key] = "private_address" if private else None
        if self._refusals[key]:
            refuse(self.crawler, request, self._refusals[key])


def refuse(crawler: Crawler, request: Request, reason: str) -> None:
    crawler.stats.inc_value(f"zhnews/guard/{reason}")
    log.warning("refused %s: %s", request.url, reason.replace("_", " "))
    raise IgnoreRequest(f"guard: {reason}")
