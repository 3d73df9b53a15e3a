"""The offline check of a site profile: its real example URLs against its patterns, no network.

A profile is written from evidence (real URLs seen in public pages, crawler fixtures, link lists) and
carries it as `examples`. This check runs each example through the profile as the crawl would meet it
in a page, and looks at the patterns from the other side: a pattern that matches none of the examples
is a URL form nobody has seen (a guess, or a form the examples should show), and a pattern that spells
out a long id names one page, not a form.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.profile import Example, SiteProfile
from crawler.urls import canonical

# a literal run of 6+ digits or 16+ hex characters in a pattern: an article id, not a URL form
_LITERAL_ID = re.compile(r"(?<![\\{,\d])\d{6,}|(?<![\\\w])[0-9a-f]{16,}")
# what an example of each kind must be taken for (None: neither an article nor a listing)
_EXPECTED = {"article": "article", "listing": "listing", "feed": None, "sitemap": None, "other": None}


@dataclass(frozen=True)
class PatternUse:
    field: str  # article_url or listing_url
    pattern: str
    examples: int  # examples of its kind it matches


@dataclass
class ProfileCheck:
    profile: SiteProfile
    patterns: list[PatternUse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def example_counts(self) -> Counter[str]:
        return Counter(example.kind for example in self.profile.examples)


def check_profile(profile: SiteProfile) -> ProfileCheck:
    """Every example taken for its kind and on an allowed host; every entry point allowed; each
    pattern's use counted. Problems fail the check; warnings (a pattern no example shows) do not."""
    check = ProfileCheck(profile)
    for url in profile.start_urls + profile.sitemaps + profile.feeds:
        if why := profile.refuses(url):
            check.problems.append(f"entry point {url} is refused by the profile itself ({why})")
    for example in profile.examples:
        if problem := _example_problem(profile, example):
            check.problems.append(problem)
    for name, patterns, kind in (("article_url", profile.article_url, "article"),
                                 ("listing_url", profile.listing_url, "listing")):
        urls = [canonical(e.url, profile.strip_index) for e in profile.examples if e.kind == kind]
        for pattern in patterns:
            use = PatternUse(name, pattern.pattern, sum(1 for url in urls if pattern.search(url)))
            check.patterns.append(use)
            if _LITERAL_ID.search(pattern.pattern):
                check.problems.append(f"{name} {pattern.pattern!r} spells out an id: it names one page, not a form")
            if profile.examples and not use.examples:
                check.warnings.append(f"{name} {pattern.pattern!r} matches none of the {kind} examples")
    if not profile.examples:
        check.warnings.append("no examples: nothing shows the patterns match the real site")
    return check


def _example_problem(profile: SiteProfile, example: Example) -> str | None:
    where = f"example {example.url} ({example.kind}, seen in {example.source})"
    if why := profile.refuses(canonical(example.url)):
        return f"{where}: the crawl would refuse it ({why}): add its host to allowed_domains"
    taken_for = profile.kind_of(example.url)
    expected = _EXPECTED[example.kind]
    if taken_for == expected:
        return None
    if expected is None:
        return f"{where}: taken for {'an' if taken_for == 'article' else 'a'} {taken_for}"
    return f"{where}: " + (f"taken for {'an' if taken_for == 'article' else 'a'} {taken_for}" if taken_for
                           else f"matches no {expected}_url pattern")


def render(check: ProfileCheck, source: str) -> str:
    profile = check.profile
    counts = check.example_counts()
    lines = [f"check-profile {profile.name} ({source}): {'OK' if check.ok else 'FAILED'}",
             f"  hosts: {', '.join(profile.allowed_domains)} (and their subdomains); "
             f"ports {', '.join(map(str, profile.allowed_ports))}",
             f"  entry points: {len(profile.start_urls)} start page(s), {len(profile.sitemaps)} sitemap(s), "
             f"{len(profile.feeds)} feed(s)",
             *(f"    {url}" for url in profile.start_urls + profile.sitemaps + profile.feeds),
             "  examples: " + (", ".join(f"{counts[kind]} {kind}" for kind in _EXPECTED if counts[kind]) or "none")]
    for name in ("article_url", "listing_url"):
        uses = [use for use in check.patterns if use.field == name]
        lines.append(f"  {name}: {len(uses)} pattern(s)")
        lines += [f"    {use.examples:>3} example(s)  {use.pattern}" for use in uses]
    lines += [f"  warning: {warning}" for warning in check.warnings]
    lines += [f"  problem: {problem}" for problem in check.problems]
    return "\n".join(lines)


# what an article URL tends to hold: a date in the path, a long numeric id, or a 32-digit hex id
_DATED = re.compile(r"/(19|20)\d{2}[-/]?[01]\d([-/]?[0-3]\d)?(/|$)|(19|20)\d{6}")
_ID = re.compile(r"\d{5,}|[0-9a-f]{32}")
_PAGE_FILE = re.compile(r"(\.s?html?|/[^./]*)$")
_RUN = re.compile(r"[0-9a-f]{32}|\d+")


@dataclass(frozen=True)
class RejectedShape:
    """Links of one URL shape that look like articles but that the profile takes for nothing."""
    pattern: str  # a suggested article_url pattern for the shape
    count: int
    example: str


def looks_like_article(url: str) -> bool:
    """A dated path or a long id, in a page-like file name: what most news article URLs look like."""
    path = urlsplit(url).path
    return bool(_PAGE_FILE.search(path)) and bool(_DATED.search(path) or _ID.search(path))


def suggest_pattern(url: str) -> str:
    """A pattern for the shape of `url` (canonical): its host and path with every number (and 32-digit hex id)
    generalised; short numbers keep their length (dates), long ones do not (ids)."""
    parts = urlsplit(url)

    def general(match: re.Match[str]) -> str:
        run = match.group()
        if len(run) == 32 and not run.isdigit():
            return "[0-9a-f]{32}"
        return r"\d" if len(run) == 1 else rf"\d{{{len(run)}}}" if len(run) <= 4 else r"\d+"

    pieces, last = [], 0
    for match in _RUN.finditer(parts.path):
        pieces += [re.escape(parts.path[last:match.start()]), general(match)]
        last = match.end()
    pieces.append(re.escape(parts.path[last:]))
    return f"://{re.escape(parts.netloc)}{''.join(pieces)}(\\?|$)"


def rejected_article_shapes(profile: SiteProfile, links: list[str]) -> list[RejectedShape]:
    """Links found on listing pages, on the profile's hosts, that look like articles but match
    neither article_url nor listing_url: grouped by suggested pattern, most frequent first."""
    found: dict[str, list[str]] = {}
    for link in dict.fromkeys(canonical(url, profile.strip_index) for url in links):
        if profile.refuses(link) is None and profile.kind_of(link) is None and looks_like_article(link):
            found.setdefault(suggest_pattern(link), []).append(link)
    shapes = [RejectedShape(pattern, len(urls), urls[0]) for pattern, urls in found.items()]
    return sorted(shapes, key=lambda shape: (-shape.count, shape.pattern))
