"""What an extractor returns: ours, and each baseline the harness compares it with."""

from __future__ import annotations

from dataclasses import dataclass

from cleaning.text.metadata import Metadata


@dataclass(kw_only=True)
class Extraction(Metadata):
    """Main text and the page's metadata; `reason` says why the text is empty, when it is."""

    text: str
    reason: str | None = None
