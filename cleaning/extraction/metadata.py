"""Title, author, editor, source and publication time of a Chinese news page.

Where they come from:
- the page's own metadata: portal meta tags (publishdate, author, source…), Open Graph, JSON-LD;
- the byline zone: the lines between the headline and the first line of the main text, where
  portals print "2024年4月29日 09:36 来源：新华社 作者：张三";
- the closing zone: the last lines of the article and the few lines after it, where papers print
  "（记者 胡晓蓉）", "责任编辑：孙重远", a bare "（袁源）" or a forum's "发布时间 … by 某人";
- markup that names the author (class or id `author`, `byline`…) or, on platform pages, the account
  (`nickname`, `media-name`), and last the page's script (`var nickname = "…"`);
- the URL ("/2024-04/29/", "/20240429/") for the date.
For the author, printed lines beat markup, which beats the author tag (`read_metadata` has the order).
The patterns are data (`cleaning/extraction/metadata_rules.py`); every name must look like a name.
The headline is found in `headline.py`, the zones in `zones.py`; the publication time is weighed in
`page_dates.py`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import SplitResult, urlsplit

import lxml.html
from lxml import etree

from cleaning.extraction import metadata_rules as rules
from cleaning.extraction.headline import page_title, read_headline, tagged_sites, title_parts, without_headline
from cleaning.extraction.page_dates import publication_date, script_time, without_dates
from cleaning.extraction.parse import markup_names, named_elements
from cleaning.extraction.zones import page_zones
from cleaning.text.credits import without_editor
from cleaning.text.metadata import Metadata
from cleaning.text.required_chars import GatedPatterns
from cleaning.text.spacing import INVISIBLE

_MICRODATA_TIMES = etree.XPath("//time[@itemprop][@datetime]")


_CARD_LABEL, _CARD_DATA = "twitter:label", "twitter:data"  # a card's label N and its data N


def _meta_tags(root: lxml.html.HtmlElement) -> dict[str, str]:
    """name/property/itemprop (lower-cased) → content, first occurrence wins; a Twitter card's author,
    labelled ("twitter:label1" "Written by", "twitter:data1" the name), as `CARD_AUTHOR`; then the schema.org
    microdata of <time> elements (<time itemprop="datePublished" datetime="2020-03-26T00:00:00+08:00">)."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = (meta.get("content") or "").strip()
        key = meta.get("name") or meta.get("property") or meta.get("itemprop") or ""
        if content and key:
            found.setdefault(key.strip().lower(), content)
    labels = [(key, label) for key, label in found.items() if key.startswith(_CARD_LABEL)]
    for key, label in labels:
        if rules.CARD_WRITER_LABEL.fullmatch(label) and (name := found.get(_CARD_DATA + key[len(_CARD_LABEL):])):
            found.setdefault(rules.CARD_AUTHOR, name)
    for time in _MICRODATA_TIMES(root):
        if content := time.get("datetime", "").strip():
            found.setdefault(time.get("itemprop", "").strip().lower(), content)
    return found


def _json_ld(root: lxml.html.HtmlElement) -> dict[str, str]:
    """datePublished and author name from schema.org JSON-LD, when a page has it; the publication time
    of Baidu's "cambrian" JSON-LD too ("pubDate", which CSDN and many Chinese sites print for Baidu)."""
    found: dict[str, str] = {}
    for script in root.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = list(_json_ld_items(data))
        nodes = {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}
        for item in items:
            for key in ("datePublished", "pubDate"):
                if isinstance(item.get(key), str):
                    found.setdefault("datepublished", item[key])
            people, organization = _json_ld_authors(_referenced(item.get("author"), nodes))
            if people:
                found.setdefault("author", people)
            if organization:
                found.setdefault(rules.ORGANIZATION_AUTHOR, organization)
    return found


def _json_ld_items(data: object) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD block: one, a list of them, or a site's `@graph` of them (the SEO
    plugins' form: the article, its web page, the site and the people, side by side)."""
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            yield item
            if isinstance(graph := item.get("@graph"), list):
                yield from (entry for entry in graph if isinstance(entry, dict))


_ORGANIZATIONS = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})


def _referenced(value: object, nodes: dict[str, dict[str, Any]]) -> object:
    """A JSON-LD value with each reference to another object of its block (`{"@id": …}` alone: a
    graph names its people once) replaced by that object."""
    def resolved(entry: object) -> object:
        if isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str):
            return nodes.get(entry["@id"], entry)
        return entry

    return [resolved(entry) for entry in value] if isinstance(value, list) else resolved(value)


