"""The headline of a page: the <h1> its <title> repeats, else the part of og:title or <title> the
page prints as a line of its own, else the line headline markup holds above the text.

A <title> reads "标题_频道_网站" or "网站--频道--标题", an <h1> may hold the site's logo, a badge or a
channel's link beside the headline, and a <title> may name only the site: `read_headline` has the
order. The patterns are data (`cleaning/extraction/metadata_rules.py`).
"""

from __future__ import annotations

import lxml.html

from cleaning.extraction import metadata_rules as rules
from cleaning.extraction.parse import markup_names, named_elements
from cleaning.extraction.zones import text_lines, text_start
from cleaning.text.dates import find_dates


def read_headline(root: lxml.html.HtmlElement, meta: dict[str, str], lines: list[str], text: str) -> str | None:
    """The page's headline (`_title`), or the one the page shows above its text when the head names
    no headline (only the site, or a channel its menu links to)."""
    title = _title(root, meta, lines)
    title = rules.TITLE_BADGE.sub("", title) if title else title
    bare = bool(title) and _bare_site_name(title, lines)
    if not title or bare or _names_only_site(title, meta):  # no headline in the head: the one shown
        links = _link_texts(root)
        return _marked_headline(root, lines, text, links) or (bare and _unmarked_headline(lines, text, links)) or title
    if len(title) <= rules.MAX_CHANNEL_CHARS and title in (links := _link_texts(root)):
        return _marked_headline(root, lines, text, links) or title  # the title named only a channel
    return title


def page_title(root: lxml.html.HtmlElement) -> str:
    return " ".join((root.findtext(".//title") or "").split())


def title_parts(title: str) -> list[str]:
    """"标题_频道_网站" → its parts."""
    return [p.strip() for p in rules.TITLE_SEPARATORS.split(title) if p.strip()]


def tagged_sites(meta: dict[str, str]) -> list[str]:
    """The site's names its tags give (og:site_name and the like)."""
    return [meta[key].strip() for key in rules.SITE_NAME_META if meta.get(key)]


def _loose(text: str) -> str:
    """A headline as <title> may rewrite it: without spaces, any run of dashes one hyphen ("——" → "-")."""
    return rules.DASHES.sub("-", "".join(text.split()))


def _logo(h1: lxml.html.HtmlElement) -> bool:
    """An <h1> that holds the site's logo, as many portals mark up their name for search engines."""
    return any("logo" in markup_names(element).lower()
               for element in (h1, *h1.iterchildren()))


