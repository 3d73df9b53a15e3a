"""Bytes → str, before anything else: a wrong charset here is damage no later step can undo.

Rules, in order (Scrapy's `response.text` rules via w3lib, plus two fixes for what Chinese sites do):
1. BOM, then the HTTP `Content-Type` charset, then `<meta charset>`, then detection (w3lib);
   GB2312 and GBK are decoded as their superset GB18030, so GBK-only characters survive.
2. A page that declares a GB-family charset but is valid UTF-8 (non-ASCII) is UTF-8: that
   mislabelling is common, and GB18030 text is practically never valid UTF-8 by accident.
3. A page that declares (or is guessed to be) UTF-8 but is not valid UTF-8 is decoded as GB18030
   when that is clean, and otherwise with whichever of the two loses fewer characters (U+FFFD):
   a GBK page with a few broken bytes must not become thousands of replacement characters.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

from cleaning.step import Step
from corpus.record import Document

_GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936", "hz"}
_UTF8 = {"utf-8", "utf8"}


def _decodes_strictly(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, charset used). Never raises: undecodable bytes become U+FFFD and are counted later."""
    charset, text = html_to_unicode(content_type, body)
    charset = charset.lower().replace("_", "-")
    if charset in _GB_FAMILY and not body.isascii():
        as_utf8 = _decodes_strictly(body, "utf-8")
        if as_utf8 is not None:
            return as_utf8, "utf-8"
    if charset in _UTF8 and "\ufffd" in text and not body.isascii():
        as_gb = body.decode("gb18030", errors="replace")
        if as_gb.count("\ufffd") < text.count("\ufffd"):
            return as_gb, "gb18030"
    return text, charset


def looks_binary(body: bytes) -> bool:
    """NUL bytes never occur in HTML text; images, PDFs and archives have them early on."""
    return b"\x00" in body[:4096]


class Decode(Step):
    """Turn the archived HTTP response into decoded HTML; drop what is not an HTML page."""

    name = "decode"

    def __init__(self, max_bytes: int = 8 * 1024 * 1024) -> None:
        super().__init__()
        self.max_bytes = max_bytes

    def apply(self, doc: Document) -> str | None:
        if doc.status != 200:
            return f"http_status_{doc.status}"
        content_type = doc.headers.get("content-type", "")
        if content_type and not any(t in content_type.lower() for t in ("html", "xml", "text/plain")):
            return "not_html"
        if len(doc.body) > self.max_bytes:
            return "too_large"
        if not doc.body.strip():
            return "empty_body"
        if looks_binary(doc.body):
            return "binary"
        doc.html, doc.charset = decode_html(doc.body, content_type or None)
        doc.body = b""
        self.count(f"charset:{doc.charset}")
        if "\ufffd" in doc.html:
            self.count("docs_with_replacement_chars")
        return None
