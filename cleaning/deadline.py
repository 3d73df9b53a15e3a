"""A wall-clock limit on the work done for one page, so that no page can stall a shard.

The runner gives every document one budget for its whole way through the steps
(`cleaning/run/shard.py`); a step that runs over it is interrupted and the page dropped as `timeout`.
The extract step asks for the same limit itself, for callers that run it alone (evaluation); under
the runner's limit that inner one does nothing. SIGALRM: main thread only, where the runner's
worker processes handle pages.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class PageTimeout(BaseException):
    """A BaseException: trafilatura's fallbacks catch every Exception and would carry on, unlimited."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise PageTimeout in the main thread after `seconds`; a no-op when 0, off the main thread, or
    inside a limit already running (the outer one holds)."""
    if (not seconds or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
