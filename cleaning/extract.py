"""Main-content extraction with trafilatura, on the decoded str, with a per-page time limit.

trafilatura is given `str`, never bytes (given bytes it mis-decodes gb2312-labelled GBK pages), and
`include_comments=False` (otherwise reader comments end up in the text). It can hang on pathological
markup, so each page gets a wall-clock budget enforced with SIGALRM; the runner executes shards in
worker processes, where pages are handled on the main thread and the alarm is safe to use.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from datetime import datetime
from collections.abc import Iterator

import trafilatura

from cleaning.step import Step
from corpus.record import Document

EXTRACTOR = f"trafilatura {trafilatura.__version__}"
BEIJING = "+08:00"


class ExtractionTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExtractionTimeout in the main thread after `seconds`; a no-op elsewhere or when 0."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ExtractionTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def to_beijing_iso(stamp: str | None) -> str | None:
    """trafilatura's 'YYYY-MM-DD[ HH:MM:SS]' → ISO 8601; pages of Chinese news sites state Beijing time."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo:
        return moment.isoformat()
    return moment.isoformat() + BEIJING


def _without_headline(text: str, title: str | None) -> str:
    """trafilatura keeps the <h1> as the first line; the title has its own column."""
    first, _, rest = text.partition("\n")
    return rest if title and first.strip() == title.strip() and rest.strip() else text


class Extract(Step):
    """HTML → title, main text and metadata; drops pages with no main text, saying why."""

    name = "extract"

    def __init__(self, timeout_seconds: float = 30.0) -> None:
        super().__init__()
        self.timeout_seconds = timeout_seconds

    def apply(self, doc: Document) -> str | None:
        try:
            with time_limit(self.timeout_seconds):
                result = trafilatura.bare_extraction(
                    doc.html,
                    url=doc.url,
                    with_metadata=True,
                    include_comments=False,
                    include_tables=True,
                    date_extraction_params={
                        "outputformat": "%Y-%m-%d %H:%M:%S",
                        "original_date": True,
                        "extensive_search": True,
                    },
                )
        except ExtractionTimeout:
            return "timeout"
        except Exception as error:  # a parser crash on one page must not stop the shard
            self.count(f"error:{type(error).__name__}")
            return "extractor_error"
        finally:
            doc.html = ""
        if result is None or not (result.text or "").strip():
            return "no_main_text"
        doc.title = doc.title or result.title
        doc.text = _without_headline(result.text, doc.title)
        doc.author = doc.author or result.author
        doc.published_at = doc.published_at or to_beijing_iso(result.date)
        doc.extractor = EXTRACTOR
        return None
