"""The wall-clock limit on the work done for one page, so that no page can stall a shard.

The runner gives every document one budget for its whole way through the steps
(`cleaning/run/shard.py`); a step that runs over it is interrupted and the page dropped as `timeout`.
The extract step asks for the same limit itself, for callers that run it alone (evaluation); under
the runner's limit that inner one does nothing (`corpus/deadline.py`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from corpus.deadline import deadline


class PageTimeout(BaseException):
    """A BaseException: trafilatura's fallbacks catch every Exception and would carry on, unlimited."""


def time_limit(seconds: float) -> AbstractContextManager[None]:
    """Raise PageTimeout after `seconds` (main thread; a no-op when 0 or inside a running limit)."""
    return deadline(seconds, PageTimeout)

