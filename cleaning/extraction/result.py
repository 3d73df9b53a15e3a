"""What an extractor returns: ours, and each baseline the harness compares it with."""

from __future__ import annotations

from dataclasses import dataclass


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
