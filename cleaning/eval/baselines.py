"""The open extractors we compare against, each behind one signature: decoded HTML → `Extraction`.

They get the page decoded exactly as our pipeline decodes it (`cleaning.steps.decode.decode_html`), so the
comparison measures extraction, not charset guessing. Optional ones (the `bench` extra) are imported
lazily; a missing one is reported in the table instead of failing the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import lxml.html

from cleaning.extraction.result import Extraction

HtmlExtractor = Callable[[str, str | None], Extraction]

# Elements after which a line ends: without the break, "foo</p><p>bar" would read as one word "foobar".
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre")


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one block per line."""
    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _trafilatura(include_comments: bool) -> HtmlExtractor:
    import trafilatura

    def run(html: str, url: str | None) -> Extraction:
        return Extraction(text=trafilatura.extract(html, url=url, include_comments=include_comments) or "")

    return run


def _trafilatura_metadata(html: str, url: str | None) -> Extraction:
    """trafilatura's own metadata, for the metadata table only (not timed: `extract` skips it)."""
    import trafilatura

    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return Extraction(text="")
    return Extraction(text="", author=meta.author, published_at=meta.date, title=meta.title)


def _readability() -> HtmlExtractor:
    from readability import Document as Readable

    def run(html: str, url: str | None) -> Extraction:
        return Extraction(text=html_to_text(Readable(html, url=url).summary(html_partial=True)))

    return run


def _resiliparse() -> HtmlExtractor:
    from resiliparse.extract.html2text import extract_plain_text

    def run(html: str, url: str | None) -> Extraction:
        return Extraction(text=extract_plain_text(html, main_content=True, preserve_formatting=True))

    return run


@dataclass(frozen=True)
class Baseline:
    name: str
    load: Callable[[], HtmlExtractor] | None  # None: cannot be installed here
    unavailable: str = "not installable"
    metadata: HtmlExtractor | None = None


BASELINES = [
    Baseline("trafilatura", lambda: _trafilatura(True), metadata=_trafilatura_metadata),
    Baseline("trafilatura-no-comments", lambda: _trafilatura(False)),
    Baseline("readability-lxml", _readability),
    Baseline("resiliparse", _resiliparse),
    # magic-html: its only release on the package index needs Python >= 3.12
    Baseline("magic-html", None),
]
REFERENCE = "trafilatura"  # times are reported as a ratio to this one


def load_baseline(baseline: Baseline) -> tuple[HtmlExtractor | None, str]:
    """(the extractor, '') or (None, why it is unavailable)."""
    if baseline.load is None:
        return None, baseline.unavailable
    try:
        return baseline.load(), ""
    except ImportError:
        return None, "not installed: pip install -e '.[bench]'"
