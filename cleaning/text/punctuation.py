"""Restore full-width punctuation that a site or a scraper wrote as ASCII beside Chinese text.

Only ASCII → full width, never the reverse. ASCII stays where it belongs: inside numbers
(1,000; 09:36), in Latin words and English sentences, URLs, e-mail addresses and code, because
there the mark does not touch a Chinese character.

- `, : ; ? !` become `，：；？！` when the character right before them, or right after them, is
  Chinese (a Han character or full-width punctuation). "5%,较" converts through the right side.
  A "?" standing for a lost character ("10?3S/cm", "北京??区") is left alone: it is damage, and
  `unicode.measure_damage` counts it.
- `( )` are converted as a pair, when the content contains a Han character ("(一)", "(以下简称…)")
  or when the character outside either parenthesis, across at most one space, is Chinese:
  "综合征(ACS)指南" → "综合征（ACS）指南", the way Chinese typesetting writes it, while
  "the ACS (acute coronary syndrome) guideline" and "f(x, y)" keep ASCII. A pair already half
  full-width ("（LHAASO)") is completed. An unpaired parenthesis is left alone.
"""

from __future__ import annotations

import re

from cleaning.text.chars import chinese_beside, has_chinese, is_han
from cleaning.text.unicode import lost_chars

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
OPENERS, CLOSERS = "(（", ")）"
_ASCII_MARK = re.compile(r"[,:;?!()]")  # a line without one has nothing to convert (most Chinese lines)
_PARENS = re.compile("[(（)）]")
_MARKS = re.compile("[,:;?!]")


def _chinese_outside(line: str, i: int, step: int) -> bool:
    """Is the text next to index i in direction `step` Chinese, looking across one space?"""
    j = i + step
    if 0 <= j < len(line) and line[j] == " ":
        j += step
    return chinese_beside(line, j, step)


def _paren_pairs(line: str) -> list[tuple[int, int]]:
    """Index pairs of matching parentheses, ASCII or full-width, innermost first."""
    stack: list[int] = []
    pairs = []
    for match in _PARENS.finditer(line):
        i, ch = match.start(), match.group()
        if ch in OPENERS:
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
    return pairs


def _convert_parens(chars: list[str]) -> int:
    line = "".join(chars)
    converted = 0
    for start, end in _paren_pairs(line):
        pair = (chars[start], chars[end])
        if pair == ("（", "）"):
            continue
        half_full = "（" in pair or "）" in pair
        chinese = (
            any(is_han(c) for c in line[start + 1 : end])
            or _chinese_outside(line, start, -1)
            or _chinese_outside(line, end, 1)
        )
        if half_full or chinese:
            converted += (chars[start] == "(") + (chars[end] == ")")
            chars[start], chars[end] = "（", "）"
    return converted


def _convert_marks(chars: list[str]) -> int:
    line = "".join(chars)
    # a "?" standing for a lost character is damage, not a mark
    lost = {i for match in lost_chars(line) for i in range(*match.span())}
    converted = 0
    for match in _MARKS.finditer(line):
        i, ch = match.start(), match.group()
        if i in lost:
            continue
        if chinese_beside(chars, i - 1, -1) or chinese_beside(line, i + 1, 1):
            chars[i] = FULL_WIDTH[ch]
            converted += 1
    return converted


def restore_fullwidth(text: str) -> tuple[str, int, list[str]]:
    """ASCII `,:;?!()` beside Chinese → `，：；？！（）`; counts the marks converted."""
    lines = []
    total = 0
    for line in text.split("\n"):
        if not _ASCII_MARK.search(line) or not has_chinese(line):  # a mark converts only beside Chinese
            lines.append(line)
            continue
        chars = list(line)
        total += _convert_parens(chars)
        total += _convert_marks(chars)
        lines.append("".join(chars))
    return "\n".join(lines), total, []
