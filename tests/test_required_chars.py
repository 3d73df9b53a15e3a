"""The characters a pattern needs, read from its parse tree: skipping a search must never miss a match."""

from __future__ import annotations

import re
import string

import pytest
from test_extraction_byline_forms import BYLINES

from cleaning.extraction import metadata_rules
from cleaning.text.chars import HAN
from cleaning.text.dates import DATE_TIMES, find_dates
from cleaning.text.required_chars import GatedPatterns, required_sets


def _sets(pattern: str, flags: int = 0) -> set[frozenset[str]]:
    return set(required_sets(re.compile(pattern, flags)))


def test_every_match_passes_through_each_set() -> None:
    assert _sets(r"作\s*者\s*[:：]") == {frozenset("作"), frozenset("者"), frozenset(":：")}
    assert _sets(r"(?<![a-z])(?:记者|通讯员)\s*(?P<value>\w+)") == {frozenset("记通")}  # the branch's first characters
    assert _sets(r"[（(]?作") == {frozenset("作")}  # an optional bracket is not required
    # alternatives that start anywhere: each needs one of its own sets, the match one of their union
    assert _sets(r"首页\s*[>›»].*|.*\S\s*[>›]\s*正文") == {frozenset("首正")}


def test_what_may_be_absent_gives_no_set() -> None:
    assert _sets(r"\w+\s*\d*") == set()  # classes of categories
    assert _sets(r"[一-鿿]{2,4}") == set()  # a whole script's range
    assert _sets(r"(?:作者)?张") == {frozenset("张")}  # an optional group
    assert _sets(r"(?:作者|)张") == {frozenset("张")}  # an empty alternative
    assert _sets(r"(?:\s|^)李") == {frozenset("李")}  # an alternative that may match nothing gives nothing
    assert _sets(r"(?=作者)张|李") == {frozenset("张李")}  # alternatives: their first characters, lookahead aside


def test_case_is_ignored_with_every_fold() -> None:
    assert _sets(r"by", re.IGNORECASE) == {frozenset("bB"), frozenset("yY")}
    assert _sets(r"(?i:ks)") == {frozenset("kK\u212a"), frozenset("sSſ")}
    assert _sets(r"(?i:发表)") == {frozenset("发"), frozenset("表")}  # Han has no case
    assert _sets(r"(?i:é)x") == {frozenset("x")}  # a letter outside ASCII: its folds are not known here


def test_the_folds_of_ascii_and_han_are_all_known() -> None:
    """Each ASCII character and each Han character matches, case ignored, exactly what its set says."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for char in string.printable:
        assert set(re.findall(re.escape(char), every, re.IGNORECASE)) == set(next(iter(_sets(re.escape(char), re.I))))
    han = re.compile(f"[{HAN}]")
    # no other character lowers or uppers to a Han character, so each matches only itself
    assert not [char for char in every for cased in (char.lower(), char.upper()) if cased != char and han.search(cased)]


PATTERN_LISTS = {name: value for name, value in vars(metadata_rules).items() if isinstance(value, GatedPatterns)}


@pytest.mark.parametrize("name", sorted(PATTERN_LISTS))
def test_no_match_is_skipped(name: str) -> None:
    """Every pattern that matches a line of the byline forms is among those `on(line)` tries."""
    patterns = PATTERN_LISTS[name]
    lines = [line for _, line, _ in BYLINES]
    lines += [f"{line} {other}" for line, other in zip(lines, lines[7:])]  # two forms on one line
    matched = skipped = 0
    for line in lines:
        tried = list(patterns.on(line))
        for entry in patterns.entries:
            if entry[1].search(line):
                matched += 1
                assert entry in tried, (line, entry[1].pattern)
            elif entry not in tried:
                skipped += 1
    assert matched and skipped  # the check bites: lines matched, and searches were skipped


DATED_LINES = ["2024-04-29 10:30", "2024年4月29日 星期一 09:36", "发布时间：2024-04-29（周一）下午3:36", "4/29/2024",
               "30/11/2025 - 10:13", "12.05.2025", "09:30 12.05.2025", "18-08-01 10:07", "10:21 2019/11/12",
               "2020-08-08 HKT 15:02", "2019-11-12T08:00:00+08:00", "来源：澄州日报 2024.4.29"]


def test_no_date_is_skipped() -> None:
    for line in DATED_LINES:
        tried = DATE_TIMES.on(line)
        matching = [pattern for pattern in DATE_TIMES.entries if pattern.search(line)]
        assert matching and all(pattern in tried for pattern in matching), line
        assert find_dates(line), line
    assert DATE_TIMES.on("记者从市卫生健康委获悉，流感疫苗接种工作已于近日启动。") == []


def test_patterns_are_tried_in_their_order() -> None:
    first, second = ("author", re.compile("作者(?P<value>张三)")), ("author", re.compile("(?P<value>张三)"))
    patterns = GatedPatterns([first, second])
    assert list(patterns.on("作者张三")) == [first, second]
    assert list(patterns.on("张三")) == [second]
    assert list(patterns.on("李四")) == []
