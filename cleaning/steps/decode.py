"""Bytes → str, before anything else: a wrong charset here is damage no later step can undo.

Rules, in order (Scrapy's `response.text` rules via w3lib, plus what Chinese sites need):
1. BOM, then the HTTP `Content-Type` charset, then `<meta charset>`, else UTF-8 (w3lib); GB2312
   and GBK are decoded as their superset GB18030, so GBK-only characters survive.
2. A page that declares a GB-family charset but is valid UTF-8 (non-ASCII) is UTF-8: that
   mislabelling is common, and GB18030 text is practically never valid UTF-8 by accident.
3. A page read as UTF-8 that is not valid UTF-8 (mislabelled, or not labelled at all) is decoded
   as GB18030 or Big5, whichever reads as Chinese text (see `_plausibility`).
4. A page declaring a GB charset that decodes cleanly as Big5 and reads far better that way is
   Big5: Big5 bytes are valid GBK too, so a mislabelled Big5 page would otherwise be silent nonsense.
5. A non-ASCII page labelled Latin-1, Windows-1252 or ASCII (a server default, never a Chinese
   page's own charset) is read as UTF-8 when it is valid UTF-8, else by its `<meta>` charset, else
   as GB18030 or Big5, whichever reads as Chinese text: w3lib trusts the HTTP header over `<meta>`,
   and a UTF-8 page served as `charset=iso-8859-1` came out as mojibake.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from w3lib.encoding import html_to_unicode

from cleaning.document import Document
from cleaning.extraction.pdf import is_pdf
from cleaning.steps.base import Step
from cleaning.text.chars import code_points

GB, BIG5 = "gb18030", "big5hkscs"
_LATIN = "cp1252"  # what w3lib makes of iso-8859-1, latin1, us-ascii and windows-1252 labels
# Both encodings list characters by frequency; their frequent blocks, as lead-byte ranges:
# GB2312 level 1 (3,755 characters) and Big5's "frequently used" block (A440-C67E, 5,401).
_FREQUENT_LEAD = {GB: (0xB0, 0xD7, "gb2312"), BIG5: (0xA4, 0xC6, "big5")}
_SAMPLE = 600  # ideographs looked at: enough to tell, cheap on a long page
_IDEOGRAPHS, _DAMAGE = (0x4E00, 0x9FFF), 0xFFFD  # the unified block, and U+FFFD
_CLEARLY_BETTER = 0.3


_BIG5_LABELS = frozenset({"big5", "big5hkscs", "cp950", "big5-hkscs"})
# what w3lib may make of gb2312, gbk, x-gbk, cp936 and gb18030 labels (gb18030 up to 2.5, gbk since 2.6)
_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "cp936", "936", "ms936"})
# a few characters cut or mangled in a page otherwise valid in a codec (a GB page read as UTF-8 has hundreds)
_FEW_DAMAGED = 8


def _with_few_damaged(body: bytes, codec: str) -> str | None:
    """`body` read as `codec` when at most `_FEW_DAMAGED` characters fail, else None."""
    text = body.decode(codec, errors="replace")
    return text if text.count("\ufffd") <= _FEW_DAMAGED else None


def _decodes_strictly(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=None)
def _frequent_table(codec: str) -> np.ndarray:
    """For each BMP code point, whether `codec`'s frequent block holds it: every pair of a lead byte
    in the block's range and a trail byte that decodes (one array lookup per ideograph, not an encode)."""
    low, high, table = _FREQUENT_LEAD[codec]
    frequent = np.zeros(0x10000, dtype=bool)
    for lead in range(low, high + 1):
        for trail in range(0x40, 0xFF):
            ch = bytes((lead, trail)).decode(table, errors="replace")
            if len(ch) == 1 and ch != "\ufffd":
                frequent[ord(ch)] = True
    return frequent


def _first_ideographs(text: str, count: int) -> np.ndarray:
    """The code points of the first `count` ideographs or U+FFFD of `text`, looked for in growing
    windows: a page's markup before its first ideograph can run to tens of KB, and its text after
    to hundreds."""
    found: list[np.ndarray] = []
    start, window, total = 0, 8192, 0
    while total < count and start < len(text):
        points = code_points(text[start:start + window])
        chosen = points[((points >= _IDEOGRAPHS[0]) & (points <= _IDEOGRAPHS[1])) | (points == _DAMAGE)]
        found.append(chosen)
        start, window, total = start + window, window * 2, total + len(chosen)
    return np.concatenate(found)[:count] if found else np.zeros(0, dtype=np.uint32)


