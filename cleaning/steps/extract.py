"""The extract step: decoded HTML → title, main text and metadata, with a per-page time limit.

The work itself is `cleaning.extraction.extract_html`. It can hang on pathological markup, so it
runs under the page's wall-clock budget (`cleaning/deadline.py`): the runner's, which covers every
step of the page, or its own when the step runs alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from cleaning.deadline import PageTimeout, time_limit
from cleaning.document import Document
from cleaning.extraction.extractor import EXTRACTOR, extract_paginated
from cleaning.extraction.pdf import PDF_EXTRACTOR, extract_pdf, is_pdf
from cleaning.steps.base import Step


def _crawl_day(crawled_at: str) -> date | None:
    """Nothing was published after it was fetched: the crawl day bounds the dates we accept.

    The fetch time is UTC and pages state local time, up to a day ahead (a Beijing morning is the
    previous UTC evening), so the bound is the day after the UTC crawl day.
    """
    try:
        return date.fromisoformat(crawled_at[:10]) + timedelta(days=1)
    except ValueError:
        return None


class Extract(Step):
    """HTML (or an e-paper PDF) → title, main text and metadata; drops pages with no main text, saying why.

    `prune_xpath` maps a site (profile name) to XPath expressions of containers to delete before
    extraction: the per-site override for furniture the generic rules miss.
    """

    name = "extract"

    def __init__(self, timeout_seconds: float, max_pdf_pages: int,
                 prune_xpath: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__()
        self.timeout_seconds, self.max_pdf_pages = timeout_seconds, max_pdf_pages
        self.prune_xpath = dict(prune_xpath or {})

    def apply(self, doc: Document) -> str | None:
        pdf = not doc.html and is_pdf(doc.body, doc.headers.get("content-type", ""))  # `decode` kept it as bytes
        later: list[str] = []
        try:
            with time_limit(self.timeout_seconds):
                if pdf:
                    got = extract_pdf(doc.body, self.max_pdf_pages)
                else:
                    prune = self.prune_xpath.get(doc.site or "", ())
                    # a paginated article's later pages: their texts follow the first page's, in order
                    got, later = extract_paginated(doc.html, doc.later_html, doc.url or None, prune,
                                                   latest=_crawl_day(doc.crawled_at))
        except PageTimeout:
            return "timeout"
        except Exception as error:  # a parser crash on one page must not stop the shard
            self.count(f"error/{type(error).__name__}")
            return "extractor_error"
        finally:
            doc.html, doc.body, doc.later_html = "", b"", []
        if got.reason:
            return got.reason
        doc.text = "\n".join([got.text, *(text for text in later if text)])
        if later:
            self.count("paginated")
        doc.fill_missing(got)
        doc.extractor = PDF_EXTRACTOR if pdf else EXTRACTOR
        self.count("pdf" if pdf else "html")
        return None