def _title(root: lxml.html.HtmlElement, meta: dict[str, str], lines: list[str]) -> str | None:
    """The headline: an <h1> that the <title> repeats (or any <h1>, when the <title> is only the site's
    name), not the site's logo or name nor the channel or blog its middle part names, else the part of
    og:title, then of <title> ("标题_频道_网站", "网站--频道--标题") that the page prints as a line of its
    own, a first or last part before a middle one (or the line that opens or closes it up to a
    separator, its own dashes kept), else og:title whole, else <title>'s longest part; a site name
    glued to it is dropped."""
    in_head = page_title(root)
    # a <title> that names only the site ("-铜雀历史网") repeats no headline: the <h1> is taken as it is;
    # an empty one gives way to og:title (WeChat's), which a decorative <h1> in the text does not repeat
    stated = in_head or " ".join(meta.get("og:title", "").split())
    titled = _loose(rules.SITE_SUFFIX.sub("", stated))
    repeated = _loose(stated)
    sites = set(tagged_sites(meta))
    h1s = [(text, _h1_headline(h1, text, stated)) for h1 in root.iter("h1")
           if (text := " ".join(h1.text_content().split()))
           and len(text) <= rules.MAX_TITLE_CHARS and not _logo(h1) and text not in sites]
    headings = [headline for _, headline in h1s]
    # an <h1> the <title> repeats may name a channel or a blog, found only in its middle part ("把根留住 - 阿丁的
    # 体育博客的日志 - 网易博客"), or the site, an outlet's name beside another part the page prints as its
    # headline ("生煤條例提釋憲 中府設專家小組 - 台灣醒報 Awakening News Networks", an <h1> logo without an image)
    stated_parts = title_parts(stated) if headings and titled else []
    loose_parts = [_loose(part) for part in stated_parts]

    def names_channel_or_site(text: str) -> bool:
        loose = _loose(text)
        if len(loose_parts) > 2 and any(loose in part for part in loose_parts[1:-1]) and not any(
                loose in part for part in (loose_parts[0], loose_parts[-1])):
            return True
        if len(loose_parts) > 1 and loose == loose_parts[-1] and len(loose_parts[0]) > len(loose) and (
                stated_parts[0] in lines):  # the site's name closing the <title>, its headline printed: ETtoday's
            return True  # <h1> logo "ETtoday 新聞雲" over "标题 | ETtoday社會新聞 | ETtoday 新聞雲"
        return bool(rules.OUTLET_NAME.fullmatch(text)) and any(
            loose not in part and whole in lines for whole, part in zip(stated_parts, loose_parts))

    def a_word_of_a_part(text: str) -> bool:  # "澄州新区" in "澄州新区首条地铁线路…_城市要闻_…"
        loose = _loose(text)
        return any(loose in part for part in loose_parts) and not any(
            loose in part and len(loose) >= rules.PRINTED_TITLE_SHARE * len(part) for part in loose_parts)

    if repeating := next((text for text in headings if not titled or _loose(text) in repeated
                          and not a_word_of_a_part(text) and not names_channel_or_site(text)), None):
        return repeating
    for whole, fallback in ((meta.get("og:title"), False), (in_head, True)):
        whole = " ".join((whole or "").split())
        if not whole or (not fallback and in_head and rules.OUTLET_NAME.fullmatch(whole)):
            continue  # an og:title that names only an outlet ("中国新闻网") where <title> names more
        if whole in lines:  # printed whole, its own separators and all: "重磅 | 微信订阅号全新改版上线！"
            return _printed_headline(whole, lines)
        if (headline := rules.SITE_SUFFIX.sub("", whole)) in lines:  # "…青春——记2019年…（下）-新华网", its dash kept
            return headline
        # "标题｜频道｜网站": the part the page prints as a line of its own, or most of one ("标题(页 1)"
        # in <title>, "标题" on the page); og:title as it is when no part is printed, <title>'s longest part
        parts = title_parts(whole)
        # its first or last part before a middle one, which names a channel or a blog
        printed = _printed_parts(parts[:1] + parts[-1:], lines) or _printed_parts(parts[1:-1], lines)
        printed += _printed_at_separator(whole, lines)
        # a <title> rewritten for search engines ("X算法详解-CSDN博客"): the page's <h1>, unless that is a
        # channel's banner, which the <title> names beside the headline ("国内新闻 Domestic News")
        longest = max(parts, key=len, default=None)
        others = [part for part in parts if part != longest]
        shown = [headline for text, headline in h1s if text in lines and len(headline) > rules.MAX_CHANNEL_CHARS
                 and not any(part in headline for part in others)]
        if fallback and not printed and len(shown) == 1:
            return shown[0]
        title = max(printed, key=len) if printed else (longest if fallback else whole)
        if title:
            return _printed_headline(title, lines)
    return None


def _printed_headline(text: str, lines: list[str]) -> str:
    """`text` less a site's name closing it ("标题-新华网"); but a line the page prints keeps it unless the
    page prints the rest alone too: what looks like a site's name may end the headline
    ("乡村振兴——搭建产销对接新平台", "数字中国｜织密一张网")."""
    stripped = rules.SITE_SUFFIX.sub("", text)
    return stripped if stripped and (text not in lines or stripped in lines) else text


def _h1_headline(h1: lxml.html.HtmlElement, text: str, stated: str) -> str:
    """An <h1>'s headline: its text, or less the element that opens or closes it when the <title>
    (`stated`) repeats the rest, most of its longest part, and not the whole (a badge, "<span>原创</span>标题"; a
    subtitle, "标题<small>副标题</small>"); or less a short link closing it beside the headline, as
    JEECMS's news page links the channel there ("标题<a>新闻中心</a>") under a <title> naming the site."""
    children = [child for child in h1 if isinstance(child.tag, str)]
    repeated = _loose(stated)
    if not children or _loose(text) in repeated:
        return text
    longest = max((len(_loose(part)) for part in title_parts(stated)), default=0)
    for child, at_start in ((children[0], True), (children[-1], False)):
        inner = " ".join(child.text_content().split())
        if not inner or inner == text or child.find(".//svg") is not None:  # an image's text is a logo's
            continue
        if at_start and text.startswith(inner) and not (h1.text or "").strip():
            rest = text[len(inner):].strip()
        elif not at_start and text.endswith(inner) and not (child.tail or "").strip():
            rest = text[: len(text) - len(inner)].strip()
        else:
            continue
        # what it leaves out, the <title> leaves out; the rest is most of the <title>'s longest part, not a
        # site's name beside it
        loose, left_out = _loose(rest), _loose(inner) not in repeated
        most = len(loose) >= longest * rules.PRINTED_TITLE_SHARE
        if len(rest) > rules.MAX_CHANNEL_CHARS and loose in repeated and left_out and most:
            return rest
        if not at_start and child.tag == "a" and rest and len(inner) <= rules.MAX_CHANNEL_CHARS:
            return rest
    return text