def _plausibility(text: str, codec: str) -> float:
    """Share of the first ideographs that lie in `codec`'s frequent block, minus the damage.

    Read with the right codec, running Chinese text is almost all frequent characters; read with the
    wrong one, byte pairs land anywhere (symbols, rare characters) or fail (U+FFFD).
    """
    sample = _first_ideographs(text, _SAMPLE)
    return int(_frequent_table(codec)[sample].sum()) / len(sample) if len(sample) else 0.0


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, charset used). Never raises: undecodable bytes become U+FFFD and are counted later."""
    charset, text = html_to_unicode(content_type, body)
    charset = charset.lower()
    if charset in _GB_FAMILY and charset != GB:  # w3lib 2.6 reads GB labels as GBK, which GB18030 extends
        charset, text = GB, body.decode(GB, errors="replace")
    if body.isascii():
        return text, charset
    if charset == _LATIN:
        as_utf8 = _decodes_strictly(body, "utf-8")
        if as_utf8 is not None:
            return as_utf8, "utf-8"
        if content_type is not None:  # the label came from the server: let the page speak for itself
            return decode_html(body, None)
        return _most_chinese(body)
    if charset == GB or charset in _BIG5_LABELS:  # a Chinese label on bytes that may be UTF-8
        as_utf8 = _decodes_strictly(body, "utf-8")
        if as_utf8 is not None:
            return as_utf8, "utf-8"
    if charset == GB:
        gb_score = _plausibility(text, GB)
        # a UTF-8 page labelled GB with a character cut somewhere (a description cut to a byte count) is
        # valid neither way: read as GB18030 all of it is mojibake, read as UTF-8 one character is lost
        nearly_utf8 = _with_few_damaged(body, "utf-8")
        if nearly_utf8 is not None and _plausibility(nearly_utf8, GB) > gb_score + _CLEARLY_BETTER:
            return nearly_utf8, "utf-8"
        if gb_score < 1 - _CLEARLY_BETTER:  # only then could Big5 read clearly better: try it
            as_big5 = _decodes_strictly(body, BIG5)
            if as_big5 is not None and _plausibility(as_big5, BIG5) > gb_score + _CLEARLY_BETTER:
                return as_big5, BIG5
    if (charset in _BIG5_LABELS or charset in ("utf-8", "utf8")) and "\ufffd" in text:  # GBK bytes, say
        best_text, best_codec = _most_chinese(body)
        if best_text.count("\ufffd") < text.count("\ufffd"):
            return best_text, best_codec
    return text, charset


def _most_chinese(body: bytes) -> tuple[str, str]:
    """The GB18030 or Big5 reading of `body`, whichever reads as Chinese text."""
    candidates = [(body.decode(codec, errors="replace"), codec) for codec in (GB, BIG5)]
    return max(candidates, key=lambda c: _plausibility(*c))


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_plain_text(body: bytes) -> tuple[str, str]:
    """A text file someone scraped → (text, charset): a BOM, else UTF-8, else GB18030 or Big5, whichever
    reads as Chinese (or UTF-8 with a few damaged characters, if that reads clearly better). Raises
    ValueError for what is no text at all (NUL bytes without a UTF-16 BOM)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    if looks_binary(body):
        raise ValueError("binary data, not text")
    as_utf8 = _decodes_strictly(body, "utf-8")
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    best_text, best_codec = _most_chinese(body)
    # a UTF-8 file cut inside a character, or with a stray byte, is valid in no codec: as UTF-8 a few
    # characters are lost, as GB18030 or Big5 all of them are mojibake (which the frequent blocks show)
    nearly_utf8 = _with_few_damaged(body, "utf-8")
    if nearly_utf8 is not None and max(_plausibility(nearly_utf8, codec) for codec in (GB, BIG5)) > \
            _plausibility(best_text, best_codec) + _CLEARLY_BETTER:
        return nearly_utf8, "utf-8"
    return best_text, best_codec


# what images and archives start with; a page served under an HTML type may still be one
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x01\x00")
_NULS_IN_BINARY = 8  # in the first 4 KB: compressed or image data has about 16, a page with a stray NUL one
# control characters no text field should hold (tab, newline and carriage return are layout)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# every byte but those: what `bytes.translate` deletes to find control bytes (no GBK or UTF-8 sequence holds one)
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 13) or b == 127))


def looks_binary(body: bytes) -> bool:
    """An image or archive: a known magic number, or NUL bytes all over the start. One stray NUL (a CMS
    bug in a title) does not make a page binary: it is removed with the other control characters."""
    return body.startswith(_BINARY_MAGIC) or body[:4096].count(b"\x00") >= _NULS_IN_BINARY


class Decode(Step):
    """Turn the archived HTTP response into decoded HTML (or keep a PDF for extraction); drop what is neither."""

    name = "decode"

    def __init__(self, max_bytes: int) -> None:
        super().__init__()
        self.max_bytes = max_bytes

    def apply(self, doc: Document) -> str | None:
        if doc.status != 200:
            return f"http_status_{doc.status}"
        content_type = doc.headers.get("content-type", "")
        if "content-encoding" in doc.headers:  # the reader could not undo it (warc_reader.response_body)
            return "undecodable_content_coding"
        if len(doc.body) > self.max_bytes:
            return "too_large"
        if is_pdf(doc.body, content_type):  # an e-paper page: `extract` reads the bytes
            self.count("pdf")
            return None
        if content_type and not any(t in content_type.lower() for t in ("html", "xml", "text/plain")):
            return "not_html"
        if not doc.body.strip():
            return "empty_body"
        if looks_binary(doc.body):
            return "binary"
        html, doc.charset = decode_html(doc.body, content_type or None)
        if doc.body.translate(None, _NOT_CONTROL_BYTES):  # looked for in the bytes first: one fast pass
            html, controls = _CONTROLS.subn("", html)
            self.count("control_characters_removed", controls)
        doc.html = html
        doc.body = b""
        # the later pages of a paginated article: each decoded by its own headers; one that is no
        # HTML text is a page missing, not a reason to drop the article
        for page in doc.later_pages:
            page_type = page.headers.get("content-type", "")
            if len(page.body) > self.max_bytes or looks_binary(page.body) or not page.body.strip():
                doc.pages, doc.pages_missing = doc.pages - 1, doc.pages_missing + 1
                continue
            later = decode_html(page.body, page_type or None)[0]
            doc.later_html.append(_CONTROLS.sub("", later) if page.body.translate(None, _NOT_CONTROL_BYTES) else later)
        doc.later_pages = []
        self.count(f"charset/{doc.charset}")
        if "\ufffd" in doc.html:
            self.count("docs_with_replacement_chars")
        return None
