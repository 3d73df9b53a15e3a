"""Quality signals of a cleaned text, all counted on characters and lines, never on spaces.

Chinese has no spaces between words, so Gopher's and FineWeb's word-based signals are computed here
on characters (as MAP-CC does). Each signal is stored on the record (`quality`), so a consumer can
re-filter with other thresholds without re-processing; the filters that read them are
`cleaning/steps/filters.py`, their thresholds `cleaning/thresholds.yaml`.
"""

from __future__ import annotations

import re

import numpy as np

from cleaning.text.chars import code_points, ends_sentence, han_mask

# A line this short (in characters) is a headline, a label or a list item, not a paragraph.
SHORT_LINE_CHARS = 15
# A dated or counted line this short is a listing item; a paragraph of prose mentions dates too.
ITEM_LINE_CHARS = 40
# Names of the signals, in the order of the record's `quality` struct (corpus.record holds the same).
SIGNALS = ("cjk_share", "lines", "mean_line_chars", "line_punct_share", "dup_line_frac",
           "dup_line_char_frac", "top_2gram_share", "top_3gram_share", "top_4gram_share",
           "short_line_share", "timestamp_line_share", "counter_line_share", "link_like_line_share", "damage")

_SPACE = re.compile(r"\s+")
_POLY = np.uint64(0x110001)  # above every code point: n-grams of up to 3 characters map one to one
_SENTENCE_PUNCT = re.compile("[，。；：！？,.;!?]")
_TIMESTAMP = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}月\d{1,2}日|\b\d{1,2}:\d{2}\b")
# "阅读 3573", "评论：683", "1.2万人阅读", "36条评论": the counters of a listing item
_COUNTER = re.compile(r"(阅读|评论|点赞|浏览|播放|点击|收藏|转发|跟帖)(量|数|次数)?\s*[:：]?\s*[\d.]+\s*万?"
                      r"|[\d.]+\s*万?\s*(人阅读|次阅读|条评论|人评论|次浏览|人参与|次播放|跟帖)")


def top_ngram_share(chars: str, n: int) -> float:
    """Share of the characters covered by the most frequent character n-gram (Gopher's top n-gram
    fraction, on characters)."""
    return _top_ngram_share(code_points(chars).astype(np.uint64), n)


def _top_ngram_share(points: np.ndarray, n: int) -> float:
    """`top_ngram_share` on code points. n-grams are counted by a 64-bit polynomial of their code
    points (one to one up to 3 characters; a collision beyond would need two of a few thousand
    n-grams to share 64 bits)."""
    if points.size < n:
        return 0.0
    count = points.size - n + 1
    codes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            codes = codes * _POLY + points[offset:offset + count]
    codes.sort()
    boundaries = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1], [True])))
    return min(1.0, int(np.diff(boundaries).max()) * n / points.size)


def _is_item(line: str, pattern: re.Pattern[str]) -> bool:
    return len(line) < ITEM_LINE_CHARS and bool(pattern.search(line))


def _is_link_like(line: str) -> bool:
    """A headline as link lists show it: short, and not one punctuation mark of a sentence in it."""
    return len(line) < ITEM_LINE_CHARS and not _SENTENCE_PUNCT.search(line)


def quality_signals(text: str, damage: int = 0) -> dict[str, float | int]:
    """Every signal of `SIGNALS` for one cleaned text (one paragraph per line); `damage` counts the
    characters the repair steps could not restore."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    chars = _SPACE.sub("", text)
    code = code_points(chars)
    points = code.astype(np.uint64)
    total = len(chars) or 1
    seen: set[str] = set()
    duplicate_lines = duplicate_chars = 0
    for line in lines:
        if line in seen:
            duplicate_lines += 1
            duplicate_chars += len(line)
        seen.add(line)
    count = len(lines) or 1
    return {
        "cjk_share": int(han_mask(code).sum()) / total,
        "lines": len(lines),
        "mean_line_chars": sum(len(line) for line in lines) / count,
        "line_punct_share": sum(ends_sentence(line) for line in lines) / count,
        "dup_line_frac": duplicate_lines / count,
        "dup_line_char_frac": duplicate_chars / total,
        "top_2gram_share": _top_ngram_share(points, 2),
        "top_3gram_share": _top_ngram_share(points, 3),
        "top_4gram_share": _top_ngram_share(points, 4),
        "short_line_share": sum(len(line) < SHORT_LINE_CHARS for line in lines) / count,
        "timestamp_line_share": sum(_is_item(line, _TIMESTAMP) for line in lines) / count,
        "counter_line_share": sum(_is_item(line, _COUNTER) for line in lines) / count,
        "link_like_line_share": sum(map(_is_link_like, lines)) / count,
        "damage": damage,
    }
