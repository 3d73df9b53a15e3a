"""Bylines, editor lines, source lines and photo captions: out of the text, into metadata.

Credits are read before `spacing.remove_layout_spaces` runs, while a space still separates two
names ("张三 李四") — the single characters of a justified name ("赵 晶") are merged back.
Recognised forms (whole lines unless said otherwise, a list item's "- " too; ASCII or full-width colon
and slash, or the bars 丨︱｜; the Traditional labels too: 記者, 責任編輯, 攝影, 來源):

- author: "文/北京青年报记者 宋霞", "作者：X", "执笔/X&Y", "文丨本报特约评论员 X", Taiwan's sign-off
  "記者林悅／南市報導" or "（X／台中報導）", "本报记者 王昊男" (a space before the name), a bare
  "本报记者" line followed by a line of names near the top (e-paper layout), "本报记者 王昊男"
  or "（记者 X）" stuck to the end of a paragraph after 。！？”;
- editor: "编辑/樊宏伟", "[ 责编:袁晴 ]", "责任编辑：X";
- photographer: "摄影/北京青年报记者 蔺丽爽", "本报记者 赵 晶摄", also at the end of a caption;
- source and published_at: "来源:人民网-人民日报2025-06-04 14:44",
  "北京青年报客户端 2025-05-09 09:36" (an outlet name and a time: the dateline under a title);
- captions: lines starting with "图①", "图1 ", "△", "▲" (marker dropped) or "图为" (kept), a
  short line ending with a photo credit, and a short line right before a "…摄" line (the credit
  printed under a photo; "摄影/…" credits the article and takes no caption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaning.text.chars import HAN
from cleaning.text.dates import parse_date
from cleaning.text.furniture import without_list_marker
from cleaning.text.metadata import Metadata
from cleaning.text.surnames import COMMON_SURNAMES

# A reporter title: "记者", "本报记者", "北京青年报记者", "新华社记者", "通讯员"...
_REPORTER = rf"[{HAN}]{{0,10}}?(?:记者|記者|通讯员|通訊員)"
# ...alone before the names, the only clue that they are names, so `_credible` judges it: one that names its
# outlet ("本报", "新华社驻京", "央视"), or a correspondent's, vouches for any name after it; a bare or
# descriptive one ("记者", "战地记者") also heads columns: "记者 观察", "战地记者 生死时速".
_ALONE = rf"(?P<title>{_REPORTER})"
# after a label, a columnist's title as well: "文丨本报特约评论员 张三" (alone, "本报评论员" names nobody)
_WRITER = rf"[{HAN}]{{0,10}}?(?:记者|記者|通讯员|通訊員|评论员|評論員)"
_OUTLETS_TITLE = re.compile(
    rf"(?:本[报報台刊网網]|[{HAN}]{{0,10}}(?:报|報|网|網|社|台|视|視|客户端|客戶端|新闻|新聞)[{HAN}]{{0,4}}?)[记記]者"
    r"|.*通[讯訊]员|.*通[讯訊]員")
# One or more names, possibly with layout spaces inside a name; split by `split_names`.
_NAMES = rf"(?P<names>[{HAN}·](?:[{HAN}·、，,&＆ ]{{0,18}}[{HAN}])?)"
_SEP = r"\s*[/／:：丨︱｜|]\s*"  # the bars too: magazine-style bylines ("文丨张三", "作者︱春春")
_DATE = r"(?P<date>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)"
_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
_OUTLET = rf"[{HAN}]{{1,12}}(?:报|网|社|台|客户端|新闻)"
# Taiwan's sign-off, the reporter and where the report comes from: "記者林悅／南市報導", "（王小明／台中報導）"
# (without a reporter's title, `_credible` asks more of the names: "人民日报／北京报道", "高雄／綜合報導")
_SIGN_OFF = (rf"[（(]?(?P<title>(?:{_REPORTER})?)\s*{_NAMES}\s*[/／]\s*(?P<place>[{HAN}]{{1,8}}?)"
             r"(?:报导|報導|报道|報道)[）)]?")
# what ends an outlet's name, never a person's: "华夏时报", "文化新聞"
_OUTLET_END = re.compile(r"(?:[报報刊网網社台]|新[闻聞]|[电電]视|[电電]視)$")

# (field, pattern) for whole lines, tried in order: photo credits before authors, since
# "本报记者 赵 晶摄" would otherwise read as an author named "赵晶摄".
LINE_CREDITS: list[tuple[str, re.Pattern[str]]] = [
    ("photographer", re.compile(rf"(?:[摄攝]影{_SEP}|[图圖]\s*[/／]\s*)(?:{_REPORTER}\s*)?{_NAMES}")),
    ("photographer", re.compile(rf"[（(]?{_REPORTER}\s*{_NAMES}\s*[摄攝][）)]?")),
    ("editor", re.compile(rf"[\[【（(]?\s*(?:[责責]任[编編][辑輯]|[责責][编編]|[编編][辑輯]){_SEP}{_NAMES}"
                          r"\s*[\]】）)]?")),
    ("author", re.compile(rf"(?:文|作者|执笔|執筆){_SEP}(?:{_WRITER}\s*)?{_NAMES}")),
    ("author", re.compile(_SIGN_OFF)),
    ("author", re.compile(rf"{_ALONE}\s+{_NAMES}")),
    ("source", re.compile(rf"[来來]源{_SEP}(?P<source>.+?)\s*(?:{_DATE}\s*{_TIME}?)?")),
    ("source", re.compile(rf"(?P<source>{_OUTLET})\s*{_DATE}\s*{_TIME}?")),
]
REPORTER_TITLE = re.compile(rf"(?:本报|新华社|[{HAN}]{{0,8}}报)?(?:特约|实习)?记者")
NAMES_LINE = re.compile(rf"[{HAN}]{{2,4}}(?:[ 、][{HAN}]{{2,4}}){{0,3}}")
# after the sentence, a space between the title and the names unless brackets hold them: "。本报记者 王昊男",
# "。（记者张三）"; a hard-wrapped line ending in "。记者了解到" is the start of a sentence, not a byline
TRAILING_BYLINE = re.compile(rf"(?<=[。！？”])\s*(?P<open>[（(])?{_ALONE}(?(open)\s*|\s+){_NAMES}(?(open)[）)])$")
CAPTION_START = re.compile(r"(?:图\s*[①-⑳]|图\s*\d+(?=\s|[:：])[:：]?|[△▲])\s*|(?=图为)")
CAPTION_PHOTO_CREDIT = re.compile(rf"\s*[（(]?{_REPORTER}\s*{_NAMES}\s*摄[）)]?$")
TRAILING_PHOTO_CREDIT = re.compile(r"(?<=[。！？”])" + CAPTION_PHOTO_CREDIT.pattern)
# A byline block ("本报记者" + names) is looked for only this near the top.
HEAD_LINES = 8
MAX_CAPTION_BEFORE_CREDIT = 40


@dataclass
class Credits(Metadata):
    """What the credit lines said; `removed` holds (field, line) for the cleaning log."""

    removed: list[tuple[str, str]] = field(default_factory=list)

    def add_names(self, role: str, raw: str, line: str) -> None:
        """Add names to a role, keeping distinct names in order, joined with "、"."""
        known = getattr(self, role).split("、") if getattr(self, role) else []
        known += [n for n in split_names(raw) if n not in known]
        setattr(self, role, "、".join(known) or None)
        self.removed.append((role, line))


def split_names(raw: str) -> list[str]:
    """"张三 李四" → two names; "赵 晶" (justified layout) → "赵晶"; "欧阳 修" → "欧阳修"."""
    names: list[str] = []
    singles = ""
    for token in re.split(r"[\s、，,&＆]+", raw.strip()):
        if len(token) == 1:
            singles += token
            continue
        if singles:
            names.append(singles)
            singles = ""
        names.append(token)
    if len(singles) == 1 and names:
        names[-1] += singles
    elif singles:
        names.append(singles)
    return [n for n in names if n]


# a desk, not a person: Taiwan's "社會中心／綜合報導", "國際組"
_DESK = re.compile(r"(?:中心|[组組])$")


def plausible_names(raw: str) -> bool:
    """Chinese names have two to four characters ("·" joins transliterated ones): a "name" of
    five or more is a phrase, as in the headline "致敬一线记者 最美逆行者"; a desk is no one's name."""
    names = split_names(raw)
    return bool(names) and all((len(n) <= 4 or "·" in n) and not _DESK.search(n) for n in names)


