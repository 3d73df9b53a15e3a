"""A page's publication time: its datelines, its tags and its platform's data, in METADATA.md's order.

Dated lines that do not date the page (a related article's, a video player's stamp) are passed over
(`datelines`); a yearless printed day takes its year from the page's tags, a platform's script holds
the time of pages that print none (`script_time`), and `publication_date` weighs them all.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone

import lxml.html
from lxml import etree

from cleaning.extraction import metadata_rules as rules
from cleaning.extraction.parse import markup_names
from cleaning.extraction.zones import Zones
from cleaning.text.chars import has_chinese
from cleaning.text.dates import DATE_TIMES, complete_year, find_dates, find_month, find_yearless, parse_date

_PLAYERS = etree.XPath("//*[contains(@class, 'layer') or contains(@id, 'layer')]")  # player, Player, PLAYER…
# normalize-space() collapses ASCII whitespace only; the page's lines collapse every space (&nbsp;, U+3000)
_LINK_READING = etree.XPath("boolean(//a[normalize-space(translate(., '\u00a0\u3000', '  ')) = $text])")


def datelines(root: lxml.html.HtmlElement, lines: list[str], latest: date | None) -> list[str]:
    """Of lines near the text (the byline zone's), those that may date the page: not a listed
    headline with its date (a related article above the text), nor a video player's text (its build
    stamp: Latin words and a date). Each is looked up in the tree only for a line that could be one,
    by XPath: a pass over every link and named element for every page cost 0.1-0.2 ms a page."""

    @functools.cache
    def players() -> list[str]:
        return [text for element in _PLAYERS(root) if rules.PLAYER_MARKUP.search(markup_names(element))
                and len(text := " ".join(element.text_content().split())) <= rules.MAX_PLAYER_CHARS]

    def elsewhere(line: str) -> bool:
        rest = without_dates(line)
        if (len(rest) >= rules.MIN_LISTED_HEADLINE_CHARS and not rules.WEB_ADDRESS.match(rest)
                and _LINK_READING(root, text=rest)):
            return True
        return bool(rest) and not has_chinese(rest) and any(line in player for player in players())

    return [line for line in lines if not (find_dates(line, latest) and elsewhere(line))]


def without_dates(line: str) -> str:
    """The line without its dates and the marks around them: "去年今日的春耕回顾 (2023-04-01)" → its headline."""
    for pattern in DATE_TIMES.on(f"{line} "):  # with the space a pattern's substitution leaves
        line = pattern.sub(" ", line)
    return " ".join(line.split()).strip(" |｜·-—()（）[]【】")


def _swapped(a: str, b: str) -> bool:
    """"2022-06-02" and "2022-02-06": one page's 06/02/2022 read as month/day and as day/month."""
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]


_DAY = "YYYY-MM-DD"  # an ISO date without a time
_DATE_KEY = re.compile("date|time", re.IGNORECASE)  # tags that may hold a date: pubdate, dateUpdate, …
_BEIJING_TIME = timezone(timedelta(hours=8))  # the platforms publishing in Unix seconds are mainland ones


def script_time(html: str) -> str | None:
    """The publication time a page's script holds, in Beijing time: a platform's Unix seconds, else a
    date string under a publication-time key of the page's data."""
    if any(word in html for word in rules.SCRIPT_TIME_WORDS):
        starts = sorted(found.start() for finder in rules.SCRIPT_TIME_STARTS for found in finder.finditer(html))
        match = next((found for start in starts if (found := rules.SCRIPT_TIME.match(html, start))), None)
        if match:
            return datetime.fromtimestamp(int(match.group(1)), _BEIJING_TIME).isoformat()
    for key, pattern in rules.SCRIPT_DATES.items():
        if key in html and (match := pattern.search(html)):
            return parse_date(match.group(1))
    return None


def _published(line: str, latest: date | None) -> Iterator[str]:
    """The dates of a line, less those its label gives as an update's ("更新时间：2024-05-02") or as
    another article's ("最新推荐文章于 2024-02-02 发布")."""
    return (iso for at, iso in find_dates(line, latest)
            if not rules.UPDATE_LABEL.search(line, 0, at) and not rules.OTHER_ARTICLE_LABEL.search(line, 0, at))


