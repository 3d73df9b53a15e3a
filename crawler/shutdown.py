"""SIGTERM and Ctrl-C stop a crawl cleanly at any moment, while its spiders are still opening included.

Scrapy's own handlers come too late and stop too little for that: they are installed once the reactor
runs, so a signal before then ran the CLI's handler, whose SystemExit Twisted caught and logged while
the other sites crawled on; and they stop only engines already running, then stop the reactor, so a
site still opening was left unclosed. Here the handler is ours for the whole crawl: the first signal
stops every running site, and each site still opening as soon as its engine starts (it closes with
finish reason "shutdown", its files complete); a second stops the reactor at once, as Scrapy's does.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable, Iterator
from types import FrameType

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import is_reactor_installed

logger = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Shutdown:
    """Catches the stop signals for one crawl process and stops its crawlers when one comes."""

    def __init__(self) -> None:
        self.requested = False
        # crawlers whose engine has started and whose spider is still open: the ones a stop reaches now
        self._started: set[Crawler] = set()

    @contextlib.contextmanager
    def catching_signals(self) -> Iterator[Shutdown]:
        """Ours from before the crawlers are built until the reactor has stopped; the previous
        handlers (the CLI's) come back after."""
        previous = {signum: signal.signal(signum, self._received) for signum in STOP_SIGNALS}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def watch(self, crawler: Crawler) -> None:
        """Follow `crawler`'s engine, so that a stop reaches it whenever it comes."""
        crawler.signals.connect(lambda: self._engine_started(crawler), signal=signals.engine_started, weak=False)
        # from its spider's close on, the engine is stopping already: a stop must not reach it twice
        crawler.signals.connect(lambda: self._started.discard(crawler), signal=signals.spider_closed, weak=False)

    def _received(self, signum: int, frame: FrameType | None) -> None:
        """In a signal handler only the flag is set: the stop itself runs in the reactor's thread."""
        if self.requested:
            _in_reactor(_stop_reactor_now)
        else:
            self.requested = True
            _in_reactor(self._stop_started_crawlers, signal.Signals(signum).name)

    def _stop_started_crawlers(self, signame: str) -> None:
        logger.warning("%s received: stopping every site cleanly (send it again to stop at once)", signame)
        for crawler in list(self._started):
            self._started.discard(crawler)
            deferred_from_coro(crawler.engine.stop_async())

    async def _engine_started(self, crawler: Crawler) -> None:
        """An engine that starts after the stop was asked for stops here: Scrapy then returns from
        its start without fetching anything."""
        if self.requested:
            await crawler.engine.stop_async()
        else:
            self._started.add(crawler)


def _in_reactor(function: Callable[..., None], *args: object) -> None:
    """Call `function` in the reactor's thread once it runs. Before Scrapy has installed the reactor no
    engine has started, and importing it here would install the wrong one: the flag alone stops them."""
    if is_reactor_installed():
        from twisted.internet import reactor

        reactor.callFromThread(function, *args)


def _stop_reactor_now() -> None:
    from twisted.internet import reactor

    logger.warning("stop signal received twice: stopping at once, without closing the sites")
    with contextlib.suppress(RuntimeError):  # already stopping
        reactor.stop()