def _credible(match: re.Match[str]) -> bool:
    """Names a credit can hold; after a title alone, one that vouches for them (an outlet's), or names
    starting with a common surname or holding a transliteration's "·"."""
    names = match.group("names")
    if not plausible_names(names):
        return False
    title = match.groupdict().get("title")
    if title == "" and "place" in match.groupdict() and (
            _OUTLET_END.search(names) or match.group("place") in ("综合", "綜合")):
        return False  # a sign-off without a reporter: an outlet's, or a report compiled somewhere
    return (title is None or _OUTLETS_TITLE.fullmatch(title) is not None or COMMON_SURNAMES.match(names) is not None
            or "·" in names)


def _line_credit(line: str) -> tuple[str, re.Match[str]] | None:
    stripped = without_list_marker(line.strip())  # a page's list of credits
    for role, pattern in LINE_CREDITS:
        match = pattern.fullmatch(stripped)
        if match and (role == "source" or _credible(match)):
            return role, match
    return None


def is_credit_line(line: str) -> bool:
    """A whole line that is a byline, editor, photo credit, source or dateline."""
    return _line_credit(line) is not None or REPORTER_TITLE.fullmatch(line.strip()) is not None


def starts_caption(line: str) -> bool:
    return CAPTION_START.match(line.strip()) is not None and bool(line.strip())