def publication_date(meta: dict[str, str], zones: Zones, url: str | None, latest: date | None,
                     scripted: Callable[[], str | None], root: lxml.html.HtmlElement) -> str | None:
    """The page's publication date (`_publication_day`; `scripted` reads the time the page's script holds,
    `script_time`, only when no dateline or tag dated the page); when that is known only to the day, the time
    a dateline near the start of the text prints on the same day (its short opening lines, the last
    `TIMED_LINES_ABOVE` lines above it): a tag or the URL may give the day alone while the page prints
    the minute, above the headline or opening a text whose byline markup trafilatura kept. Every line
    that may date the page near the text is one of `root`'s `datelines`."""
    dated = dataclasses.replace(zones, byline=datelines(root, zones.byline, latest))

    @functools.cache
    def bar() -> list[str]:  # the lines just above the headline, looked up only on the pages that need them
        return datelines(root, zones.above[-rules.TIMED_LINES_ABOVE:], latest)

    found = _publication_day(meta, dated, url, latest, scripted, bar)
    if not found or len(found) > len(_DAY):
        return found
    near = [*bar(), *datelines(root, _short_opening(zones), latest)]
    return next((iso for line in near for iso in _published(line, latest)
                 if iso[:10] == found and len(iso) > len(_DAY)), found)


def _short_opening(zones: Zones) -> list[str]:
    """The text's opening lines short enough to be a dateline ("2003-7-24 钱江晚报"), not a paragraph."""
    return [line for line in zones.opening if len(line) <= rules.MAX_DATELINE_CHARS]


def _yearless_dateline(zones: Zones) -> tuple[int, int, str | None] | None:
    """The first day the byline prints without its year, before any update's label ("09-30 22:46")."""
    for line in zones.byline:
        update = rules.UPDATE_WORD.search(line)
        if printed := find_yearless(line[:update.start()] if update else line):
            return printed
    return None


def _publication_day(meta: dict[str, str], zones: Zones, url: str | None, latest: date | None,
                     read_script: Callable[[], str | None], bar: Callable[[], list[str]]) -> str | None:
    """A visible dateline above the text beats a meta tag (portals stamp pages with the time they
    were rendered), except that the tag adds the time when both name the same day and the page prints
    none, and settles whether 06/02/2022 is day or month first. Then a short dateline opening the
    text ("2003-7-24 钱江晚报"), the closing lines, the URL, a labelled dateline ("X 发表于 …") in the
    text or above it, an update's time the byline gives alone; dates inside paragraphs are events, so
    they come last."""
    tagged = next((d for key in rules.DATE_META if (d := parse_date(meta.get(key), latest))), None)
    shown = next((iso for line in zones.byline for iso in _published(line, latest)), None)
    if shown and tagged and (tagged[:10] == shown[:10] or _swapped(shown, tagged)):
        return (shown if len(shown) > len(_DAY) else tagged) if tagged[:10] == shown[:10] else tagged
    if not shown and tagged and (printed := _yearless_dateline(zones)):
        # a dateline printed without its year beats the tag, which gives only the year (METADATA.md): a
        # portal's tag may be the time it rendered the page, another day or minute
        return complete_year(*printed, [tagged], rendered=tagged) or tagged
    if shown or tagged:
        return shown or tagged
    scripted = read_script()  # a search of the whole page: not on the pages dated above
    short_opening = _short_opening(zones)
    # a yearless day opening the text is a dateline only with its time ("百家号10-09 16:17"); "7月8日" there
    # is the news's own day
    yearless = itertools.chain((find_yearless(line) for line in zones.byline),
                               (day for line in short_opening if (day := find_yearless(line)) and day[2]))
    if printed := next((day for day in yearless if day), None):
        # no year printed: METADATA.md takes it from the page's tags or script, on the same month and day
        stamps = [d for key, value in meta.items() if _DATE_KEY.search(key) and (d := parse_date(value, latest))]
        if completed := complete_year(*printed, [*stamps, *([scripted] if scripted else [])]):
            return completed
    if scripted and (latest is None or scripted[:10] <= latest.isoformat()):  # a platform's own data
        return scripted
    in_url = rules.URL_DATE.search(url or "")

    def date_bar() -> Iterator[str]:  # a generator: `bar` is read only when the dates before it are not found
        for line in reversed(bar()):
            yield from _published(line, latest)

    # tried in order, each only when the ones before it found nothing
    later = itertools.chain(
        (iso for line in short_opening for iso in _published(line, latest)),
        (iso for line in zones.tail for iso in _published(line, latest)),
        (parse_date("-".join(in_url.groups()), latest) if in_url else None,),
        (iso for line in [*zones.body, *reversed(zones.above)] if len(line) <= rules.MAX_DATELINE_CHARS
         for label in rules.LABELLED_DATE.finditer(line) for _, iso in find_dates(line[label.end():], latest)[:1]),
        (iso for line in zones.byline for _, iso in find_dates(line, latest)),  # only an update's date is printed
        date_bar(),  # a date bar over the headline, which the byline zone (from the headline down) leaves out
        (iso for line in zones.tail for at, iso in find_dates(line, latest)  # … or closes the text
         if rules.UPDATE_LABEL.search(line, 0, at)),  # (知乎's "编辑于 2025-04-22 18:07")
        (iso for line in zones.opening for _, iso in find_dates(line, latest)),
        (find_month(line, latest) for line in zones.byline + zones.opening + zones.tail),
    )
    return next((iso for iso in later if iso), None)