def _json_ld_authors(author: object) -> tuple[str | None, str | None]:
    """A JSON-LD author's people ("李澄、王明") and its first organisation: a platform's account, which
    `_account_tag` reads on a platform's page; elsewhere the publisher ("NHK"), which is no author."""
    entries = author if isinstance(author, list) else [author]
    named = [(_types(entry.get("@type")), entry.get("name")) if isinstance(entry, dict) else (set(), entry)
             for entry in entries]
    names = [(kinds, name.strip()) for kinds, name in named if isinstance(name, str) and name.strip()]
    people = [name for kinds, name in names if not kinds & _ORGANIZATIONS]
    organization = next((name for kinds, name in names if kinds & _ORGANIZATIONS), None)
    return "、".join(people) or None, organization


def _types(declared: object) -> set[str]:
    """A JSON-LD @type, which may be one name or a list of them."""
    return {kind for kind in (declared if isinstance(declared, list) else [declared]) if isinstance(kind, str)}


def clean_names(raw: str) -> str | None:
    """"王建宏 张文攀" → "王建宏、张文攀"; None unless every part looks like a person's name.
    One name may keep its original in brackets: "周思博 (Joel Spolsky)"; titles and an affiliation
    glued before a name are left out ("北京大学经济学院教授王建国" → "王建国")."""
    original = rules.ORIGINAL_NAME.search(raw)
    if original:
        name = clean_names(raw[: original.start()])
        return f"{name} ({original.group(1).strip()})" if name and "、" not in name else name
    if rules.EDITORIAL_DESK.search(raw.strip()):
        return None
    raw = rules.NAME_STOP.split(raw, maxsplit=1)[0]
    # the affiliation and titles printed before the name, or before each of several names ("…研究院执行院长王文、
    # …研究院副研究员 王鹏"); a 、 may also sit inside one affiliation ("…研究部部长、研究员徐占忱")
    for parts in (raw.split("、"), [raw]) if "、" in raw else ([raw],):
        affiliated = [rules.AFFILIATED_NAME.search(part) for part in parts]
        if all(found and rules.COMMON_SURNAMES.match(found.group(1)) for found in affiliated):
            return "、".join(found.group(1) for found in affiliated if found)
    raw = rules.NAME_TRIM.sub("", raw.strip())
    if rules.DEFAULT_ACCOUNT.fullmatch(raw):
        return None
    raw = rules.ENGLISH_BY.sub("", rules.PADDED_SURNAME.sub(r"\1\2", rules.PADDED_NAME.sub(r"\1\2", raw)))
    if rules.AMPERSAND.search(raw):
        parts = rules.NAME_SPLIT.split(rules.AMPERSAND.sub("、", raw))  # "李澄、王明&赵强" too
        listed = "、" in raw  # a list's last name joined by &: pen names too ("叨叨姐、胡一刀&李小飞刀")
        if all(rules.HAN_NAME.fullmatch(part) and (listed or rules.COMMON_SURNAMES.match(part)) for part in parts):
            raw = "、".join(parts)
        elif rules.HAN_HANDLE.fullmatch(raw):
            return raw
    # where the reporters were: "鉅亨網記者 王莞甯 台北" names one person, not 台北
    names = [n for n in rules.NAME_SPLIT.split(raw) if n and n not in rules.PLACES]
    if len(names) > 1:  # "吳玫穎, 中時電子報": the writer, not the outlet beside them, nor a column ("新聞透視")
        names = [n for n in names if not rules.OUTLET_NAME.fullmatch(n) and not rules.NEWS_WORD.search(n)
                 and not rules.AFFILIATION_TITLE.fullmatch(n)] or names
    if not names or len(names) > rules.MAX_NAMES:
        return None
    if any(rules.NOT_A_NAME.search(n) or n in rules.UI_WORDS for n in names):  # "作者 推荐": a sidebar's heading
        return None
    if all(rules.HAN_NAME.fullmatch(n) for n in names):
        return "、".join(names)
    if len(names) == 1 and rules.HANDLE.fullmatch(names[0]):
        return names[0]
    if rules.LATIN_NAME.fullmatch(raw.strip()):
        return raw.strip()
    # Latin names enumerated with 、 ("Lia Smith、Yaron Stein"), not with a comma: "Tom Krisher, AP Auto Writer"
    listed = [part.strip() for part in raw.strip().split("、")]
    if 1 < len(listed) <= rules.MAX_NAMES and all(rules.LATIN_NAME.fullmatch(part) for part in listed):
        return "、".join(listed)
    return None


