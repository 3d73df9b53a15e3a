"""Character classes shared by the text rules, as regex fragments and predicates.

Kept in one place so that "Chinese character" means the same thing to every rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# Han ideographs: URO, extension A, compatibility ideographs, extensions B and later.
HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN = "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_RANGES)  # for regex character classes
# Full-width punctuation used in Chinese text (never flattened to ASCII by any rule).
OPENING_PUNCT = "“‘（《〈「『【〔［｛"
CLOSING_PUNCT = "”’）》〉」』】〕］｝"
CJK_PUNCT = "，。、；：？！…⋯—～·" + OPENING_PUNCT + CLOSING_PUNCT
# Of those, the marks English typography uses too: by themselves they say nothing about the language.
SHARED_PUNCT = "…⋯—·“‘”’"
# Marks that end a sentence; a closing quote or bracket after one of them also ends it.
SENTENCE_END = "。！？!?…⋯"


def is_han(ch: str) -> bool:
    """True for a Han ideograph (simplified or traditional alike). Spelled out range by range, not
    as a loop over HAN_RANGES: the text rules call it character by character."""
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
                         or "\U00020000" <= ch <= "\U0003134f")


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points (a lone surrogate left by a broken page included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def han_mask(points: np.ndarray) -> np.ndarray:
    """Which code points are Han ideographs: `is_han` over a whole array at once."""
    mask = np.zeros(points.shape, dtype=bool)
    for low, high in HAN_RANGES:
        mask |= (points >= low) & (points <= high)
    return mask


_CHINESE = re.compile(f"[{HAN}{re.escape(''.join(ch for ch in CJK_PUNCT if ch not in SHARED_PUNCT))}]")


def has_chinese(text: str) -> bool:
    """Any Han character or Chinese-only punctuation (a curly quote or a dash alone is not Chinese,
    see `chinese_beside`): the rules that only act beside Chinese skip a line without any (an
    English paragraph, a line of figures) in one regex pass."""
    return _CHINESE.search(text) is not None


def is_cjk_punct(ch: str) -> bool:
    return bool(ch) and ch in CJK_PUNCT


def is_chinese(ch: str) -> bool:
    """A Han ideograph or full-width Chinese punctuation: the context that calls for full width."""
    return is_han(ch) or is_cjk_punct(ch)


def chinese_beside(line: Sequence[str], i: int, step: int, skip: str = SHARED_PUNCT) -> bool:
    """Is the text at index i Chinese, reading in direction `step`? A shared mark (a quote, a dash)
    counts as what it stands against: “好” is Chinese, “hello” is not. `skip`: what is passed over."""
    while 0 <= i < len(line) and line[i] in skip:
        i += step
    return 0 <= i < len(line) and is_chinese(line[i])


def ends_sentence(line: str) -> bool:
    """Does `line` end with sentence-final punctuation, possibly followed by closing quotes?

    A closing quote alone does not end a sentence: “北脑二号” may be followed by more words.
    """
    stripped = line.rstrip().rstrip(CLOSING_PUNCT + "\"'")
    return bool(stripped) and stripped[-1] in SENTENCE_END