def head_byline_end(lines: list[str]) -> int | None:
    """Index of the name line of an e-paper byline ("本报记者" alone, then names) near the top."""
    for i, line in enumerate(lines[: HEAD_LINES - 1]):
        if REPORTER_TITLE.fullmatch(line.strip()) and NAMES_LINE.fullmatch(lines[i + 1].strip()):
            return i + 1
    return None


def _apply_line_credit(credits: Credits, role: str, match: re.Match[str], line: str) -> None:
    if role != "source":
        credits.add_names(role, match.group("names"), line)
        return
    credits.source = credits.source or match.group("source").strip()
    if match.group("date") and not credits.published_at:
        # one date grammar for the whole project; an impossible date ("2025-13-45") gives None
        credits.published_at = parse_date(f"{match.group('date')} {match.group('time') or ''}")
    credits.removed.append(("source", line))


def _caption(credits: Credits, line: str) -> None:
    text = line.strip()
    credit = CAPTION_PHOTO_CREDIT.search(text)
    if credit and plausible_names(credit.group("names")):
        credits.add_names("photographer", credit.group("names"), credit.group().strip())
        text = text[: credit.start()]
    credits.captions.append(CAPTION_START.sub("", text, count=1).strip())
    credits.removed.append(("caption", line))


def _trailing_credit(line: str) -> tuple[str, re.Match[str]] | None:
    """A photo credit or a byline stuck to the end of a paragraph, after 。！？”."""
    for role, pattern in (("photographer", TRAILING_PHOTO_CREDIT), ("author", TRAILING_BYLINE)):
        match = pattern.search(line)
        if match and _credible(match):
            return role, match
    return None


def ends_with_credit(line: str) -> bool:
    """A paragraph that ends with "本报记者 王昊男" or a photo credit "本报记者 赵 晶摄"."""
    return _trailing_credit(line) is not None


def extract_credits(text: str) -> tuple[str, Credits]:
    """Remove credit, source and caption lines from `text`; return what they said."""
    credits = Credits()
    lines = text.split("\n")
    byline_end = head_byline_end(lines)
    kept: list[str] = []
    previous_kept = False  # whether lines[i - 1] is kept[-1]
    for i, line in enumerate(lines):
        found = _line_credit(line)
        trailing = _trailing_credit(line)
        keep = False
        if byline_end is not None and i == byline_end - 1:  # the bare "本报记者"
            credits.removed.append(("author", line))
        elif byline_end is not None and i == byline_end:
            credits.add_names("author", line, line)
        elif found:
            _apply_line_credit(credits, *found, line)
            under_photo = line.strip().rstrip("）)").endswith("摄")  # not "摄影/…" under an article
            short_previous = previous_kept and len(kept[-1]) <= MAX_CAPTION_BEFORE_CREDIT
            if under_photo and short_previous:
                _caption(credits, kept.pop())
        elif starts_caption(line) or (
            trailing and trailing[0] == "photographer" and len(line) <= MAX_CAPTION_BEFORE_CREDIT
        ):
            _caption(credits, line)
        else:
            if trailing:
                role, match = trailing
                credits.add_names(role, match.group("names"), match.group().strip())
                line = line[: match.start()]
            kept.append(line)
            keep = True
        previous_kept = keep
    return "\n".join(kept), credits


_NAME_LIST = re.compile(r"[、，,\s]+")


def without_editor(author: str | None, editor: str | None) -> str | None:
    """`author` without the names that are the page's editor's (a closing "（郭旭）" that is the
    责任编辑's tag, a header 作者 field the CMS fills with the editor); None when no name is left."""
    editors = {name for name in _NAME_LIST.split(editor or "") if name}
    names = [name for name in _NAME_LIST.split(author or "") if name and name not in editors]
    if len(names) == len([name for name in _NAME_LIST.split(author or "") if name]):
        return author or None  # nothing removed: as written
    return "、".join(names) or None
