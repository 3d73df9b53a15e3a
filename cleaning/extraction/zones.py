"""Where a page's metadata is printed, in its lines: the zones around the extracted text.

The text is found again among the page's lines (`parse.page_lines`); above it, from the headline down,
is the byline zone, then the text's opening lines, its body, the closing zone after its last
paragraph, and everything below the text. Metadata is looked for zone by zone (`metadata.read_metadata`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaning.extraction import metadata_rules as rules


def _line_index(lines: list[str], text: str, start: int = 0) -> int | None:
    """Index of the first page line from `start` on that is `text`, else that holds its start (of
    its longest cell, for a table row that trafilatura wrote as "| a | b |")."""
    whole = " ".join(text.split())
    exact = next((i for i in range(start, len(lines)) if lines[i] == whole), None)
    if exact is not None:
        return exact
    probe = " ".join(max(text.split("|"), key=len).split())[: rules.PROBE_CHARS]
    return next((i for i in range(start, len(lines)) if probe in lines[i]), None) if probe else None


@dataclass
class Zones:
    """A page's lines by where they stand to its extracted text (`page_zones`)."""

    above: list[str]  # every line above the text
    byline: list[str]  # from the headline down to the text
    opening: list[str]  # the start of the first lines of the text
    body: list[str]  # the text as page lines
    tail: list[str]  # the closing zone
    under_headline: list[tuple[str, str]]  # (headline, line under it): the text's first line, the title's lines
    below: list[str] = field(default_factory=list)  # every line below the text


MAX_NAME_RUN = 24  # an author, an affiliation: longer runs of characters without a break are prose


def _line_start(line: str) -> str:
    """The start of a line of the text, where an opening byline would be: cut at MAX_BYLINE_CHARS, but
    never inside a run of name characters ("作者：澄州|大学…" would read "澄州" as the author)."""
    cut = rules.MAX_BYLINE_CHARS
    while cut < len(line) and rules.NAME_CHAR.match(line[cut - 1]) and rules.NAME_CHAR.match(line[cut]):
        cut -= 1
        if cut <= rules.MAX_BYLINE_CHARS - MAX_NAME_RUN:  # a long run of text, no name cut in two: as it was
            return line[: rules.MAX_BYLINE_CHARS]
    return line[:cut]


def _nearest_start(lines: list[str], body: list[str], first: int) -> int:
    """Where the text starts, when its short opening lines (a share bar, "点击右上角分享") are also
    printed far above it, in the page's header: the copy directly above its first paragraph."""
    opening = next((n for n, line in enumerate(body[: rules.PROBE_LINES]) if len(line) >= rules.MIN_PARAGRAPH_CHARS),
                   None)
    if not opening:  # the text opens with a paragraph, or has none near its start
        return first
    paragraph = _line_index(lines, body[opening], first)
    if paragraph is None or paragraph - first <= opening + rules.PROBE_LINES:
        return first
    start = paragraph
    while start > first and lines[start - 1] in body[:opening]:
        start -= 1
    return start


def _past_headline(lines: list[str], title: str | None, first: int) -> int:
    """Where the text starts when it opens with the page's header, short lines (a font-size switch, a
    share bar, the channel) and then the headline: the line after the headline, where a byline
    follows it ("【陳怡妏╱綜合外電報導】", 蘋果日報); the lines above are not the text's."""
    end = min(first + rules.OPENING_TEXT_LINES, len(lines) - 1)
    for at in range(first, end):
        if lines[at] == title:
            return at + 1
        if len(lines[at]) >= rules.MIN_PARAGRAPH_CHARS:  # a paragraph: the text had started
            break
    return first


def text_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def text_start(lines: list[str], body: list[str]) -> int | None:
    """Index of the page line where the text (its lines, `text_lines`) starts, by its first lines."""
    return next((i for line in body[: rules.PROBE_LINES] if (i := _line_index(lines, line)) is not None), None)


def _shown_headline(lines: list[str], title: str, copy_at: int) -> int:
    """The headline line above a copy of it at `copy_at` (some sites repeat the headline as the
    text's first line, under the date and byline), when it stands at most `BYLINE_ZONE_LINES` above;
    else `copy_at`. A headline listed far above (a menu of the channel's stories) is not it."""
    return next((i for i in range(copy_at - 1, max(0, copy_at - rules.BYLINE_ZONE_LINES) - 1, -1) if lines[i] == title),
                copy_at)


def page_zones(lines: list[str], title: str | None, text: str) -> Zones:
    """Zones of the page lines, located by the extracted text.

    Some extracted lines are not page lines (trafilatura writes table rows as "| a | b |"), so the
    first and last few are tried in turn. The byline zone runs from the headline, if it is near,
    to the short lines that open the text; the closing zone from the last lines of the text onwards.
    """
    body = text_lines(text)
    first = text_start(lines, body)
    if first is None:
        return Zones([], [], [], [], [], [])
    first = _past_headline(lines, title, _nearest_start(lines, body, first))
    near = max(0, first - rules.TITLE_SEARCH_LINES)
    probe = (title or "")[: rules.PROBE_CHARS]
    title_at = next((i for i in range(first - 1, near - 1, -1) if probe and probe in lines[i]), None)
    if title_at is not None and lines[title_at] == title:  # the headline printed again at the text's head
        title_at = _shown_headline(lines, title, title_at)
    top = title_at + 1 if title_at is not None else max(0, first - rules.BYLINE_ZONE_LINES)
    last = next(
        (i for line in reversed(body[-rules.PROBE_LAST_LINES:]) if (i := _line_index(lines, line, first)) is not None),
        first,
    )
    opening = [_line_start(line) for line in lines[first: first + rules.OPENING_TEXT_LINES]]
    # the text may close with furniture far below the article (a comment box's notice, a copyright
    # footer), so the lines after its last paragraph belong to the closing zone too
    last_paragraph = next(
        (i for line in reversed(body[-rules.PROBE_LAST_LINES:]) if len(line) >= rules.MIN_PARAGRAPH_CHARS
         and not rules.COPYRIGHT_LINE.search(line) and (i := _line_index(lines, line, first)) is not None),
        last,
    )
    ends = sorted({min(last_paragraph, last), last})
    before, after = rules.CLOSING_TEXT_LINES - 1, rules.CLOSING_ZONE_LINES
    tail = list(dict.fromkeys(line for end in ends for line in lines[max(first, end - before): end + 1 + after]))
    starts = range(near, min(first + rules.OPENING_TEXT_LINES, len(lines) - 1))
    headlines = {first, *(i for i in starts if title and lines[i] == title)}
    under = [(lines[i], lines[i + 1]) for i in sorted(headlines) if i + 1 < len(lines)]
    byline = [line for line in lines[top:first] if line != title]
    return Zones(lines[:first], byline, opening, lines[first: last + 1], tail, under, lines[last + 1:])
