"""A wall-clock deadline for a block of work, by SIGALRM: the one way to interrupt a call that does not
return (a pathological page in a parser, a Hub client sleeping out an hour's Retry-After).

Main thread only (signals are delivered there); inside a deadline already running the outer one holds,
so a step that asks for its own limit under the runner's does nothing. This module imports nothing of ours.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def deadline(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `error()` in the main thread after `seconds`; a no-op when 0, off the main thread, or
    inside a deadline already running."""
    if (not seconds or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise error()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
