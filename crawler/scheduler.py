"""Scrapy's scheduler, ending a site's crawl when its request queue on disk fails.

The queue lives on disk (`JOBDIR`, crawler/run_setup.py). When the disk is full, Scrapy's scheduler raises
the queue's OSError inside the engine's loop, which logs it and tries again a moment later, forever: the
nightly job hung for as long as the disk stayed full. Here the first such error is logged once, counted
(`zhnews/errors/request_queue`) and ends the site's crawl as `queue_failed`, a failure the summary names;
the requests it still held in memory are dropped with it, and the next crawl finds their URLs again.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.utils.defer import deferred_from_coro

log = logging.getLogger(__name__)


class QueueFailureScheduler(Scheduler):
    """The scheduler, closing the spider on its disk queue's first OSError instead of raising it."""

    queue_failed = False

    def _dqpush(self, request: Request) -> bool:
        try:
            return super()._dqpush(request)
        except OSError as error:
            self._fail(error)
            return False  # held in memory until the spider closes

    def _dqpop(self) -> Request | None:
        try:
            return super()._dqpop()
        except OSError as error:
            self._fail(error)
            return None

    def _fail(self, error: OSError) -> None:
        if self.queue_failed:
            return
        self.queue_failed = True
        assert self.crawler is not None and self.crawler.engine is not None and self.stats is not None
        self.stats.inc_value("zhnews/errors/request_queue")
        log.error("the request queue on disk failed (%s): this site's crawl stops; it goes on in the next crawl "
                  "once the disk has room", error)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="queue_failed"))