def _site_core(title: str) -> str:
    """A title less a site's name after a separator, and less the separators at its ends."""
    return rules.SITE_SUFFIX.sub("", title).strip(" -_|｜·")


def _printed_parts(parts: list[str], lines: list[str]) -> list[str]:
    """The lines that print one of these <title> parts, or most of one ("标题" for "标题(页 1)", "成報新聞(标题)")."""
    return [line for part in parts for line in lines
            if line == part or (line in part and len(line) >= rules.PRINTED_TITLE_SHARE * len(part))]


def _names_only_site(title: str, meta: dict[str, str]) -> bool:
    """Is this "title" the site's name (or its tagline, which the site's name tag repeats), a separator
    and the site's name ("-公視新聞網"), or nothing but separators?"""
    sites = set(tagged_sites(meta))
    return not _site_core(title) or title in sites or title.strip(" -_|｜·") in sites


def _bare_site_name(title: str, lines: list[str]) -> bool:
    """Is this "title" nothing but separators and the site's name ("-公視新聞網"), or an outlet's name
    that the page does not print as a line of its own ("中國廣播公司全球資訊網", printed only in the
    copyright line; a headline that ends like an outlet's name is printed above its text)?"""
    core = _site_core(title)
    return not core or bool(rules.OUTLET_NAME.fullmatch(core)) and core not in lines


def _link_texts(root: lxml.html.HtmlElement) -> set[str]:
    return {" ".join(link.text_content().split()) for link in root.iter("a")}


def _marked_headline(root: lxml.html.HtmlElement, lines: list[str], text: str, links: set[str]) -> str | None:
    """The nearest line above the text that headline markup holds and no link (`links`, the page's link
    texts) does: the headline of a page whose <title> names only the site and a channel, which the page
    prints as a menu link."""
    first = text_start(lines, text_lines(text))
    if first is None:
        return None
    marked = {" ".join(element.text_content().split()) for element in named_elements(root)
              if rules.HEADLINE_MARKUP.search(markup_names(element))}
    return next((line for line in reversed(lines[max(0, first - rules.TITLE_SEARCH_LINES): first])
                 if line in marked and line not in links and len(line) <= rules.MAX_TITLE_CHARS), None)


def _unmarked_headline(lines: list[str], text: str, links: set[str]) -> str | None:
    """The line right above the text, past its dateline, byline and font-size switch, for a page whose
    <title> names only the site and whose headline has no markup of its own to find it by: neither a
    link nor a breadcrumb, longer than a channel's name."""
    first = text_start(lines, text_lines(text))
    if first is None:
        return None
    for line in reversed(lines[max(0, first - rules.UNMARKED_HEADLINE_LINES): first]):
        if len(line) <= rules.MAX_CHANNEL_CHARS or rules.BYLINE_WORD.search(line) or find_dates(line):
            continue  # "小 中 大", "2014/12/11 18:58 報導"
        if line in links or rules.BREADCRUMB.search(line) or len(line) > rules.MAX_TITLE_CHARS:
            return None  # the page's header: no headline between it and the text
        return line
    return None


def _printed_at_separator(whole: str, lines: list[str]) -> list[str]:
    """Lines the page prints that open or close `whole` (a <title> or og:title) up to one of its
    separators: "中国——东盟合作开新篇_新闻频道" prints "中国——东盟合作开新篇", whose own dashes, cut
    at as separators, would leave "东盟合作开新篇"."""
    spans = [match.span() for match in rules.TITLE_SEPARATORS.finditer(whole)]
    starts, ends = {start for start, _ in spans}, {end for _, end in spans}
    return [line for line in lines if (len(line) in starts and whole.startswith(line))
            or (len(whole) - len(line) in ends and whole.endswith(line))]


def without_headline(text: str, title: str | None) -> str:
    """trafilatura keeps the <h1> as the first line; the title has its own column."""
    first, _, rest = text.partition("\n")
    return rest if title and " ".join(first.split()) == title and rest.strip() else text
