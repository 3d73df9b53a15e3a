"""Whitespace: invisible characters, indents, and the spaces that page layout put into Chinese.

Two jobs, run at two moments: `normalize_whitespace` first (so that every later rule sees one
clean line per paragraph), `remove_layout_spaces` last (after the punctuation and the bylines,
whose spaces still separate names).

The style followed is the one of Chinese news agencies: no space between two Chinese characters,
none between a Chinese character and a digit or a Latin letter ("2024中关村论坛", "具身AGI系统"),
none around full-width punctuation. Spaces between digits, Latin words and ASCII symbols stay.
A space between two phrases of a slogan or headline stays: see `_deliberate`.
"""

from __future__ import annotations

import re

from cleaning.text.chars import HAN, SHARED_PUNCT, chinese_beside, has_chinese, is_cjk_punct, is_han

# Invisible characters that only get in the way (ZWJ/ZWNJ stay: emoji and some scripts need them).
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Every other kind of space, the ideographic space U+3000 of paragraph indents included.
SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000 ]+")
# What SPACES changes: a space that is not " ", or two in a row. Most lines have neither, and one
# search is cheaper than a substitution at every space of an English paragraph.
_UNUSUAL_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]|  ")


def _collapse_spaces(line: str) -> str:
    return SPACES.sub(" ", line) if _UNUSUAL_SPACES.search(line) else line


def normalize_whitespace(text: str) -> tuple[str, int, list[str]]:
    """One paragraph per line: strip indents and invisible characters, collapse spaces, drop blanks.

    Counts the lines that changed or were dropped as blank.
    """
    kept = []
    changes = 0
    for line in text.split("\n"):
        clean = _collapse_spaces(INVISIBLE.sub("", line)).strip()
        changes += clean != line or not clean
        if clean:
            kept.append(clean)
    return "\n".join(kept), changes, []


def _run_left(line: str, i: int) -> int:
    """Number of Han characters ending at index i."""
    n = 0
    while i - n >= 0 and is_han(line[i - n]):
        n += 1
    return n


def _run_right(line: str, i: int) -> int:
    """Number of Han characters starting at index i."""
    n = 0
    while i + n < len(line) and is_han(line[i + n]):
        n += 1
    return n


def _inside_quotes(line: str, i: int) -> bool:
    before = line[:i]
    return before.count("“") > before.count("”") or before.count("「") > before.count("」")


def _deliberate(line: str, i: int) -> bool:
    """Is the space at index i, between two Han characters, meant by the writer?

    Layout artifacts split single characters ("为 来 自", "赵 晶"); a writer separates phrases:
    "以“科技引领 创享未来”为主题", "展示科创之都成果 北京用科博会…". So a space stays when
    both sides are phrases of two or more characters, and either it is inside quotes or both
    phrases have three or more characters.
    """
    left, right = _run_left(line, i - 1), _run_right(line, i + 1)
    if left < 2 or right < 2:
        return False
    return _inside_quotes(line, i) or (left >= 3 and right >= 3)


_ASCII_ALNUM = re.compile("[0-9A-Za-z]")
# looked across for the Chinese a dash or quote stands against: in "AI — 技术" both spaces are layout
_SHARED_OR_SPACE = SHARED_PUNCT + " "
# "7. 6万", "902. 21亿元": a decimal number broken by layout, recognised by the Chinese after it; but not a
# list item's number, which opens the line or follows a sentence or clause ("1. 5月1日起…", "：1. 3家企业")
_BROKEN_DECIMAL = re.compile(rf"(?:(?<=[^\d.。；：！？;:!?\s])|(?<=[^\d.。；：！？;:!?\s] ))(\d+\.) (?=\d+[{HAN}])")


def _removable(line: str, i: int) -> bool:
    a, b = line[i - 1], line[i + 1]
    if i == 1 and a == "-":  # the "- " trafilatura starts a list item with
        return False
    if a in SHARED_PUNCT or b in SHARED_PUNCT:  # a quote or dash: layout only in Chinese text
        return chinese_beside(line, i - 1, -1, _SHARED_OR_SPACE) or chinese_beside(line, i + 1, 1, _SHARED_OR_SPACE)
    if is_cjk_punct(a) or is_cjk_punct(b):
        return True
    if (is_han(a) and _ASCII_ALNUM.match(b)) or (is_han(b) and _ASCII_ALNUM.match(a)):
        return True
    return is_han(a) and is_han(b) and not _deliberate(line, i)


# a list of names or places, a space apart: three or more runs of two to four Han characters ("一等奖：李小明
# 王芳 张伟", "首发阵容：颜骏凌 张琳芃 朱辰杰", "入选城市：北京 上海 广州"); layout splits single characters
_LIST_OF_NAMES = re.compile(rf"(?<![{HAN}])[{HAN}]{{2,4}}(?: [{HAN}]{{2,4}}){{2,}}(?![{HAN}])")


def _list_spaces(line: str) -> set[int]:
    """The positions of the spaces that separate the items of a list of names in `line`."""
    return {match.start() + offset for match in _LIST_OF_NAMES.finditer(line)
            for offset, char in enumerate(match.group()) if char == " "}


def _fix_line(line: str) -> tuple[str, int]:
    collapsed = _collapse_spaces(line).strip()
    removed = int(collapsed != line)  # an indent or a run of spaces
    if " " not in collapsed or not has_chinese(collapsed):  # every rule below needs Chinese beside a space
        return collapsed, removed
    line, n = _BROKEN_DECIMAL.subn(r"\1", collapsed)
    removed += n
    out, start = [], 0  # only the spaces are looked at, each against the line as it was
    listed = _list_spaces(line)
    i = line.find(" ")
    while i != -1:
        if i not in listed and _removable(line, i):
            out.append(line[start:i])
            start = i + 1
            removed += 1
        i = line.find(" ", i + 1)
    out.append(line[start:])
    return "".join(out), removed


def remove_layout_spaces(text: str) -> tuple[str, int, list[str]]:
    """Remove the spaces layout put between Chinese characters, digits and punctuation.

    Counts the spaces removed.
    """
    lines = []
    total = 0
    for line in text.split("\n"):
        fixed, n = _fix_line(line)
        lines.append(fixed)
        total += n
    return "\n".join(lines), total, []
