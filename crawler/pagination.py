"""Paginated articles: which links of an article page lead to its other pages or to a one-page view.

Long articles on Chinese portals come in pages: the first page's file name with a page number after
`_` or `-` (`t20261014_1043_2.shtml`, `content_22696412_3.htm`, `c1004-40232499-2.html`,
`index_2.html`), linked from a pager (1 2 3 下一页). Some CMSs number the second page `_1`: the number
orders the pages, it need not start at 2. Many pages also link a one-page view (全文, 余下全文, 单页阅读,
阅读全文), which holds the whole text and is preferred when present.

Only the URL and the link texts are read, so the same rules serve the crawl (which follows the pages)
and an archive import (which finds them among records someone else fetched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from posixpath import splitext
from urllib.parse import urlsplit, urlunsplit

from crawler.urls import canonical, found_url

# a page number of at most 3 digits after the stem: an article id (`_39001260`) is longer
_PAGE_SUFFIX = re.compile(r"^(?P<stem>.+?)(?P<sep>[_-])(?P<number>\d{1,3})$")
_FULL_VIEW = re.compile(r"^\s*[【\[（(]?\s*(全文|阅读全文|查看全文|显示全文|全文阅读|余下全文|阅读余下全文|"
                        r"单页阅读|单页浏览|单页显示|不分页阅读|不分页显示|在本页浏览全文|点击阅读全文)"
                        r"\s*[】\]）)]?\s*[>»›]*\s*$")
# bytes that must occur in an article page before it is parsed for a pager: the labels in UTF-8 and GBK
_LABEL_BYTES = tuple(label.encode(codec) for label in ("全文", "单页", "不分页") for codec in ("utf-8", "gbk"))


@dataclass(frozen=True)
class PageOf:
    """A URL that is page `number` of the article at `first` (its first page, canonical)."""
    first: str
    number: int


def page_of(url: str) -> PageOf | None:
    """Page number and first page of `url` when its file name ends in `_N` / `-N` (1–3 digits)."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    stem, extension = splitext(name)
    match = _PAGE_SUFFIX.match(stem)
    # the first page's name is an id (ends in a digit: `t20261014_1043`, `c1004-40232499`) or `index`;
    # `ok-2.html` or `chain-3.html` are names of their own, not pages
    if not match or not extension or not (match["stem"][-1].isdigit() or match["stem"] == "index"):
        return None
    first_path = f"{folder}/{match['stem']}{extension}"
    return PageOf(urlunsplit((parts.scheme, parts.netloc, first_path, parts.query, "")), int(match["number"]))


def might_be_paginated(url: str, body: bytes) -> bool:
    """A cheap look at the raw bytes before any parsing: does the page mention its own stem with a
    page separator, or a one-page-view label? Most articles are one page and are never parsed."""
    stem = splitext(urlsplit(url).path.rpartition("/")[2])[0].encode("ascii", "ignore")
    return bool(stem) and (stem + b"_" in body or stem + b"-" in body) or any(b in body for b in _LABEL_BYTES)


@dataclass
class Pager:
    """What an article page links of itself: its later pages by number, and a one-page view."""
    pages: dict[int, str] = field(default_factory=dict)
    full_view: str | None = None


def read_pager(url: str, links: list[tuple[str, str]], strip_index: bool = False) -> Pager:
    """`links`: (href, link text) of the page at `url`. Pages are links to the same first page on the
    same host; the one-page view is a same-host link labelled as one that is not the page itself.
    The first page is `url` itself when a link is a page of it: an article whose id is short
    (`t20261101_6.html`) reads as page 6 of another by its name, and its pager says otherwise."""
    own = canonical(url, strip_index)
    host = urlsplit(own).netloc
    found = []  # (target, its page, link text), on this host, not the page itself
    for href, text in links:
        target = found_url(href.strip(), url, strip_index)
        if target and urlsplit(target).netloc == host and target != own:
            page = page_of(target)
            found.append((target, page and canonical(page.first, strip_index), page, text))
    first = own if any(first_of == own for _, first_of, _, _ in found) else canonical(_first_page(url), strip_index)
    pager = Pager()
    for target, first_of, page, text in found:
        if page and first_of == first:
            pager.pages.setdefault(page.number, target)
        elif pager.full_view is None and target != first and _FULL_VIEW.match(text or ""):
            pager.full_view = target
    return pager


def _first_page(url: str) -> str:
    page = page_of(url)
    return page.first if page else url
