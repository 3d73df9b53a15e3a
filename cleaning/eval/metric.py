"""Extraction quality: bag-of-tokens F1 between an extracted text and a human gold text.

Tokens: after NFKC folding and lower-casing, each CJK character is one token and each run of other
letters or digits is one token; punctuation and spaces are not tokens. Counting tokens as a
multiset (not a set) means a paragraph kept twice, or lost once, changes the score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from cleaning.text.chars import HAN

_CJK = (
    HAN  # ideographs: URO, extension A, compatibility, extensions B–H
    + "\u3040-\u30ff"  # kana: one token per character, like ideographs
    + "\uac00-\ud7af"  # hangul syllables
)
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}_]+")

FAIL_BELOW = 0.5  # a page scoring under this counts as an extraction failure


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower()))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def score(extracted: str, gold: str) -> Score:
    """Multiset precision/recall/F1; two empty texts agree perfectly, one empty side scores 0."""
    got, want = tokens(extracted), tokens(gold)
    if not got and not want:
        return Score(1.0, 1.0, 1.0)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def macro(scores: list[Score]) -> tuple[float, float]:
    """(mean F1, share of pages that failed) over a set of pages."""
    if not scores:
        return 0.0, 0.0
    return (sum(s.f1 for s in scores) / len(scores), sum(s.f1 < FAIL_BELOW for s in scores) / len(scores))
