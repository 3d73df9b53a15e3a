"""Unicode repair that is safe for Chinese, and a measure of what cannot be repaired.

ftfy fixes Latin-1/cp1252 mojibake, HTML entities and control characters, but its defaults damage
Chinese (，：！？（） become ASCII, “” become "), so those fixes are off. ftfy cannot see UTF-8 bytes
that were decoded as GBK ("鍖椾含" for "北京"): `repair_gbk_mojibake` reverses that only where the
round trip is exact and the result reads as more common Chinese than the input. Characters that
were lost (U+FFFD, "?" standing for a character) are never guessed, only counted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import groupby, zip_longest
from typing import NamedTuple

import ftfy

from cleaning.text.chars import CJK_PUNCT, HAN, is_han

# NFC composes decomposed Latin/kana and maps CJK compatibility ideographs to their unified form;
# it never converts between traditional and simplified characters.
FTFY_CONFIG = ftfy.TextFixerConfig(
    fix_character_width=False,  # would turn ，：！？（） into ASCII and the U+3000 indent into a space
    uncurl_quotes=False,  # would turn “” into "
    normalization="NFC",
    explain=False,
)

# A repaired span must be mostly common characters, and clearly more common than what it replaces.
MIN_COMMON_RATIO = 0.8
MIN_GAIN = 0.3


def _changed_lines(old: str, new: str) -> int:
    return sum(a != b for a, b in zip_longest(old.split("\n"), new.split("\n")))


# Characters ftfy (with FTFY_CONFIG) never changes: ASCII text without '&' (HTML entities) or control
# characters, the middle dot of transliterated names (U+00B7: in mojibake it only ever follows a
# lead-byte letter such as Ã), general punctuation (“”—…), CJK punctuation (less the tone marks
# U+302A-302F, which combine and so are reordered by NFC), unified ideographs and full-width forms.
# Mojibake that ftfy can undo always contains something else (Ã, â€, ï¼, …), so a text made only of
# these is returned as it is, without ftfy's per-segment work: most clean Chinese text.
_FTFY_INERT = re.compile(
    r"[\t\n\x20-\x25\x27-\x7e\u00b7\u2010-\u2027\u3000-\u3029\u3030-\u303f\u4e00-\u9fff\uff01-\uffee]*"
)


def fix_with_ftfy(text: str) -> tuple[str, int, list[str]]:
    """ftfy with the CJK-safe config; counts changed lines. ftfy fixes a text line by line, so only
    the lines that are not inert go to it, unless the text has a "<" (ftfy then leaves HTML entities
    alone in every line) or a carriage return (its line breaks are then not only newlines)."""
    if _FTFY_INERT.fullmatch(text):
        return text, 0, []
    if "<" in text or "\r" in text:
        fixed = ftfy.fix_text(text, FTFY_CONFIG)
    else:
        fixed = "\n".join(line if _FTFY_INERT.fullmatch(line) else ftfy.fix_text(line, FTFY_CONFIG)
                          for line in text.split("\n"))
    return fixed, _changed_lines(text, fixed), []


def _is_common(ch: str) -> bool:
    """In GB2312, and for Han characters in its level 1 (the 3,755 most frequent characters).

    Mojibake made from UTF-8 bytes is dominated by GBK-only and level-2 characters.
    """
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return not is_han(ch) or 0xB0 <= encoded[0] <= 0xD7


def _common_ratio(s: str) -> float:
    chars = [c for c in s if not c.isspace()]
    return sum(map(_is_common, chars)) / len(chars) if chars else 0.0


def _utf8_prefix(encoded: list[bytes], start: int) -> tuple[int, str]:
    """The longest run of characters from `start` whose GBK bytes are complete UTF-8, decoded."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    best, decoded, parts = start, "", []
    for k in range(start, len(encoded)):
        try:
            parts.append(decoder.decode(encoded[k]))
        except UnicodeDecodeError:
            break
        if decoder.getstate()[0] == b"":  # no half-decoded character pending
            best, decoded = k + 1, "".join(parts)
    return best, decoded


def _starts_utf8(pair: bytes) -> bool:
    """Could these two bytes open a multi-byte UTF-8 character (lead byte, continuation byte)?"""
    return 0xC2 <= pair[0] <= 0xF4 and 0x80 <= pair[1] <= 0xBF


def _repair_run(run: str) -> tuple[str, int]:
    """Repair the mojibake spans inside one run of two-byte GBK characters."""
    encoded = [c.encode("gb18030") for c in run]
    out: list[str] = []
    fixes = i = 0
    while i < len(run):
        if not _starts_utf8(encoded[i]):
            out.append(run[i])
            i += 1
            continue
        end, decoded = _utf8_prefix(encoded, i)
        original = run[i:end]
        if (
            end - i >= 2
            and any(is_han(c) for c in decoded)
            and _common_ratio(decoded) >= MIN_COMMON_RATIO
            and _common_ratio(decoded) >= _common_ratio(original) + MIN_GAIN
        ):
            out.append(decoded)
            fixes += 1
            i = end
        else:
            out.append(run[i])
            i += 1
    return "".join(out), fixes


@lru_cache(maxsize=65536)
def _is_gbk_pair(ch: str) -> bool:
    """GBK decodes two bytes to this character: only such characters (and ASCII, which is the same
    in both encodings and so never inside a mojibake span) come out of UTF-8 read as GBK."""
    return len(ch.encode("gb18030")) == 2


# Two UTF-8 Chinese characters in a row, as bytes. Mojibake of two or more Chinese characters holds
# this sequence once re-encoded; clean text almost never does, so it can skip the per-character walk.
_UTF8_HAN_PAIR = re.compile(rb"(?:[\xe3-\xe9][\x80-\xbf]{2}){2}")


def repair_gbk_mojibake(text: str) -> tuple[str, int, list[str]]:
    """Undo UTF-8 bytes decoded as GBK where the reverse is exact and reads as common Chinese."""
    if not _UTF8_HAN_PAIR.search(text.encode("gb18030")):
        return text, 0, []
    out: list[str] = []
    total = 0
    for pair, group in groupby(text, key=_is_gbk_pair):
        run = "".join(group)
        if pair and len(run) >= 2:
            run, n = _repair_run(run)
            total += n
        out.append(run)
    return "".join(out), total, []


class Damage(NamedTuple):
    """Characters lost before the text reached us: counted, never guessed."""

    replacement_chars: int  # U+FFFD
    lost_chars: int  # "?" standing for a character, as in "10?3S/cm"


# "?" between two digits ("10?3S/cm"), or a run of "??" touching Chinese, a digit or Chinese
# punctuation ("北京??区", "他来了。??"). A single "?" after Chinese is a question mark written in
# ASCII, not a lost character; "What??" in English is emphasis. `restore_fullwidth_punctuation`
# leaves exactly these alone.
LOST_CHAR = re.compile(
    rf"(?<=\d)\?(?=\d)|(?<=[{HAN}\d{CJK_PUNCT}])\?{{2,}}|\?{{2,}}(?=[{HAN}\d{CJK_PUNCT}])"
)


def lost_chars(text: str) -> Iterable[re.Match[str]]:
    """The `LOST_CHAR` runs of a text; a text without "?" (most) is not searched."""
    return LOST_CHAR.finditer(text) if "?" in text else ()


def measure_damage(text: str) -> Damage:
    lost = sum(len(m.group()) for m in lost_chars(text))
    return Damage(replacement_chars=text.count("\ufffd"), lost_chars=lost)
