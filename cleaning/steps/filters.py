"""Filters: steps that only decide keep or drop, each with reasons of its own.

Each reads the signals the annotation steps stored (`doc.quality`, `doc.language`) and one section
of `cleaning/thresholds.yaml`, passed in as a mapping; a reason names the threshold that failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cleaning.document import Document
from cleaning.steps.base import Step
from corpus.withdrawn import Blocklist

Thresholds = Mapping[str, Any]


class ThresholdFilter(Step):
    """A filter configured by its own section of the thresholds file."""

    def __init__(self, thresholds: Thresholds) -> None:
        super().__init__()
        self.thresholds = dict(thresholds)

    def signal(self, doc: Document, name: str) -> float:
        return (doc.quality or {}).get(name, 0.0)


class Withdrawn(Step):
    """Drop pages a publisher had withdrawn (data/withdrawn.json): their URL, id or domain."""

    name = "withdrawn"

    def __init__(self, blocklist: Blocklist) -> None:
        super().__init__()
        self.blocklist = blocklist

    def apply(self, doc: Document) -> str | None:
        return "withdrawn" if self.blocklist.match(doc.url) else None


class MinLength(ThresholdFilter):
    """Drop documents whose cleaned text is too short to be an article (teasers, empty shells)."""

    name = "min_length"

    def apply(self, doc: Document) -> str | None:
        return "too_short" if len(doc.text.strip()) < self.thresholds["min_chars"] else None


class LanguageFilter(ThresholdFilter):
    """Keep Chinese (and Cantonese) text the detector is confident about; drop Japanese, English, …"""

    name = "language"

    def apply(self, doc: Document) -> str | None:
        if doc.language not in self.thresholds["languages"]:
            return f"language_{doc.language or 'unknown'}"
        return "low_language_score" if (doc.language_score or 0.0) < self.thresholds["min_score"] else None


class CjkShare(ThresholdFilter):
    """Drop text that is mostly not Han characters (code, tables of figures, Latin-script pages)."""

    name = "cjk_share"

    def apply(self, doc: Document) -> str | None:
        return "low_cjk_share" if self.signal(doc, "cjk_share") < self.thresholds["min_share"] else None


class Repetition(ThresholdFilter):
    """Drop text that repeats itself: duplicated lines, or one character n-gram covering too much of it."""

    name = "repetition"

    def apply(self, doc: Document) -> str | None:
        limits = self.thresholds
        if self.signal(doc, "dup_line_frac") > limits["max_dup_line_frac"]:
            return "dup_line_frac"
        if self.signal(doc, "dup_line_char_frac") > limits["max_dup_line_char_frac"]:
            return "dup_line_char_frac"
        for n in (2, 3, 4):
            if self.signal(doc, f"top_{n}gram_share") > limits[f"max_top_{n}gram_share"]:
                return f"top_{n}gram_share"
        return None


class LinePunctuation(ThresholdFilter):
    """Drop text whose lines rarely end a sentence: menus, headline lists, tag clouds."""

    name = "line_punct"

    def apply(self, doc: Document) -> str | None:
        if self.signal(doc, "lines") < self.thresholds["min_lines"]:
            return None
        return "few_sentence_lines" if self.signal(doc, "line_punct_share") < self.thresholds["min_share"] else None


class ListPage(ThresholdFilter):
    """Drop listing pages: many lines, mostly short, dated, carrying view counters or bare headlines."""

    name = "list_page"

    def apply(self, doc: Document) -> str | None:
        limits = self.thresholds
        if self.signal(doc, "lines") < limits["min_lines"]:
            return None
        if self.signal(doc, "counter_line_share") > limits["max_counter_line_share"]:
            return "counter_lines"
        if self.signal(doc, "timestamp_line_share") > limits["max_timestamp_line_share"]:
            return "timestamp_lines"
        if self.signal(doc, "short_line_share") > limits["max_short_line_share"]:
            return "short_lines"
        if self.signal(doc, "link_like_line_share") > limits["max_link_like_line_share"]:
            return "headline_lines"
        return None
