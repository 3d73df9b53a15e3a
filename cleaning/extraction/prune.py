"""Delete the furniture containers of Chinese portals before trafilatura sees the page.

trafilatura knows English class names ("share", "related", "comments"); Chinese sites name theirs
in pinyin ("fenxiang", "xgxw" for 相关新闻, "pinglun") or after the widget ("bdshare", "jiathis").
And listings look alike whatever their names: a list whose items are mostly a link plus a date is
"相关报道", "最新文章" or a forum's reply tree, and a block of many links with hardly any other text
is a menu or a headline box; neither is the article. Nor is a box that opens with a heading such as
"相关报道" or "免责声明", nor a form to log in, search or comment.
The rules are data, in `prune_rules.yaml`. The page is measured once, bottom-up, so that judging
every container costs one pass, not one pass per container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import lxml.html
import yaml
from lxml import etree

from cleaning.extraction.layout import NO_TEXT_TAGS
from cleaning.text.chars import HAN
from cleaning.text.dates import DATE_TIMES

RULES_FILE = Path(__file__).with_name("prune_rules.yaml")
_LISTS = ("ul", "ol", "dl")
_NON_WORD = re.compile(r"\W")  # text counts letters, digits, Han: separators such as " | " do not count
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
# "评论 683", "阅读：3573", "1.2万次播放", "298人参与": a headline with its counter is a listing item too
_COUNTER = re.compile(
    r"(?:评论|評論|阅读|閱讀|浏览|瀏覽|点击|點擊|回复|回覆|跟贴|点赞|播放)\s*[:：(（]?\s*\d[\d.,万萬wk]*"
    r"|\d[\d.,万萬wk]*\s*(?:次?(?:阅读|閱讀|浏览|瀏覽|播放|点击)|条?评论|人(?:参与|阅读|看过)|赞)"
)
_RELATIVE_TIME = re.compile(r"\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月)前")  # a stream's "法新社·2 天前"
_SHORT_DATE = re.compile(r"(?<!\d)\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}|(?<!\d)\d{1,2}-\d{1,2}(?!\d)")


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _matchers() -> tuple[frozenset[str], re.Pattern[str]]:
    """The furniture class/id tokens and the box-heading pattern, built once from the rules."""
    config = rules()
    headings = "|".join(map(re.escape, config["box_headings"]))
    return frozenset(config["class_or_id_tokens"]), re.compile(rf"[{HAN}]{{0,10}}(?:{headings})\s*[:：]?")


@dataclass(slots=True)
class _Size:
    words: int = 0  # letters, digits and Han characters in the element
    link_words: int = 0  # … of them inside links
    links: int = 0
    first_text: str = ""  # its first text that is not blank (a box's heading), as it stands


def word_count(text: str) -> int:
    """Letters, digits and Han characters: the unit pages are measured in here."""
    return len(text) - len(_NON_WORD.findall(text))


def _measure(body: lxml.html.HtmlElement) -> dict[etree._Element, _Size]:
    """Sizes of every element, children before parents; script and style text does not count.
    The loop runs once per element of the page (hundreds), so it is kept tight: no call per text, and
    the elements come in reverse document order (each after all it holds), which lxml lists faster
    than it walks the tree."""
    sizes: dict[etree._Element, _Size] = {}
    known = sizes.get
    non_word = _NON_WORD.findall
    for element in reversed(list(body.iter())):
        tag = element.tag
        if tag.__class__ is not str or tag in NO_TEXT_TAGS:
            continue
        text = element.text
        if text and not text.isspace():
            words, first = len(text) - len(non_word(text)), text
        else:
            words, first = 0, ""
        link_words = links = 0
        for child in element:
            inner = known(child)
            if inner is not None:
                words += inner.words
                link_words += inner.link_words
                links += inner.links
                first = first or inner.first_text
            tail = child.tail
            if tail and not tail.isspace():
                words += len(tail) - len(non_word(tail))
                first = first or tail
        if tag == "a":
            links += 1
            link_words = words
        sizes[element] = _Size(words, link_words, links, first)
    return sizes


def _furniture_name(element: lxml.html.HtmlElement) -> bool:
    return _furniture_names(element.get("class", ""), element.get("id", "")) or _hidden(element.get("style"))


_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _hidden(style: str | None) -> bool:
    """Shown by no browser until a script says so: a dialog, a toast, a template (WeChat's 已留言,
    删除该留言吗？)."""
    return style is not None and _HIDDEN.search(style) is not None


@lru_cache(maxsize=8192)
def _furniture_names(class_names: str, element_id: str) -> bool:
    """Do these class and id names hold a furniture token? Cached: a page repeats its class names."""
    names = f"{class_names} {element_id}".lower()
    return bool(names.strip()) and not _matchers()[0].isdisjoint(_TOKEN_SPLIT.split(names))


def _own_text(item: etree._Element) -> str:
    """The text of a list item without the lists nested in it (a reply tree nests them)."""
    parts = [item.text or ""]
    for child in item:
        if isinstance(child.tag, str) and child.tag not in _LISTS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _dated_link(item: etree._Element, size: _Size, config: dict) -> bool:
    """A link with a date, a time ago or a counter: a headline, or a teaser (headline and summary)
    of a news stream, which may be longer."""
    max_chars = config["max_item_chars"]
    if size.words > max_chars and item.tag not in ("li", "dt", "dd"):
        return False
    text = " ".join(_own_text(item).split())  # indentation is no text
    if not text or len(text) > config["max_teaser_chars"]:
        return False
    if _RELATIVE_TIME.search(text):
        return True
    return len(text) <= max_chars and bool(
        _SHORT_DATE.search(text) or _COUNTER.search(text) or any(p.search(text) for p in DATE_TIMES.on(text)))


def _is_listing(container: lxml.html.HtmlElement, sizes: dict[etree._Element, _Size], config: dict) -> bool:
    """Lists count every item at every depth; other blocks count their direct children."""
    children = [child for child in container if isinstance(child.tag, str)]
    if len(children) < config["min_items"]:
        return False
    items = list(container.iter("li", "dt", "dd")) if container.tag in _LISTS else children
    needed = config["min_share"] * len(items)
    linked = [(item, size) for item in items if (size := sizes.get(item)) and size.links]
    if len(linked) < needed:  # a dated link is a link first: most blocks are decided here
        return False
    dated, unseen = 0, len(linked)
    for item, size in linked:  # until the count is reached, or out of reach
        if dated >= needed or dated + unseen < needed:
            break
        dated += _dated_link(item, size, config)
        unseen -= 1
    return dated >= needed


def _is_link_farm(size: _Size, config: dict) -> bool:
    """A menu or a block of headlines: many links and hardly any text that is not a link, in share
    and in amount (a page whose mega-menu outweighs the article still holds the article)."""
    plain = size.words - size.link_words
    return (size.links >= config["min_links"] and size.words > 0 and plain <= config["max_plain_words"]
            and size.link_words >= config["min_link_share"] * size.words)


def _is_input_form(element: lxml.html.HtmlElement) -> bool:
    """A login, search or comment form: it has fields to type into (a page-wide ASP.NET <form>
    also does, which the page-share guard keeps)."""
    return element.tag == "form" and bool(
        element.xpath(".//textarea | .//input[not(@type) or @type='text' or @type='password']")
    )


def _remove(element: lxml.html.HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def prune_furniture(root: lxml.html.HtmlElement) -> int:
    """Delete furniture containers in place; return the words (letters, digits, Han) the body still
    holds, what the article is a share of. A name or a heading never condemns a container that
    holds most of the page's text outside links (a page-wide wrapper may be called "tuijian", an
    article carry a share widget's class as a CSS hook); a listing does."""
    config = rules()
    heading = _matchers()[1]
    listing, farm = config["listing"], config["link_farm"]
    body = root.find("body")
    if body is None:
        return 0
    sizes = _measure(body)
    page = sizes.get(body, _Size())
    # menus and headline lists weigh nothing against a name; a form is weighed whole (an ASP.NET
    # page wraps everything in one, a login box is mostly labels)
    most_plain = config["max_page_share"] * (page.words - page.link_words)
    most = config["max_page_share"] * page.words
    doomed = []
    for element in body.iter(*listing["tags"], *config["named_tags"]):
        size = sizes.get(element)
        if size is None:
            continue
        if element.tag in listing["tags"] and (_is_link_farm(size, farm) or _is_listing(element, sizes, listing)):
            doomed.append(element)
        elif size.words - size.link_words <= most_plain and (
            _furniture_name(element) or heading.fullmatch(" ".join(size.first_text.split()))
        ) or size.words <= most and _is_input_form(element):
            doomed.append(element)
    left = page.words
    for element in doomed:
        if element.getroottree().getroot() is root:  # not inside something removed already
            _remove(element)  # its tail stays, and was counted in its parent's words
            left -= sizes[element].words
    return left