def _author_names(element: lxml.html.HtmlElement) -> str:
    """The names markup gives an element, its schema.org microdata property too (itemprop="author", which
    sites print around the byline as it shows: "<span itemprop="author">鉅亨網記者王莞甯 台北</span>")."""
    return f"{markup_names(element)} {element.get('itemprop', '')}"


@functools.lru_cache(maxsize=8192)
def _author_markup(names: str) -> tuple[bool, bool]:
    """Do these class and id names mark an author or an account, and an account? Cached: a page
    repeats its class names, and a long page has thousands of named elements."""
    account = bool(rules.ACCOUNT_MARKUP.search(names))
    marked = (account or bool(rules.AUTHOR_MARKUP.search(names))) and not rules.NOT_AUTHOR_MARKUP.search(names)
    return marked, account


def _author_marked(root: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    """The elements whose class, id or rel mark an author or an account, with those names."""
    return [(element, names) for element in named_elements(root)
            if (names := _author_names(element)) and _author_markup(names)[0]]


def _marked_author(root: lxml.html.HtmlElement, platform: bool = False, accounts_only: bool = False) -> str | None:
    """The name in markup the page labels as the author's, read as a byline line ("作者：南帆",
    "聯合報 記者陳嘉寧／桃園機場報導"), or the account name in account markup, or in any author markup
    on a `platform` page; with `accounts_only`, in account markup only. Markup that names authors in
    several places of the page (`MAX_AUTHOR_PLACES`: cards of other articles, whatever their class says)
    is passed over; co-authors sit side by side, under one parent, each in an element of the same tag
    and names ("<span class='article-reporter'>林子翔</span><span class='article-reporter'>陳佳鑫</span>",
    公視), where a site that marks its dateline's place alike prints it otherwise ("<a class=
    'article-author__name'>Reuters,</a> <span class='article-author__name'>Washington,</span>")."""
    named = _author_marked(root)
    places: dict[str, set[lxml.html.HtmlElement]] = {}  # held, so each parent keeps one proxy object
    for element, names in named:
        places.setdefault(names, set()).add(element.getparent())
    for element, names in named:
        account = _author_markup(names)[1]
        if (accounts_only and not account) or len(places[names]) > rules.MAX_AUTHOR_PLACES:
            continue
        if name := _marked_name(element, account, platform):
            parent = element.getparent()
            beside = (_marked_name(other, account, platform) for other, same in named  # printed alike
                      if other is not element and same == names and other.tag == element.tag
                      and other.getparent() is parent)
            return "、".join(dict.fromkeys([*name.split("、"), *(part for found in beside if found
                                                                 for part in found.split("、"))]))
    return None


def _marked_name(element: lxml.html.HtmlElement, account: bool, platform: bool) -> str | None:
    """The name one author-marked element holds, read as a byline line; None when it holds none, or
    stands in a comment form, another article's card or a hidden block."""
    if element.xpath(".//input | .//textarea"):  # a comment form's "author" box: 账号 密码 登录
        return None
    if any(rules.NOT_AUTHOR_MARKUP.search(_author_names(up))
           or rules.HIDDEN_STYLE.search(up.get("style", "")) for up in element.iterancestors()):
        return None  # another article's author, in a list, a slide or a hidden block
    shown = " ".join(element.text_content().split())
    named = not shown and _microdata_name(element)  # schema.org's Person may name itself in a <meta> only
    text = _unshortened(element, rules.ACCOUNT_BUTTON.sub("", shown or named or ""))
    # less the date the byline prints in it ("陳嘉宏 2023年09月01日 07:02:00", 上報) and the mark before
    # the next field ("刘素楠 ·", 界面)
    text = without_dates(text).strip(rules.FIELD_SEPARATORS)
    if not text or len(text) > rules.MAX_MARKED_CHARS or (account and _links_home(element)):
        return None
    outlet_then_name = rules.OUTLET_SLASH_NAME.match(text)
    name = _labelled([text], rules.BYLINE_PATTERNS) or (
        outlet_then_name and outlet_then_name.group("name")) or clean_names(text)
    if not name and (account or platform or named) and _account(text):
        name = text  # an account's name (on a platform page, whatever markup holds it), or a Person's
    return name or None


_MICRODATA_NAME = etree.XPath(".//meta[@itemprop='name']")


def _microdata_name(element: lxml.html.HtmlElement) -> str:
    """The name a schema.org Person in author markup gives in a <meta> it holds, printing none: "<div
    itemprop="author" itemscope itemtype="http://schema.org/Person"><meta itemprop="name" content="…">"
    (some sites write value= for content=: 掘金's article pages)."""
    meta = next(iter(_MICRODATA_NAME(element)), None)
    return "" if meta is None else " ".join((meta.get("content") or meta.get("value") or "").split())


def _signed_in_markup(root: lxml.html.HtmlElement, tail: list[str]) -> str | None:
    """A pen name that is no personal name by its shape ("冰糖炖雪梨", 直播吧), taken when two places agree:
    author markup holds it, and it closes the text in brackets ("…。（冰糖炖雪梨）")."""
    signed = {match.group(1) for line in tail
              if line.endswith(("）", ")")) and (match := rules.BRACKETED_HANDLE.search(line))}
    if not signed:
        return None
    return next((text for element, _ in _author_marked(root)
                 if (text := " ".join(element.text_content().split())) in signed), None)


def _links_home(element: lxml.html.HtmlElement) -> bool:
    """Does account markup link to a home page (a site's or a channel's: "http://ent.sina.com.cn/")?
    Then it names that site or channel (sina's <span id="media_name">), not an account, whose link
    leads to the account's own page."""
    link = element if element.tag == "a" else element.find(".//a")
    if link is None or (href := _link_target(link)) is None:
        return False
    return href.path == "/" or (bool(href.netloc) and not href.path)  # not "#", not "javascript:…"


def _host_labels(url: str | None) -> set[str]:
    """The labels of the page's host, as an author that is the site would spell them: "al-monitor" and
    "almonitor" for www.al-monitor.com."""
    try:
        labels = (urlsplit(url or "").hostname or "").lower().split(".")
    except ValueError:
        return set()
    return {*labels, *(rules.NOT_WORD.sub("", label) for label in labels)} - {""}


def _link_target(link: lxml.html.HtmlElement) -> SplitResult | None:
    """A link's href, split; None when it cannot be ("http://[bad": pages hold anything)."""
    try:
        return urlsplit(link.get("href", "").strip())
    except ValueError:
        return None


# WeChat's author slot in its template of 2014-2019: the one <em class="rich_media_meta_text"> without an
# id, beside the date's (#post-date); in later templates every such <em> has one (#publish_time, the IP
# place's #js_ip_wording_wrp). Public WeChat parsers read it so (airyland/we-extract: .rich_media_meta_text)
_WECHAT_AUTHOR_SLOT = etree.XPath(  # an <em> in WeChat's 2014-2019 template, a <span> in later ones
    "//*[self::em or self::span][contains(concat(' ', normalize-space(@class), ' '), ' rich_media_meta_text ')"
    " and not(@id)]")


def _wechat_author(root: lxml.html.HtmlElement) -> str | None:
    """The name in a WeChat page's author slot, less the emoji that decorate it ("🌏华商君"); not a
    teaser the slot may hold instead ("读武汉关注☞"). The template's class names are WeChat's own, so
    a saved page whose URL is lost is read too."""
    for slot in _WECHAT_AUTHOR_SLOT(root):
        name = "".join(ch for ch in slot.text_content().strip() if ch.isalnum() or ch in "·_-")
        if _account(name) and not rules.FOLLOW_WORD.search(name):
            return name
    return None


def platform_account(root: lxml.html.HtmlElement, url: str | None) -> str | None:
    """On a platform page, the account its account box names, read from the whole page before pruning
    takes the sidebars (网易号 prints the box in one); None elsewhere, where a sidebar's names are other
    articles' authors."""
    return _marked_author(root, platform=True, accounts_only=True) if rules.PLATFORM_URL.search(url or "") else None


def _unshortened(element: lxml.html.HtmlElement, text: str) -> str:
    """A name the box shortens with an ellipsis ("澄州日报新媒体…") is read whole from the title
    attribute the box or a link in it carries, when that title starts like the shortened text."""
    stem = rules.ELLIPSIS.sub("", text)
    if stem == text:
        return text
    titles = (" ".join(node.get("title", "").split()) for node in element.iter() if isinstance(node.tag, str))
    return next((title for title in titles if title.startswith(stem) and len(title) > len(stem)), text)


# links that may lead to a user's page; PROFILE_PATH decides
_PROFILE_LINKS = etree.XPath("//a[contains(@href, '/u') or contains(@href, '/people/') or contains(@href, '/member')"
                             " or contains(@href, '/profile') or contains(@href, '/author')]")


def _profile_byline(root: lxml.html.HtmlElement, byline: list[str], platform: bool) -> str | None:
    """The name a byline line opens with, when it is the text of a link to that user's page ("/u/676271",
    "/people/79294582/"): a platform or community site's writer or account, whatever its markup is called,
    pen names included ("空手"); read before the name of a person the line may name after it. The lines
    given include those just over the headline, where blog themes put the author (Halo's "Earth": the
    author's link, then "发布于 2024-03-05", then the headline). Off a platform, an outlet's name is the
    site's own ("雪花新聞" linking to /author/admin/)."""
    if not byline:
        return None
    for link in _PROFILE_LINKS(root):
        if (href := _link_target(link)) is None or not rules.PROFILE_PATH.search(href.path):
            continue
        name = " ".join(link.text_content().split())
        if _account(name) and (platform or not rules.NOT_A_NAME.search(name)) and any(
                line.startswith(name) for line in byline):
            return name
    return None


def _account(text: str) -> bool:
    return bool(rules.ACCOUNT_NAME.fullmatch(text)) and text not in rules.UI_WORDS


def _script_account(root: lxml.html.HtmlElement, platform: bool) -> str | None:
    """An author or account name set only in the page's script: var nickname = "掌上绥德"; a platform's
    media-info object's name or its page data's "media" (an account); a JSON "author" key that holds a
    person's name."""
    scripts: list[tuple[str, list[int], list[int]]] = []  # each script, where its words start, where "author" does
    for script in root.iter("script"):
        if code := script.text or "":
            starts = _word_starts(code, rules.SCRIPT_AUTHOR_WORDS)
            scripts.append((code, starts, [start for start in starts if code.startswith("author", start)]))
    for pattern in rules.SCRIPT_AUTHORS:
        for code, starts, _ in scripts:
            match = next((found for start in starts if (found := pattern.match(code, start))), None)
            if match and _account(name := unescape(match.group(1)).strip()):
                return name
    for code, _, authors in scripts:
        for pattern in (rules.MEDIA_INFO_NAME, rules.PAGE_DATA_MEDIA):
            match = pattern.search(code) if platform and "media" in code else None
            if match and _account(match.group(1).strip()):
                return match.group(1).strip()
        match = next((found for start in authors if start  # the key's opening quote is just before it
                      and (found := rules.SCRIPT_AUTHOR_KEY.match(code, start - 1))), None)
        if match and (name := clean_names(match.group(1))):
            return name
    return None


def _word_starts(code: str, words: Iterable[str]) -> list[int]:
    """Where any of `words` starts in `code`, in order: the script patterns are tried there only. A page's
    script bundle runs to hundreds of KB, and a pattern that opens with a word boundary gives the regex
    engine no literal to skip ahead to (2 ms for one pattern on a 150 KB bundle; str.find, 0.04)."""
    found = []
    for word in words:
        at = code.find(word)
        while at >= 0:
            found.append(at)
            at = code.find(word, at + 1)
    return sorted(found)


def _site_names(meta: dict[str, str], root: lxml.html.HtmlElement, title: str | None) -> list[str]:
    """What the page calls the site: its site-name tags and the parts of <title> besides the headline."""
    parts = title_parts(page_title(root))
    others = [part for part in parts if part != title] if len(parts) > 1 else []
    return tagged_sites(meta) + others


def _names_site(name: str, sites: list[str]) -> bool:
    """Is `name` the site (the start of one of its names: "网易" of "网易财经")?"""
    return any(site.startswith(name) for site in sites)


def _without_outlet(names: str | None, sites: Callable[[], list[str]]) -> str | None:
    """The names less the one that is the site's outlet ("文｜财新 余聪" on 财新网 → 余聪; "自由時報" in the
    script of 自由時報電子報): a name the site's own name is, or opens with an outlet's ending after it
    (网, 日报, 电子报, 传媒…). A name alone must leave such an ending: a blog's site is named after its
    blogger ("海姑娘 | blog.wenxuecity.com")."""
    if not names:
        return names
    parts = names.split("、")

    def outlet(name: str, site: str) -> bool:  # the site's name is this one and an outlet's ending
        ending = site[len(name):]
        return site.startswith(name) and bool(rules.OUTLET_ENDING.fullmatch(ending)) and bool(ending or parts[1:])

    return "、".join(name for name in parts if not any(outlet(name, site) for site in sites())) or None


def _without_account(names: str | None, account: Callable[[], str | None]) -> str | None:
    """Several names less the page's account: WeChat prints "原创： 迷死氧 新氧", its writer then the
    account, and a personal byline beats the account (METADATA.md)."""
    if not names or "、" not in names or not (name := account()):
        return names
    return "、".join(kept) if (kept := [part for part in names.split("、") if part != name]) else names


def _tagged_author(meta: dict[str, str], sites: list[str]) -> str | None:
    """The author tag, unless it names the site ("网易" on 网易财经, which fills it for every page; a
    lower-case handle such as "chinanews", the site's own, unless a card labels it the writer) or a
    desk that compiled the story ("国内足球综合")."""
    for key in rules.AUTHOR_META:
        tag = meta.get(key, "").strip()
        name = clean_names(tag) if not rules.COMPILED.search(tag) else None
        if not name and tag:  # a byline in the tag: "主編／柯妙語．記者／吳鳳瑤"
            name = _labelled([tag], rules.BYLINE_PATTERNS)
        handle = key != rules.CARD_AUTHOR and rules.SITE_HANDLE.fullmatch(name or "")
        if name and not _names_site(name, sites) and not handle:
            return name
    return None


def _unless_printed_as_editor(names: str | None, lines: list[str]) -> str | None:
    """Tagged names, unless the page prints one of them after an editor's label anywhere ("编辑：杨书杰"
    where <meta name="author"> says 杨书杰): CMSs fill the author tag with whoever edited the page."""
    if not names:
        return names
    tagged = set(names.split("、"))
    for line in (line for line in lines if any(name in line for name in tagged)):
        edited = _labelled([line], rules.EDITOR_PATTERNS, "editor")
        if edited and set(edited.split("、")) & tagged:
            return None
    return names


def _account_tag(meta: dict[str, str], sites: list[str], platform: bool) -> str | None:
    """The publishing account a platform page tags (搜狐号's mediaid; an author tag or JSON-LD author
    that is no person's name: 头条's "新华社"), unless it is the site itself; elsewhere the same tags
    name an outlet (新浪财经 tags the paper it reprints)."""
    if not platform:
        return None
    for key in (*rules.ACCOUNT_META, *rules.AUTHOR_META):
        name = meta.get(key, "").strip()
        if _account(name) and not _names_site(name, sites):
            return name
    return None


def _account_dateline(byline: list[str], sites: list[str], platform: bool) -> str | None:
    """On a platform page, the account named beside the time in an unlabelled line under the headline
    ("澄州日报 2024-05-01 10:00", "2024-05-01 10:00 · 澄州日报"), unless it is the site; elsewhere the
    name there may be anything: an outlet, a city, a channel ("金融界 2024-05-01 10:00")."""
    if not platform:
        return None
    for line in byline:
        match = rules.ACCOUNT_DATELINE.match(line)
        name = match and (match.group("before") or match.group("after"))
        if (name and _account(name) and not rules.NAME_STOP.search(name)  # "发布于 2024-05-01": a label
                and name not in rules.PROVINCES and not _names_site(name, sites)):  # "… 18:08 江苏": where from
            return name
    return None


# marks bylines print in other forms: the colons of vertical typesetting on Hong Kong pages ("記者︰脫芷晴"),
# the box-drawing slash of Taiwan's ("【聯合報╱記者古硯偉】")
_MARK_FORMS = str.maketrans({"\ufe30": "：", "\ufe13": "：", "\u2571": "／"})
_MARK_FORM = re.compile("[\ufe30\ufe13\u2571]")  # looked for first: translating every line cost 2 µs a line


def _posters_handle(raw: str, pattern: re.Pattern[str]) -> str | None:
    """A forum's or blog's user name where the page marks its poster ("溪山老球迷 楼主", "posted @ … 林晓"):
    a handle of any shape, five Han characters or more too, which `clean_names` takes for no name."""
    name = raw.strip()
    ok = pattern in rules.POSTER_PATTERNS and rules.POSTER_HANDLE.fullmatch(name) and not rules.NOT_A_NAME.search(name)
    return name if ok else None


# a name's last character glued to a few digits that start no date or time: an outlet's name cut ("香港01")
_CUT_BEFORE_DIGITS = re.compile(r"\S\d{1,3}(?![\d\-/.:：年月日])")


def _search_lines(lines: Iterable[str], patterns: GatedPatterns, found: Metadata,
                  stacked: bool = False) -> None:
    """Fill the empty fields from the first line each pattern matches; with `stacked`, authors of
    several byline lines add up ("本报实习生 刘国栋" + "本报记者 王燕平 方云凤"), and so do the roles
    one line credits after each other ("记者 李澄 通讯员 王明")."""
    open_fields = {name for name in ("author", "editor", "source") if not getattr(found, name)}
    for line in lines:
        if not open_fields:
            return
        if _MARK_FORM.search(line):
            line = line.translate(_MARK_FORMS)
        for field, pattern in patterns.on(line):
            if field not in open_fields:
                continue
            position = 0
            while match := pattern.search(line, position):
                position = max(match.end(), position + 1)
                if line.startswith("=", match.end()):  # markup leaking into the text: 作者： size="20"
                    continue
                if field == "author" and _CUT_BEFORE_DIGITS.match(line, match.end("value") - 1):
                    continue  # a name cut off: "撰文：香港01" (not one a date follows: "张三2024-04-29")
                raw = match.group("value").strip()
                if field == "author":
                    raw = rules.ROLE_BETWEEN_NAMES.sub("、", raw)
                if field == "author" and (rules.PHOTO_CREDIT_AFTER.match(line, match.end()) or (
                        rules.PHOTO_CREDIT_AFTER.search(raw)  # not a label for the next name: "文字/张三 摄影/李四"
                        and not rules.PHOTO_LABEL.search(line, match.start("value")))):
                    continue  # "新华社记者 李梦馨 摄": a photographer, not the author
                value = raw if field == "source" else clean_names(raw) or _posters_handle(raw, pattern)
                if not value:  # no names: another label may stand inside what it took ("作者：某研究所 执笔人：…")
                    position = max(match.start("value"), match.start() + 1)
                    continue
                known, new = [name for name in (getattr(found, field) or "").split("、") if name], value.split("、")
                # one person read twice, whole and cut ("作者：谢文鑫", then "记者谢文鑫报道" read as 谢文 reporting
                # from 鑫), counts once; two names of one byline stay two, one the start of the other or not
                known = [name for name in known if not any(other != name and other.startswith(name) for other in new)]
                new = [name for name in new if not any(other != name and other.startswith(name) for other in known)]
                setattr(found, field, "、".join(dict.fromkeys([*known, *new])))
                if not (stacked and field == "author"):
                    open_fields.discard(field)  # filled: later lines do not change it
                    break
                # a byline line may credit more roles after the names: "记者 李澄 通讯员 王明"
                stop = rules.NAME_STOP.search(match.group("value"))
                if not stop:
                    break
                position = match.start("value") + stop.start()


def _labelled(lines: Iterable[str], patterns: GatedPatterns, field: str = "author") -> str | None:
    """The `field` (author, editor or source) the first of these lines that a pattern matches gives."""
    found = Metadata()
    _search_lines(lines, patterns, found)
    return getattr(found, field)


def _name_under_heading(pairs: list[tuple[str, str]], above: list[str], title: str | None) -> str | None:
    """A line of names alone right under the headline: essays and forum posts sign this way. The
    name must start with a common surname, or a line above must print it before the headline
    ("茉莉：我是怎样卷入八九民运的", the commentary convention)."""
    for heading, line in pairs:
        short = len(heading) <= rules.MAX_HEADING_CHARS and not rules.HEADING_PUNCT.search(heading)
        signed_above = any(other.startswith((f"{line}：", f"{line}:")) and heading in other for other in above)
        if (short and rules.BARE_NAMES.fullmatch(line) and (rules.COMMON_SURNAMES.match(line) or signed_above)
                and not set(line.split()) & rules.UI_WORDS
                and not rules.NAME_STOP.search(line)  # a role after the name: "李澄 供图", "李澄 摄影"
                and line not in heading and line not in (title or "")):  # the subject of a headline
            names = clean_names(line)
            if names:
                return names
    return None


def _cms_properties(html: str) -> dict[str, str]:
    """The property comment some Chinese newspaper CMSs write into each page:
    <!--enpproperty <date>2022-02-13 00:00:00:0</date><author>…</author>…/enpproperty-->."""
    block = rules.CMS_COMMENT.search(html)
    return {f"enpproperty:{k.lower()}": v.strip() for k, v in rules.CMS_FIELD.findall(block.group(1))} if block else {}


def read_metadata(html: str, root: lxml.html.HtmlElement, lines: list[str], text: str, url: str | None,
                  latest: date | None = None, account: str | None = None) -> Metadata:
    """Metadata of a page, given its HTML, its tree, its lines (`parse.page_lines`), its main text and
    the account its account box named before pruning (`platform_account`)."""
    meta = _cms_properties(html) | _json_ld(root) | _meta_tags(root)  # meta tags win
    found = Metadata(title=read_headline(root, meta, lines, text))
    zones = page_zones(lines, found.title, without_headline(text, found.title))
    platform = bool(rules.PLATFORM_URL.search(url or ""))
    byline, closing = Metadata(), Metadata()
    _search_lines(zones.byline + zones.opening, rules.BYLINE_PATTERNS, byline, stacked=True)
    _search_lines(zones.tail, rules.CLOSING_PATTERNS, closing)
    found.editor = byline.editor or closing.editor
    found.source = next((rules.SOURCE_META_LABEL.sub("", meta[key]).strip() for key in rules.SOURCE_META
                         if meta.get(key)), None) or byline.source or closing.source

    def credited_below() -> str | None:  # one credit line below the text: several are a list's
        names = {name for line in zones.below[:rules.BELOW_TEXT_LINES]
                 if (name := _labelled([line], rules.BELOW_TEXT_PATTERNS))}
        return names.pop() if len(names) == 1 else None

    @functools.cache
    def site_names() -> list[str]:  # read by a few candidates and checks, on few pages: once, and only then
        return _site_names(meta, root, found.title)

    @functools.cache
    def page_account() -> str | None:  # the page's account, read only for a byline of several names; a
        # name in the script of a page no platform published is its author's ("var author = '胡浩'")
        return account or _marked_author(root, platform=True, accounts_only=True) or (
            _script_account(root, True) if platform else None)

    def source_as_person() -> str | None:  # "来源：尹娟" names a person, not an outlet
        source = found.source or ""
        return clean_names(source) if rules.COMMON_SURNAMES.match(source) else None

    # a visible byline (WeChat's author slot among them) beats author markup (a pen name of any shape when
    # the text's closing brackets repeat it), which beats the author tag (portals fill it with the site,
    # their web agency or whoever edited or picked the page: a tag naming whom the page prints as its editor
    # is passed over); weaker clues come last: a name under the headline, a labelled byline anywhere above
    # the text (a sidebar's too), a signed paragraph anywhere in the text, the one credit line below it
    # ("本文来源：… 作者：…"), a "source" that is a person, an account in the page's script. The page's editor is
    # never its author (their names are taken out of a candidate) unless a byline above the text names
    # nobody else, nor is the site (a host label: "chinanews" on chinanews.com) or its outlet, nor the
    # account beside a writer: a candidate left with no name gives way to the next (METADATA.md)
    candidates = (
        lambda: byline.author, lambda: closing.author, lambda: _wechat_author(root),
        lambda: _marked_author(root, platform), lambda: _signed_in_markup(root, zones.tail), lambda: account,
        lambda: _profile_byline(root, [*zones.above[-rules.PROFILE_LINES_ABOVE:], *zones.byline], platform),
        lambda: _unless_printed_as_editor(_tagged_author(meta, site_names()), lines),
        lambda: _account_tag(meta, site_names(), platform),
        lambda: _account_dateline(zones.byline, site_names(), platform),
        lambda: _name_under_heading(zones.under_headline, zones.above, found.title),
        lambda: _labelled(zones.above, rules.ANYWHERE_ABOVE_PATTERNS),
        lambda: _labelled(zones.byline, rules.TRANSLATOR_PATTERNS),
        lambda: _labelled(zones.body, rules.ANYWHERE_IN_TEXT_PATTERNS), credited_below, source_as_person,
        lambda: _script_account(root, platform),
    )
    host_labels = _host_labels(url)
    editor_credited = None  # a byline naming only the editor: the author when nobody else is credited
    for candidate in candidates:
        named = candidate()
        unedited = without_editor(named, found.editor)
        author = _without_account(_without_outlet(unedited, site_names), page_account)
        if author and rules.NOT_WORD.sub("", author.lower()) not in host_labels:  # "Al-Bawaba" on albawaba.com
            found.author = author
            if candidate is source_as_person:
                found.source = None
            break
        if named and not unedited and candidate is candidates[0]:  # a byline above the text, not a closing
            editor_credited = named  # tag ("（郭旭）" closing the text is the editor's own mark)
    else:
        found.author = editor_credited
    found.published_at = publication_date(meta, zones, url, latest, lambda: script_time(html), root)
    if found.title:  # read as the page prints it; stored without a zero-width space before "【专栏】…", nor the
        # page number after a paginated article's headline ("标题 - 第1页")
        found.title = rules.PAGE_NUMBER_SUFFIX.sub("", INVISIBLE.sub("", found.title)).strip() or None
    return found
