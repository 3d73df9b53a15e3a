"""Re-join paragraphs that an e-paper or PDF layout hard-wrapped into short lines.

Joining is decided per document, because a short line without a full stop is a heading in a web
article ("19项重大科技成果发布") but a wrapped line in an e-paper column. A text is hard-wrapped
when it has at least `MIN_LINES` lines, most lines do not end a sentence, nearly all lines are
short (`MAX_P90_LENGTH`), and the open lines carry commas as prose does (a list of names or
headings does not) and are not mostly labelled fields (an event notice's "起点：天安门广场", a
market brief's "上证指数：3050.12点，涨0.52%").

In such a text a line is joined to the next one unless it ends a sentence (。！？… possibly
followed by a closing quote), either line is a credit (byline, photo credit, source), the line
ends with a credit, or the next line starts a caption or a list item. Lines above an e-paper
byline at the top ("本报记者", then the name) are headings and stay as they are.
"""

from __future__ import annotations

import re

from cleaning.text.chars import HAN, ends_sentence
from cleaning.text.credits import ends_with_credit, head_byline_end, is_credit_line, starts_caption

MIN_LINES = 8
MIN_OPEN_SHARE = 0.5
MAX_P90_LENGTH = 40
MIN_COMMA_SHARE = 0.3
CLAUSE_MARKS = re.compile("[，,、；;：:]")
MAX_HEADING_SHARE = 0.8  # of the column's median line length: a shorter line opening a paragraph is a heading
MAX_FIELD_SHARE = 0.5
FIELD_LABEL = re.compile(rf"[{HAN}]{{2,8}}[：:]")  # "比赛时间：…", "上证指数：…"
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
    fields = sum(1 for line in open_lines if FIELD_LABEL.match(line.strip()))
    return (
        len(open_lines) / len(lines) >= MIN_OPEN_SHARE
        and p90 <= MAX_P90_LENGTH
        and with_commas / len(open_lines) >= MIN_COMMA_SHARE
        and fields / len(open_lines) < MAX_FIELD_SHARE
    )


# the join checks read at most this much of the paragraph built so far: more than any credit line or
# trailing credit holds, and a bound that keeps joining linear in the text (it re-read the whole
# growing paragraph at every join: 40,000 short lines took 100 s)
_TAIL = 200


def _joins(paragraph: str, length: int, following: str) -> bool:
    """`paragraph`: the end of the paragraph so far (at most `_TAIL` characters); `length`: its
    whole length, since a whole-line credit is never longer than the tail."""
    return not (
        ends_sentence(paragraph)
        or (length <= _TAIL and is_credit_line(paragraph))
        or ends_with_credit(paragraph)
        or is_credit_line(following)
        or starts_caption(following)
        or LIST_ITEM.match(following.strip())
    )


def _heading(paragraph: list[str], length: int, following: str, column: int) -> bool:
    """A subheading of the column ("加装电梯惠及更多家庭"): a paragraph of one line, clearly shorter than
    the column and with no clause mark, before a full line. A caption or a box set narrower than the
    column wraps into short lines one after another, and is joined as before."""
    return (len(paragraph) == 1 and length < MAX_HEADING_SHARE * column and len(following) >= column
            and not CLAUSE_MARKS.search(paragraph[0]))


def _glue(line: str, following: str) -> str:
    """Chinese wraps anywhere, so no space; two Latin words or numbers keep one."""
    if _ASCII_WORD_END.search(line) and _ASCII_WORD_START.search(following):
        return " "
    return ""


def join_wrapped_lines(text: str) -> tuple[str, int, list[str]]:
    """Join hard-wrapped lines back into paragraphs; counts the joins. Blank lines are dropped
    in a hard-wrapped text (they separate every wrapped line there, not paragraphs)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not is_hard_wrapped(lines):
        return text, 0, []
    byline_end = head_byline_end(lines)
    first_joinable = byline_end + 1 if byline_end is not None else 0
    paragraphs: list[list[str]] = [[line] for line in lines[:first_joinable]]
    column = sorted(map(len, lines))[len(lines) // 2]  # the median line: a full line of the column
    tail, length, joins = "", 0, 0  # of the last paragraph, once joining starts
    for line in lines[first_joinable:]:
        if len(paragraphs) > first_joinable and not _heading(paragraphs[-1], length, line, column) and _joins(
                tail, length, line):
            glue = _glue(tail, line)
            paragraphs[-1] += [glue, line]
            tail, length = (tail + glue + line)[-_TAIL:], length + len(glue) + len(line)
            joins += 1
        else:
            paragraphs.append([line])
            tail, length = line[-_TAIL:], len(line)
    return "\n".join("".join(parts) for parts in paragraphs), joins, []
