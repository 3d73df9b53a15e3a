"""Characters a regex cannot match without: a set test that skips most searches of a line.

The metadata search tries some sixty byline patterns on the lines around the text, and most lines
hold none of the characters a pattern needs (作, 记者, a colon, a bracket); most hold no date either.
`required_sets(pattern)` reads the pattern's parse tree for sets of characters of which every match
contains one each (`作\\s*者\\s*[:：]` needs a 作, a 者 and a colon); `GatedPatterns.on(line)` skips
the patterns whose sets a line's characters miss, found with one C-level set intersection.

The sets are derived, not written by hand, so a pattern edited later cannot fall out of step with its
gate. Where the derivation cannot be sure it takes no set from that part (fewer skips, never a missed
match): classes such as \\w or a whole script's range, optional or zero-width parts, and, where case is
ignored, any letter outside ASCII. It reads Python's own regex parser (`re._parser`, private, in
Python 3.11 and later); where that is missing, no pattern has a set and every search runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, Generic, TypeVar

from cleaning.text.chars import HAN

try:
    from re import _constants as sre
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - a Python without them: no sets, every search runs
    sre = sre_parser = None  # type: ignore[assignment]

_HAN_CHAR = re.compile(f"[{HAN}]")
Entry = TypeVar("Entry")
_MAX_RANGE = 64  # a class range wider than this (a whole script) gives no set worth testing
_MAX_SETS = 3  # the smallest few sets do the skipping; testing more costs more than it saves


def _ignoring_case(flags: int, subpattern: Any) -> int:
    """The case flag inside a group `(?i:…)` / `(?-i:…)`."""
    _, added, removed, _ = subpattern
    return (flags | added) & ~removed & re.IGNORECASE


# what else an ASCII letter matches when case is ignored: Unicode folds more than upper and lower case
# (a test checks this against every code point)
_FOLDED_TOO = {"i": "İı", "k": "\u212a", "s": "ſ"}


def _matched_by(char: str, flags: int) -> str | None:
    """What the literal `char` matches; None when case is ignored and the folds are not known here."""
    if not flags or _HAN_CHAR.fullmatch(char) or char.isascii() and not char.isalpha():
        return char  # case not ignored, or a character without case
    if char.isascii():
        return char.lower() + char.upper() + _FOLDED_TOO.get(char.lower(), "")
    return None


def _class_chars(items: Any, flags: int) -> set[str] | None:
    """The characters of a literal or a class `[…]` of literals and narrow ranges; None otherwise."""
    chars: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL and (matched := _matched_by(chr(value), flags)):
            chars.update(matched)
        elif op is sre.RANGE and not flags and value[1] - value[0] < _MAX_RANGE:
            chars.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    return chars


def _first_chars(items: Any, flags: int) -> set[str] | None:
    """The characters any non-empty match of the sequence `items` starts with; None when unknown."""
    chars: set[str] = set()
    for op, value in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL or op is sre.IN:
            start = _class_chars([(op, value)] if op is sre.LITERAL else value, flags)
            at_least_one = True
        elif op is sre.SUBPATTERN:
            start, at_least_one = _first_chars(value[3], _ignoring_case(flags, value)), value[3].getwidth()[0] > 0
        elif op is sre.BRANCH:
            starts = [_first_chars(alternative, flags) for alternative in value[1]]
            start = None if None in starts else set().union(*starts)  # type: ignore[arg-type]
            at_least_one = all(alternative.getwidth()[0] > 0 for alternative in value[1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            start, at_least_one = _first_chars(value[2], flags), value[0] > 0 and value[2].getwidth()[0] > 0
        else:
            return None
        if start is None:
            return None
        chars |= start
        if at_least_one:
            return chars
    return None  # the whole sequence may match nothing


def _collect(items: Any, flags: int, found: list[frozenset[str]]) -> None:
    """Add to `found` a set for each part of the sequence `items` that every match passes through."""
    for op, value in items:
        if op is sre.LITERAL or op is sre.IN:
            if chars := _class_chars([(op, value)] if op is sre.LITERAL else value, flags):
                found.append(frozenset(chars))
        elif op is sre.SUBPATTERN:
            _collect(value[3], _ignoring_case(flags, value), found)
        elif op is sre.BRANCH and (each := [_smallest_set(alternative, flags) for alternative in value[1]]):
            if None not in each:  # each alternative needs one of its set: the match, one of their union
                found.append(frozenset().union(*each))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[0] > 0:
            _collect(value[2], flags, found)


def _smallest_set(items: Any, flags: int) -> frozenset[str] | None:
    """The smallest set a match of the sequence `items` needs one of: one it passes through, or its
    first characters when it cannot match nothing; None when there is none."""
    found: list[frozenset[str]] = []
    _collect(items, flags, found)
    if items.getwidth()[0] > 0 and (start := _first_chars(items, flags)):
        found.append(frozenset(start))
    return min(found, key=len, default=None)


def required_sets(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """The smallest few sets of characters of which every match of `pattern` contains one each."""
    if sre_parser is None:
        return ()
    found: list[frozenset[str]] = []
    _collect(sre_parser.parse(pattern.pattern, pattern.flags), pattern.flags & re.IGNORECASE, found)
    return tuple(sorted(set(found), key=len)[:_MAX_SETS])


class GatedPatterns(Generic[Entry]):
    """Entries holding a pattern each (a `(field, pattern)` pair unless told otherwise), tried in order
    on each line; `on(line)` gives only those whose pattern may match it.

    Each pattern is filed under the characters of its smallest required set: one regex scan finds
    which characters of any set a line holds, those pick its candidates, and a candidate's other sets
    are tested only then.
    """

    def __init__(self, entries: Sequence[Entry],
                 pattern_of: Callable[[Entry], re.Pattern[str]] = itemgetter(1)) -> None:
        self.entries = list(entries)
        sets = [required_sets(pattern_of(entry)) for entry in self.entries]
        self._always = [i for i, found in enumerate(sets) if not found]  # nothing required: always tried
        self._filed: dict[str, list[int]] = {}
        for i, found in enumerate(sets):
            for char in found[0] if found else ():
                self._filed.setdefault(char, []).append(i)
        self._others = [found[1:] for found in sets]
        # the characters any set holds, found in a line by one C-level scan: cheaper than a set of all
        # the line's characters (1.3 against 2.2 µs a line of the bench's metadata search), and the
        # sets' tests read the same answers from it
        tested = set(self._filed).union(*(chars for others in self._others for chars in others))
        self._tested = re.compile(f"[{''.join(map(re.escape, sorted(tested)))}]") if tested else None

    def on(self, line: str) -> list[Entry]:
        """The entries, in order, whose pattern may match `line`."""
        shown = set(self._tested.findall(line)) if self._tested else set()
        picked = set(self._always)
        for char in shown:
            picked.update(self._filed.get(char, ()))
        return [self.entries[i] for i in sorted(picked) if not any(map(shown.isdisjoint, self._others[i]))]
