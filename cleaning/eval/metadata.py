"""How an extracted author or date is compared with the cwce_zh gold (format: ../shared/eval/cwce_zh/SOURCE.md).

Gold authors are names separated by spaces; ours may use 、 or commas: both sides are split into a
set of names and must agree exactly (a two-character name padded to three, "方 敏", is one
name). Where a page credits only an editor, the gold names the editor
(编辑：苏亮 → 苏亮), so the harness compares our author, or our editor when we found no author.
Gold dates are 'YYYY-MM-DD HH-MM-SS', truncated to what the page shows ('1998-3', '2018'): ours
must agree on every part the gold has (the same day when it shows a day). A gold date that is not
a date (one file holds a name) counts as no gold.
"""

from __future__ import annotations

import re
import unicodedata

from cleaning.extraction.metadata_rules import PADDED_NAME

_NAME_SEPARATORS = re.compile(r"[\s、，,;；/|]+")
_GOLD_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:\s|$)")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def names(author: str | None) -> frozenset[str]:
    """The set of names; a two-character name padded to three ("方 敏", as papers print it) is one name."""
    text = PADDED_NAME.sub(r"\1\2", unicodedata.normalize("NFKC", author or "")).lower()
    return frozenset(n for n in _NAME_SEPARATORS.split(text) if n)


def author_matches(extracted: str | None, gold: str) -> bool:
    return bool(names(gold)) and names(extracted) == names(gold)


def gold_date(gold: str | None) -> tuple[int, ...] | None:
    """(year[, month[, day]]) as far as the gold shows it, or None."""
    match = _GOLD_DATE.match(gold or "")
    return tuple(int(part) for part in match.groups() if part) if match else None


def date_matches(extracted: str | None, gold: str | None) -> bool:
    want, got = gold_date(gold), _ISO_DATE.match(extracted or "")
    if not want or not got:
        return False
    return tuple(int(part) for part in got.groups() if part)[: len(want)] == want
