"""What an extractor returns, and the HTML → plain-text rendering shared by extractors that return HTML."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

# Elements after which a line ends: without the break, "foo</p><p>bar" would read as one word "foobar".
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre")


@dataclass(frozen=True)
class Extraction:
    """Main text and metadata of one page; `reason` says why the text is empty, when it is."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    reason: str | None = None
    editor: str | None = None
    source: str | None = None


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one block per line."""
    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
