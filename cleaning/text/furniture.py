"""Remove page furniture: share prompts, breadcrumbs, widgets, related-article lists, disclaimers.

The patterns are data (`furniture_rules.yaml`, documented there); this module only knows the three
scopes. Rules match whole lines, never on length alone, so a short real paragraph
("19项重大科技成果发布") survives. Every removed line is reported with the rule that removed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).with_name("furniture_rules.yaml")
SCOPES = ("line", "tail", "following")
DEFAULT_FOLLOWING = r"\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}(:\d{2})?"
# A "tail" marker cuts the rest of the text only when this share of the text comes before it: a
# "相关阅读" box above the article must not take the article with it.
TAIL_MIN_POSITION = 0.25
# All rules are screened together as one pattern, where a backreference would point at another
# rule's group and an inline flag would apply to every rule: neither is allowed in a rule.
_NOT_COMBINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")
_LIST_ITEM = re.compile(r"^-\s+")


def without_list_marker(stripped: str) -> str:
    """A stripped line without the "- " trafilatura starts a list item with: a line rule (furniture, a
    credit) holds for the item as for the line."""
    return _LIST_ITEM.sub("", stripped, count=1)


def _forms(line: str) -> tuple[str, ...]:
    """The line as rules read it: stripped, and without a list item's "- " when it has one."""
    stripped = line.strip()
    item = without_list_marker(stripped)
    return (stripped, item) if item != stripped else (stripped,)


@dataclass(frozen=True)
class FurnitureRule:
    name: str
    pattern: re.Pattern[str]
    scope: str
    following: re.Pattern[str]
    max_following: int
    min_following: int

    def matches(self, line: str) -> bool:
        return any(self.pattern.fullmatch(form) is not None for form in _forms(line))


def parse_rules(entries: list[dict[str, Any]]) -> list[FurnitureRule]:
    """Validate and compile rule entries as written in the YAML file."""
    rules = []
    for entry in entries:
        name, scope = entry["name"], entry.get("scope", "line")
        if scope not in SCOPES:
            raise ValueError(f"furniture rule {name}: unknown scope {scope!r}")
        if ("literal" in entry) == ("regex" in entry):
            raise ValueError(f"furniture rule {name}: give exactly one of literal, regex")
        if "literal" in entry:
            pattern = "|".join(re.escape(str(item)) for item in entry["literal"])
        else:
            pattern = entry["regex"]
            if _NOT_COMBINABLE.search(pattern):
                raise ValueError(f"furniture rule {name}: no backreferences or inline flags (rules match as one)")
        rules.append(
            FurnitureRule(
                name=name,
                pattern=re.compile(pattern),
                scope=scope,
                following=re.compile(entry.get("following", DEFAULT_FOLLOWING)),
                max_following=int(entry.get("max_following", 0)),
                min_following=int(entry.get("min_following", 0)),
            )
        )
    return rules


@cache
def default_rules() -> tuple[FurnitureRule, ...]:
    return tuple(parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))))


@cache
def _any_rule(rules: tuple[FurnitureRule, ...]) -> re.Pattern[str]:
    """One pattern for all rules: most lines match none, and one C-level match per line tells."""
    return re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in rules))


def strip_furniture(
    text: str, rules: tuple[FurnitureRule, ...] | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """Return the text without furniture lines, and (rule name, line) for each line removed."""
    rules = default_rules() if rules is None else rules
    screen = _any_rule(rules)
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    total = max(len(text), 1)
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        candidate = bool(stripped) and any(screen.fullmatch(form) is not None for form in _forms(line))
        rule = next((r for r in rules if _fires(r, lines, i)), None) if candidate else None
        if rule is None:
            kept.append(line)
        elif rule.scope == "tail" and starts[i] / total >= TAIL_MIN_POSITION:
            removed.extend((rule.name, rest) for rest in lines[i:] if rest.strip())
            break
        else:
            removed.append((rule.name, line))
            if rule.scope == "following":
                taken = _following_lines(lines, i, rule)
                removed.extend((rule.name, lines[j]) for j in taken)
                i = taken[-1] if taken else i
        i += 1
    return "\n".join(kept), removed


def _following_lines(lines: list[str], i: int, rule: FurnitureRule) -> list[int]:
    """Indexes of the lines after i that `rule` takes along (blank lines in between skipped)."""
    taken: list[int] = []
    for j in range(i + 1, len(lines)):
        candidate = lines[j].strip()
        if len(taken) == rule.max_following:
            break
        if candidate and not rule.following.fullmatch(candidate):
            break
        if candidate:
            taken.append(j)
    return taken


def _fires(rule: FurnitureRule, lines: list[str], i: int) -> bool:
    if not lines[i].strip() or not rule.matches(lines[i]):
        return False
    return rule.scope != "following" or len(_following_lines(lines, i, rule)) >= rule.min_following
