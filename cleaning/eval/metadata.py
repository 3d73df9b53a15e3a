"""How an extracted title, author or date is compared with a gold set's (../shared/eval/METADATA.md).

Gold authors are names separated by spaces; ours may use 、 or commas: both sides are split into a
set of names and must agree exactly (a two-character name padded to three, "方 敏", is one
name). Under the older cwce_zh protocol a page that credits only an editor names the editor
(编辑：苏亮 → 苏亮); there the harness compares our author, or our editor when we found no author.
Gold dates come in the forms the sets print them: 'YYYY-MM-DD[ HH:MM[:SS]]', 'YYYY-MM-DD HH-MM-SS'
truncated to what the page shows ('1998-3', '2018'), 年月日, slashes or dots, or a month and day
without a year; ours must agree on every part the gold has (the same day when it shows a day). A
gold date that is not a date (one file holds a name) counts as no gold. Titles agree when they are
equal once Unicode-normalised (NFKC) with whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata

from cleaning.extraction.metadata_rules import PADDED_NAME

_NAME_SEPARATORS = re.compile(r"[\s、，,;；/|]+")
_GOLD_DATE = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2}))?(?:\s*[-/.月]\s*(\d{1,2})日?)?(?:\s|$|[^\d])")
_GOLD_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?(?:\s|$)")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def names(author: str | None) -> frozenset[str]:
    """The set of names; a two-character name padded to three ("方 敏", as papers print it) is one name."""
    text = PADDED_NAME.sub(r"\1\2", unicodedata.normalize("NFKC", author or "")).lower()
    return frozenset(n for n in _NAME_SEPARATORS.split(text) if n)


def author_matches(extracted: str | None, gold: str) -> bool:
    return bool(names(gold)) and names(extracted) == names(gold)


def gold_date(gold: str | None) -> tuple[int | None, ...] | None:
    """(year[, month[, day]]) as far as the gold shows it, year None when it shows none; or None."""
    if match := _GOLD_DATE.match(gold or ""):
        return tuple(int(part) for part in match.groups() if part)
    if match := _GOLD_MONTH_DAY.match(gold or ""):
        return (None, int(match.group(1)), int(match.group(2)))
    return None


def date_matches(extracted: str | None, gold: str | None) -> bool:
    want, got = gold_date(gold), _ISO_DATE.match(extracted or "")
    if not want or not got:
        return False
    ours = tuple(int(part) for part in got.groups() if part)[: len(want)]
    return len(ours) == len(want) and all(w is None or w == o for w, o in zip(want, ours))


def title_matches(extracted: str | None, gold: str) -> bool:
    return bool(gold.strip()) and _folded(extracted or "") == _folded(gold)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())
