"""Scrapy's HTTP/1.1 download handler, with the response headers bounded too.

`DOWNLOAD_MAXSIZE` counts body bytes only, and Twisted bounds the length of one header line but not
how many come: a server that sends header lines for the whole download timeout filled the crawler's
memory at about 230 MB a second (a security review's measurement). Here the bytes a response sends
before its body are counted, connection by connection, and past `ZHNEWS_MAX_HEADER_BYTES` the
response fails (`HeadersTooLarge`, logged with the URL) and the connection is dropped. Real servers
refuse headers far smaller (8-64 KB is usual), so the default leaves every honest page alone; the
chunk that ends the headers is not counted, so a page's body never counts against the limit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)
from twisted.python.failure import Failure
from twisted.web._newclient import HEADER, STATUS


class HeadersTooLarge(Exception):
    """A response whose status line and headers passed the limit before its body began."""


class _BoundedHeadersProtocol(_LenientHTTP11ClientProtocol):
    def __init__(self, quiescent: Any, limit: int) -> None:
        super().__init__(quiescent)
        self._limit = limit
        self._counted: object = None  # the parser (one per response) whose header bytes are counted
        self._header_bytes = 0

    def dataReceived(self, data: bytes) -> None:
        parser = self._parser
        super().dataReceived(data)
        # counted once the parser has read the chunk, and only if its headers still go on: the chunk that
        # ends them, body bytes included, is never counted (a page is never failed for its body)
        if parser is None or parser.state not in (STATUS, HEADER) or self._parser is not parser:
            return
        if parser is not self._counted:
            self._counted, self._header_bytes = parser, 0
        self._header_bytes += len(data)
        if self._header_bytes > self._limit:
            uri = getattr(getattr(parser, "request", None), "uri", b"").decode("latin-1")
            self._giveUp(Failure(HeadersTooLarge(f"{uri}: response headers over {self._limit:,} bytes")))


class _BoundedHeadersFactory(_LenientHTTP11ClientFactory):
    def __init__(self, limit: int, quiescent: Any, metadata: Any) -> None:
        super().__init__(quiescent, metadata)
        self._limit = limit

    def buildProtocol(self, addr: Any) -> _BoundedHeadersProtocol:
        return _BoundedHeadersProtocol(self._quiescentCallback, self._limit)


class BoundedHTTP11DownloadHandler(HTTP11DownloadHandler):
    """`DOWNLOAD_HANDLERS` for http and https (`crawler/settings.py`)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._pool._factory = partial(_BoundedHeadersFactory, crawler.settings.getint("ZHNEWS_MAX_HEADER_BYTES"))
