"""A disk that fills up under the crawl's request queue: `FullDiskQueue`, set as SCHEDULER_DISK_QUEUE, raises
what a full disk raises (ENOSPC) once a few requests were queued, on every push and pop after."""

from __future__ import annotations

import errno
from typing import Any

from scrapy.squeues import PickleLifoDiskQueue

FULL_AFTER = 3  # requests queued before the disk is full


class FullDiskQueue(PickleLifoDiskQueue):
    pushed = 0  # across every queue of the crawl (one per priority and download slot)

    def push(self, obj: Any) -> None:
        FullDiskQueue.pushed += 1
        self._check()
        super().push(obj)

    def pop(self) -> Any:
        self._check()
        return super().pop()

    @staticmethod
    def _check() -> None:
        if FullDiskQueue.pushed > FULL_AFTER:
            raise OSError(errno.ENOSPC, "No space left on device")
