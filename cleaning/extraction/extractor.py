"""One page → main text and metadata: parse robustly, undo table layout, then trafilatura, then metadata.

trafilatura gets our parsed tree (never bytes: given bytes it mis-decodes gb2312-labelled GBK pages)
with `include_comments=False`, since reader comments are not the article. Its own metadata is not
asked for: its date search is the slowest part of it and its author search misses Chinese bylines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from datetime import date

import lxml.html
import trafilatura
import trafilatura.core as trafilatura_core
from trafilatura.settings import Extractor, use_config

from cleaning.extraction.headline import without_headline
from cleaning.extraction.layout import (
    flatten_layout_lists,
    flatten_layout_tables,
    unwrap_image_links,
    wrap_loose_text,
)
from cleaning.extraction.metadata import platform_account, read_metadata
from cleaning.extraction.parse import page_lines, parse_html
from cleaning.extraction.prune import prune_furniture, word_count
from cleaning.extraction.result import Extraction

# 5: a source meta tag without its 来源 label; 4: a labelled dateline inside the text dates a page;
# 3: the second pass judged by what pruning left
VERSION = "5"
# trafilatura runs in its fast mode first; its full mode (which compares with its readability and
# jusText fallbacks, a third of its time) only when the fast text looks wrong: short in itself (a wrong
# block or a cut-off text is short; a long one it replaced was worse: 0.99 → 0.34 and 1.00 → 0.44 on
# two English gold pages) and a small share of the page left after pruning, counted in words (the
# menus and listings pruned are no text it missed). On the gold pages every text the second pass
# improved held at most 0.15 of what was left, and a short article alone on its page 0.47 or more.
# So one pass is the rule: the second runs on 9 of 331 gold pages and none of the sample articles.
RETRY_BELOW_SHARE = 0.3
RETRY_BELOW_CHARS = 400
EXTRACTOR = f"zhnews-extraction {VERSION} (trafilatura {trafilatura.__version__})"
# trafilatura's MIN_EXTRACTED_SIZE (250 characters) is set for Latin text: below it, it widens its
# search to every <div> and rescues loose text from the whole page. A Han character carries about
# as much as two or three Latin ones, and Chinese news flashes run 90-250 characters, so ours is 100
# (on the four gold sets: news_zh_dev 0.959 → 0.987, the others equal or better).
MIN_EXTRACTED_CHARS = 100
_TRAFILATURA_CONFIG = use_config()
_TRAFILATURA_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARS))


# trafilatura's options, built once per mode: building them reads its config file's values each time,
# a tenth of its fast mode's time on a short page
_OPTIONS = {fast: Extractor(config=_TRAFILATURA_CONFIG, output_format="python", fast=fast, comments=False,
                            tables=True) for fast in (True, False)}


# trafilatura's recall escalation re-runs a short text that covers under a fifth of the page's text.
# It costs a whole-page text measure on every text under 3,000 characters (most Chinese articles; an
# eighth of our extraction time), and after our pruning it never pays: on the 331 gold and 300 sample
# pages it retried 11 times and changed no text. Our own second pass (`looks_missed`) asks the same
# question of what pruning left. trafilatura has no setting for it, so its threshold is lowered for the
# duration of our call only (pages are extracted on the main thread, one at a time), so that other
# callers in the process, such as the benchmark's bare baseline, keep trafilatura's own behaviour.
_ESCALATION_LIMIT = "ESCALATION_MAX_LENGTH"


@contextmanager
def _without_recall_escalation() -> Iterator[None]:
    if not hasattr(trafilatura_core, _ESCALATION_LIMIT):  # a trafilatura without it: nothing to turn off
        yield
        return
    limit = getattr(trafilatura_core, _ESCALATION_LIMIT)
    setattr(trafilatura_core, _ESCALATION_LIMIT, 0)
    try:
        yield
    finally:
        setattr(trafilatura_core, _ESCALATION_LIMIT, limit)


def _trafilatura(root: lxml.html.HtmlElement, url: str | None, prune_xpath: Sequence[str], fast: bool) -> str:
    options = copy(_OPTIONS[fast])
    options.url = options.source = url
    with _without_recall_escalation():
        result = trafilatura.bare_extraction(root, url=url, prune_xpath=list(prune_xpath) or None, options=options)
    return (result.text or "") if result else ""


def looks_missed(text: str, words_left: int) -> bool:
    """Does the fast pass's text look like the wrong block or a cut-off one (see RETRY_BELOW_SHARE)?"""
    return len(text) < RETRY_BELOW_CHARS and word_count(text) < RETRY_BELOW_SHARE * words_left


def extract_html(html: str, url: str | None = None, prune_xpath: Sequence[str] = (),
                 latest: date | None = None) -> Extraction:
    """Main text and metadata of a decoded page; an empty text comes with the reason."""
    return _extract_page(html, url, prune_xpath, latest)[0]


def _extract_page(html: str, url: str | None, prune_xpath: Sequence[str], latest: date | None,
                  with_metadata: bool = True) -> tuple[Extraction, list[str]]:
    """The page's extraction and its lines as shown (`page_lines`, read before anything is pruned);
    without metadata, the text as trafilatura gives it, its headline line included."""
    root = parse_html(html)
    if root is None:
        return Extraction(text="", reason="no_markup"), []
    lines = page_lines(root)
    if not lines:
        return Extraction(text="", reason="no_visible_text"), lines
    account = platform_account(root, url) if with_metadata else None  # before pruning, which may take the box
    flatten_layout_tables(root)
    words_left = prune_furniture(root)
    flatten_layout_lists(root)  # after pruning, which judges lists of headlines as lists
    unwrap_image_links(root)
    wrap_loose_text(root)
    text = _trafilatura(root, url, prune_xpath, fast=True)
    if looks_missed(text, words_left):
        text = _trafilatura(root, url, prune_xpath, fast=False) or text
    if not text.strip():
        return Extraction(text="", reason="no_main_text"), lines
    if not with_metadata:
        return Extraction(text=text), lines
    meta = read_metadata(html, root, lines, text, url, latest, account)
    found = Extraction(text=without_headline(text, meta.title))
    found.fill_missing(meta)
    return found, lines


# a line of a pager: page numbers and the words around them (上一页 1 2 3 下一页 单页阅读)
_PAGER_LINE = re.compile(r"(?:\s|\d{1,3}|[|｜…]|\.\.\.|上一页|下一页|首页|末页|尾页|全文|单页阅读|阅读全文)+")


def extract_paginated(first_html: str, later_pages: Sequence[str], url: str | None = None,
                      prune_xpath: Sequence[str] = (), latest: date | None = None) -> tuple[Extraction, list[str]]:
    """A paginated article: the first page's extraction, and the texts of its later pages in order.
    Each later page repeats the first page's furniture (headline, date bar, menus, widgets, pager),
    and on a short last page the extractor can take all of it for text; so a line found in what the
    first page shows outside its own text is dropped, and so is a line that is only a pager."""
    first, shown = _extract_page(first_html, url, prune_xpath, latest)
    if not first.text or not later_pages:
        return first, []
    text_lines = {" ".join(line.split()) for line in first.text.split("\n")}
    furniture = "\n".join(line for line in shown if line not in text_lines)
    texts = []
    for html in later_pages:
        # a later page's own metadata is not wanted (its headline line is the first page's: furniture)
        text = _extract_page(html, url, prune_xpath, None, with_metadata=False)[0].text
        lines = (" ".join(line.split()) for line in text.split("\n"))
        texts.append("\n".join(line for line in lines if line and line not in furniture
                               and not _PAGER_LINE.fullmatch(line)))
    return first, texts
