"""Re-join paragraphs that an e-paper or PDF layout hard-wrapped into short lines.

Joining is decided per document, because a short line without a full stop is a heading in a web
article ("19项重大科技成果发布") but a wrapped line in an e-paper column. A text is hard-wrapped
when it has at least `MIN_LINES` lines, most lines do not end a sentence, nearly all lines are
short (`MAX_P90_LENGTH`), and the open lines carry commas as prose does (a list of names or
headings does not).

In such a text a line is joined to the next one unless it ends a sentence (。！？… possibly
followed by a closing quote), either line is a credit (byline, photo credit, source), the line
ends with a credit, or the next line starts a caption or a list item. Lines above an e-paper
byline at the top ("本报记者", then the name) are headings and stay as they are.
"""

from __future__ import annotations

import re

from cleaning.text.chars import ends_sentence
from cleaning.text.credits import ends_with_credit, head_byline_end, is_credit_line, starts_caption

MIN_LINES = 8
MIN_OPEN_SHARE = 0.5
MAX_P90_LENGTH = 40
MIN_COMMA_SHARE = 0.3
CLAUSE_MARKS = re.compile("[，,、；;：:]")
# "一、", "（一）", "1.", "1、", "(1)", "•", "- ": the start of a list item, never a continuation.
LIST_ITEM = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、](?!\d)|[•·\-] )")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")


def is_hard_wrapped(lines: list[str]) -> bool:
    """Does this text look like narrow columns wrapped at a fixed width?"""
    lines = [line for line in lines if line.strip()]
    if len(lines) < MIN_LINES:
        return False
    open_lines = [line for line in lines if not ends_sentence(line)]
    lengths = sorted(len(line.strip()) for line in lines)
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    with_commas = sum(1 for line in open_lines if CLAUSE_MARKS.search(line))
    return (
        len(open_lines) / len(lines) >= MIN_OPEN_SHARE
        and p90 <= MAX_P90_LENGTH
        and with_commas / len(open_lines) >= MIN_COMMA_SHARE
    )


def _joins(line: str, following: str) -> bool:
    return not (
        ends_sentence(line)
        or is_credit_line(line)
        or ends_with_credit(line)
        or is_credit_line(following)
        or starts_caption(following)
        or LIST_ITEM.match(following.strip())
    )


def _glue(line: str, following: str) -> str:
    """Chinese wraps anywhere, so no space; two Latin words or numbers keep one."""
    if _ASCII_WORD_END.search(line) and _ASCII_WORD_START.search(following):
        return line + " " + following
    return line + following


def join_wrapped_lines(text: str) -> tuple[str, int, list[str]]:
    """Join hard-wrapped lines back into paragraphs; counts the joins. Blank lines are dropped
    in a hard-wrapped text (they separate every wrapped line there, not paragraphs)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not is_hard_wrapped(lines):
        return text, 0, []
    byline_end = head_byline_end(lines)
    first_joinable = byline_end + 1 if byline_end is not None else 0
    out = lines[:first_joinable]
    joins = 0
    for line in lines[first_joinable:]:
        if len(out) > first_joinable and _joins(out[-1], line):
            out[-1] = _glue(out[-1], line)
            joins += 1
        else:
            out.append(line)
    return "\n".join(out), joins, []
