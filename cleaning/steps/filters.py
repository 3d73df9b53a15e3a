"""Filters: steps that only decide keep or drop, each with one reason of its own."""

from __future__ import annotations

from cleaning.document import Document
from cleaning.steps.base import Step


class MinLength(Step):
    """Drop documents whose cleaned text is too short to be an article (teasers, empty shells)."""

    name = "min_length"

    def __init__(self, min_chars: int) -> None:
        super().__init__()
        self.min_chars = min_chars

    def apply(self, doc: Document) -> str | None:
        return "too_short" if len(doc.text.strip()) < self.min_chars else None
