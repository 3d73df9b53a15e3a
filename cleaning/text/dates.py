"""Dates as Chinese pages write them → ISO 8601, Beijing time unless the page says otherwise.

"2024年4月29日 09:36", "2024-04-29 09:36:12", "2024/4/29", "2024.04.29 09:36", a weekday or a half of
the day between the day and the time ("2024年4月29日 星期一 上午9:36"), the US order some old ASP sites
print ("4/29/2024 9:36:00 AM") and machine stamps ("2024-04-29T09:36:00+08:00", "20240429") all become
"2024-04-29T09:36:00+08:00". A page that shows only a day gives "2024-04-29",
and a monthly's "1996年6月号" gives "1996-06": inventing midnight, or the first of the month, would
state a time nobody published. A stated offset or "Z" is kept as given.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from cleaning.text.chars import HAN
from cleaning.text.required_chars import GatedPatterns

BEIJING = "+08:00"
BEIJING_TIME = timezone(timedelta(hours=8))  # the same, as a tzinfo
EARLIEST_YEAR = 1990  # the Chinese web starts in the mid-1990s; earlier "dates" are something else

# the day: a time glued to it ("2024-05-0108:30", a date and a time in adjacent spans) ends a two-digit day
_DAY_OF_MONTH = r"(?P<d>(?:[0-2]\d|3[01])(?=(?:[01]\d|2[0-3])[:：][0-5]\d)|\d{1,2}(?!\d))"
_DAY = rf"(?P<y>(?:19|20)\d\d)\s*(?:年\s*|[-/.])(?P<m>\d{{1,2}})\s*(?:月\s*|[-/.]){_DAY_OF_MONTH}\s*日?"
# Taiwan's official calendar (民國 years, 1912 = 1): "民國113年5月1日", "中華民國113年05月01日"
_ROC_DAY = (r"(?:中華|中华)?民[國国]\s*(?P<roc>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?!\d)\s*日")
# ...and its year alone, after a date's label, as Taiwan's offices print it ("發布日期：113-05-01",
# "出表日期：113/05/10" on MOPS, "回覆日期：113/01/22" from Taipei's government): the label tells it from a code.
# A birthday's label is no date's, hence the labels named
_ROC_LABELLED_DAY = (rf"(?<![{HAN}])(?:[發发][布佈表]|更新|公[告布佈]|刊[登出]|出[表刊])?日期\s*[:：]?\s*"
                     r"(?P<roc>\d{2,3})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?")
# the year, a space, then month/day: 新华网's header ("2024 05/09 22:27:02")
_SPACED_YEAR_DAY = r"(?P<y>(?:19|20)\d\d)\s+(?P<m>0?[1-9]|1[0-2])/(?P<d>[0-2]?\d|3[01])(?!\d)"
_US_DAY = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)"
# Between the day and the time a page may print a dash (联合早报's JSON-LD: "11/12/2019 - 12:30"), its zone
# ("2020-08-08 HKT 15:02", Hong Kong's), the weekday ("2024年4月29日 星期一 09:36", "2024-04-29（周一）09:36")
# and the half of the day of a 12-hour time ("下午3:36", WordPress's zh_CN time format)
_WEEKDAY = r"[（(]?(?:星期|周|週|礼拜|禮拜)[一二三四五六日天][）)]?"
_TIME = (rf"(?:\s*|T|\s+-\s+)(?:HKT\s*)?(?:{_WEEKDAY}\s*)?"
         r"(?:(?P<cn_half>上午|早上|凌晨|中午|下午|傍晚|晚上|晚间|晚間)\s*)?"
         r"(?P<H>[01]?\d|2[0-3])\s*[:：时]\s*(?P<M>[0-5]\d)"
         r"(?:\s*[:：分]\s*(?P<S>[0-5]\d))?(?:\.\d+)?(?:\s*(?P<half>[AaPp])\.?[Mm]\b)?")
_AFTERNOON = ("下午", "傍晚", "晚上", "晚间", "晚間")  # … and 中午 before 11 o'clock: 中午1:10 is 13:10, 中午12:05 noon
# a stated zone: "Z" glued to the time ("… 08:30 Z世代" is none), an offset (at most 14 hours; a minus one
# only after seconds, since "14:00-16:00" is a range and "08:30-2024-05-02" no zone), spaced or after
# UTC/GMT ("08:30:00 +0000"), UTC/GMT with its hours ("GMT+8", "UTC-5"), or UTC/GMT alone
_ZONE = (r"(?:(?P<z>Z)(?![A-Za-z])"
         r"|\s*(?:UTC|GMT)?\s*(?P<offset>\+(?:0\d|1[0-4]):?[0-5]\d|(?(S)-(?:0\d|1[0-4]):?[0-5]\d|(?!)))"
         r"|\s*(?:UTC|GMT)\s*(?P<hours>[+-](?:1[0-4]|0?\d))(?![\d:])"
         r"|\s*(?P<utc>UTC|GMT)\b)?")
# a two-digit year, as 百家号 printed its days in 2018 ("18-08-01 10:07", spans glued: "18-08-0110:07"):
# only with its time, which tells the day from a score or a code
_SHORT_YEAR_DAY = r"(?<![\d/.\-])(?P<y2>[12]\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])"
# the time before the day, as 中時 prints its datelines: "10:21 2019/11/12"
_CLOCK_BEFORE_DAY = r"(?<![\d:])(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)\s+"
_TIME_FIRST = _CLOCK_BEFORE_DAY + r"(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
# the day first, as European and Southeast Asian services print it: with dots, which no US date has ("12.05.2025",
# DW, Sputnik: "09:30 12.05.2025"), or with slashes when the day is past 12 ("30/11/2025 - 10:13", RFI)
_DOTTED_DAY = r"(?P<d>[0-2]?\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d\d)(?!\d)"
_LATE_DAY_FIRST = r"(?P<d>1[3-9]|2\d|3[01])/(?P<m>0?[1-9]|1[0-2])/(?P<y>(?:19|20)\d\d)(?!\d)"
_TIME_THEN_DOTTED_DAY = _CLOCK_BEFORE_DAY + _DOTTED_DAY
_DATE_TIME = [*(re.compile(rf"(?<!\d){day}(?:{_TIME}{_ZONE})?")
               for day in (_DAY, _US_DAY, _LATE_DAY_FIRST, _SPACED_YEAR_DAY, _ROC_DAY, _ROC_LABELLED_DAY)),
             re.compile(rf"(?<![\w.]){_DOTTED_DAY}(?:{_TIME}{_ZONE})?"),  # not a version number: "v2.10.2019"
             re.compile(rf"{_SHORT_YEAR_DAY}{_TIME}{_ZONE}(?!\d)"), re.compile(_TIME_FIRST),
             re.compile(_TIME_THEN_DOTTED_DAY)]
# each tried only on a text holding the characters it needs (a digit of the year, a separator): most of
# the lines metadata and pruning look at hold no date
DATE_TIMES = GatedPatterns(_DATE_TIME, lambda pattern: pattern)
_MONTH = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月(?!\s*\d)")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?:(?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)?)?$")


def _iso(match: re.Match[str], latest: date | None) -> str | None:
    parts = match.groupdict()
    try:
        year = (int(parts["y"]) if parts.get("y") else 1911 + int(parts["roc"]) if parts.get("roc")
                else 2000 + int(parts["y2"]))
        day = date(year, int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None
    if day.year < EARLIEST_YEAR or (latest and day > latest):
        return None
    clock = (int(parts["H"]), int(parts["M"]), int(parts.get("S") or 0)) if parts.get("H") is not None else None
    if clock is None or (clock == (0, 0, 0) and not parts.get("z")):  # a CMS's 00:00:00 is a day, no time
        return day.isoformat()
    hour, half = int(parts["H"]), (parts.get("half") or "").lower()
    spoken = parts.get("cn_half")
    if half == "p" or spoken in _AFTERNOON or (spoken == "中午" and hour < 11):
        hour = hour % 12 + 12
    elif half == "a" or spoken in ("上午", "早上", "凌晨"):
        hour %= 12
    if parts.get("z") or parts.get("utc"):
        zone = "+00:00"
    elif offset := parts.get("offset"):
        zone = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
    elif hours := parts.get("hours"):
        zone = f"{hours[0]}{int(hours[1:]):02d}:00"
    else:
        zone = BEIJING
    return f"{day.isoformat()}T{hour:02d}:{parts['M']}:{parts.get('S') or '00'}{zone}"


def find_dates(text: str, latest: date | None = None) -> list[tuple[int, str]]:
    """Every plausible date in `text`, as (offset, ISO string), in order of appearance."""
    found = [(m.start(), iso) for pattern in DATE_TIMES.on(text) for m in pattern.finditer(text)
             if (iso := _iso(m, latest))]
    return sorted(found)


def find_month(text: str, latest: date | None = None) -> str | None:
    """The first "YYYY年M月" that names no day, as "YYYY-MM"."""
    for match in _MONTH.finditer(text):
        year, month = int(match["y"]), int(match["m"])
        if year >= EARLIEST_YEAR and not (latest and (year, month) > (latest.year, latest.month)):
            return f"{year:04d}-{month:02d}"
    return None


# a day printed without its year, as platforms print this year's posts: "09-30 22:46" (its time required:
# "09-30" alone may be anything), "9月30日" (the time may follow, or be glued on: "09-3022:46")
_YEARLESS = re.compile(
    r"(?<![\d/.\-年])(?:(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?=\s*(?:[01]?\d|2[0-3])[:：][0-5]\d)"
    r"|(?P<m2>1[0-2]|0?[1-9])\s*月\s*(?P<d2>[12]\d|3[01]|0?[1-9])\s*日)"
    r"(?:\s*(?P<H>[01]?\d|2[0-3])[:：](?P<M>[0-5]\d))?"
)


def find_yearless(text: str) -> tuple[int, int, str | None] | None:
    """The first day `text` prints without a year, as (month, day, "HH:MM" or None)."""
    for match in _YEARLESS.finditer(text):
        month, day = int(match["m"] or match["m2"]), int(match["d"] or match["d2"])
        if 1 <= day <= 31:
            clock = f"{int(match['H']):02d}:{match['M']}" if match["H"] is not None else None
            return month, day, clock
    return None


def complete_year(month: int, day: int, clock: str | None, stamps: list[str], rendered: str | None = None
                  ) -> str | None:
    """A yearless day as ISO 8601, its year taken from the first of `stamps` (ISO dates) that falls on
    the same month and day, else from `rendered`, a stamp of the page made on or after that day (its
    year, or the year before when the day falls after the stamp's); its printed time kept (Beijing time)."""
    year = next((int(stamp[:4]) for stamp in stamps if stamp[5:10] == f"{month:02d}-{day:02d}"), None)
    if year is None and rendered:
        year = _year_before(month, day, rendered)
    if year is None:
        return None
    try:
        day_iso = date(year, month, day).isoformat()
    except ValueError:
        return None
    return f"{day_iso}T{clock}:00{BEIJING}" if clock else day_iso


def moment_of(stamp: str | None) -> datetime | None:
    """The moment an ISO stamp names, comparable across zones ("2026-10-12T20:00:00+08:00" is before
    "2026-10-12T13:00:00+00:00"); a time without a zone, or a day alone, is Beijing time
    (../shared/eval/METADATA.md's convention); None when there is none, or it is no ISO stamp."""
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
    return moment.replace(tzinfo=moment.tzinfo or BEIJING_TIME) if moment else None


# a printed day this many months after a stamp's, in the stamp's year, lies in the year before it (a post
# of 30 December on a page rendered on 2 January); a day just after the stamp's is no such thing
_ACROSS_NEW_YEAR_MONTHS = 6


def _year_before(month: int, day: int, rendered: str) -> int | None:
    """The year of a yearless day printed on a page `rendered` (an ISO stamp made on or after the day, read
    in Beijing time): the stamp's year, or the year before across a new year; None when the day falls
    just after the stamp's (the stamp is no render time then)."""
    moment = moment_of(rendered)
    if moment is None:
        return None
    stamped = moment.astimezone(BEIJING_TIME).date()
    if (month, day) <= (stamped.month, stamped.day):
        return stamped.year
    return stamped.year - 1 if month - stamped.month >= _ACROSS_NEW_YEAR_MONTHS else None


def parse_date(value: str | None, latest: date | None = None) -> str | None:
    """One stamp (a meta tag, a JSON-LD field, a dateline) → ISO 8601, or None."""
    value = (value or "").strip()
    compact = _COMPACT.match(value)
    if compact:
        return _iso(compact, latest)
    dates = find_dates(value, latest)
    return dates[0][1] if dates else None
