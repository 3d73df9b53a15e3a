"""The request guard: where a crawl may go, checked on every request, redirects and robots.txt included.

A hostile server cannot steer the crawl off its site: a request goes out only
- over http or https,
- to a host the profile allows (the hosts of its entry points, or `allowed_domains`, and their
  subdomains) on a port it allows (those of its entry points; 80 and 443 go together),
- to an address that is public: a host resolving to a private, loopback, link-local, multicast or
  reserved address is refused unless `ZHNEWS_ALLOW_PRIVATE_ADDRESSES` is set (the sample sites and
  the tests need it; real profiles never should).
Nor does a request go to a URL or host a publisher had withdrawn (`corpus/withdrawn.py`).
Scheme, host, port and withdrawals are checked by a downloader middleware, when a request is scheduled
and again before it is sent (refusals raise IgnoreRequest, are logged, and are counted as
`zhnews/guard/<reason>`). The address is checked by the resolver the
connection itself uses (`TWISTED_DNS_RESOLVER`), so a DNS answer that changes between a check and the
connection (DNS rebinding) cannot slip a private address in. The middleware also caps a robots.txt
download at `ZHNEWS_ROBOTS_MAX_BYTES`.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from corpus.layout import DataLayout
from corpus.withdrawn import Blocklist

log = logging.getLogger(__name__)


def public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index is not part of the address
    return ip.is_global and not ip.is_multicast


class PrivateAddress(Exception):
    """A host resolved to an address the crawl may not contact. Not an OSError: never retried."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing answers that are not public addresses.

    Every connection resolves its host here, so the address checked is the address connected to.
    One resolver serves the whole process (Scrapy installs it on the reactor), so the hosts whose
    profile allows private addresses are registered by each crawl's guard (`allow_private`).
    """

    def __init__(self, reactor: object, cache_size: int, timeout: float) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.private_allowed: set[str] = set()

    def allow_private(self, domains: Iterable[str]) -> None:
        self.private_allowed.update(domain.lower() for domain in domains)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        host = name.lower()
        if public_address(address) or any(host == domain or host.endswith("." + domain)
                                           for domain in self.private_allowed):
            return address
        what = f"{address} is" if name == address else f"{name} resolves to {address},"
        raise PrivateAddress(f"{what} not a public address (ZHNEWS_ALLOW_PRIVATE_ADDRESSES allows it)")


class GuardMiddleware:
    """Scheme, host and port: the profile's rule, checked on every request (cheap: no I/O)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.robots_max_bytes = crawler.settings.getint("ZHNEWS_ROBOTS_MAX_BYTES")
        # the data folder's blocklist, and the one a fleet's controller sends its nodes (ZHNEWS_WITHDRAWN)
        self.withdrawn = Blocklist.load(DataLayout(Path(crawler.settings["ZHNEWS_DATA_DIR"])).withdrawn).merged(
            Blocklist.from_list(json.loads(crawler.settings.get("ZHNEWS_WITHDRAWN") or "[]")))
        self._resolver_guarded: bool | None = None  # known at the first request: Scrapy installs it late

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        guard = cls(crawler)
        # Scrapy's offsite filter drops a request to another host as it is scheduled, saying so at debug
        # level only (a site that moved to a new domain failed with "no response"): the guard judges it
        # there too, so that such a refusal is logged and counted like any other
        crawler.signals.connect(guard.judge, signal=signals.request_scheduled)
        return guard

    def judge(self, request: Request, spider: object = None) -> None:
        """Refuse (IgnoreRequest) a request the profile's scheme, hosts and ports or a withdrawal rule out."""
        reason = self.crawler.spider.profile.refuses(request.url) or (
            "withdrawn" if self.withdrawn.match(request.url) else None)
        if reason:
            refuse(self.crawler, request, reason)

    def process_request(self, request: Request, spider: object = None) -> None:
        if self._resolver_guarded is None:
            self._resolver_guarded = self._guard_addresses()
        if not self._resolver_guarded:
            refuse(self.crawler, request, "unguarded_resolver")
        self.judge(request)
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt":
            request.meta.setdefault("download_maxsize", self.robots_max_bytes)

    def _guard_addresses(self) -> bool:
        """Tell the reactor's resolver this crawl's exceptions; False when it is not the guard's."""
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        if not isinstance(resolver, GuardedResolver):
            log.error("TWISTED_DNS_RESOLVER is %s, not crawler.guard.GuardedResolver: it would connect to "
                      "private addresses, so every request is refused", type(resolver).__name__)
            return False
        if self.crawler.settings.getbool("ZHNEWS_ALLOW_PRIVATE_ADDRESSES"):
            resolver.allow_private(self.crawler.spider.profile.allowed_domains)
        return True


def refuse(crawler: Crawler, request: Request, reason: str) -> None:
    crawler.stats.inc_value(f"zhnews/guard/{reason}")
    log.warning("refused %s: %s", request.url, reason.replace("_", " "))
    raise IgnoreRequest(f"guard: {reason}")
