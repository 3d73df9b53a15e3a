"""HTML str → lxml tree, robust to what real pages put around their markup; and the page as lines.

- Junk before `<!DOCTYPE>` or `<html>` (a `<script>` block, stray text): libxml2 then starts the
  body early and throws the real `<body>` away, so the page parses to an empty body. It is cut off.
- NUL and other C0 control characters: libxml2 stops at them. They are dropped.
- Comments are dropped while parsing: "Ev<!-- -->en" would otherwise split a word in two.
- A `</body>` or `</html>` before the end (a server-side include closes its own fragment): libxml2
  drops everything after it, the article included. Closing tags are dropped; the parser closes both.
- `<style type="text/css" />` before a style sheet and its `</style>`: a browser reads the sheet as
  style, libxml2 closes the element at once and the sheet becomes the page's text. It is opened.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from cleaning.extraction.layout import BLOCK_TAGS, NO_TEXT_TAGS

_DOCUMENT_START = re.compile(r"<!doctype|<html[\s>]", re.IGNORECASE)
_BODY_START = re.compile(r"<body[\s>]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# the bytes that are not those characters in UTF-8, where each of them is the one byte of its code
_NOT_CONTROL_BYTES = bytes(sorted(set(range(256)) - {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)}))
# lxml.html's own parser picks each element's class in a Python callback, run whenever Python
# touches an element: a fifth of extraction time (ours and trafilatura's walks over our tree). A
# C-level lookup gives every element the same HtmlElement class; only lxml.html's form helpers
# (FormElement …), which nothing here uses, are lost. Same text on every gold page.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8")
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))
# the two repairs below, found in one pass over the page: a closing </body> or </html>, a self-closed <style/>
_REPAIRED_TAGS = re.compile(r"</(?:body|html)\s*>|<style\b[^>]*?/\s*>", re.IGNORECASE)
_STYLE_END = re.compile(r"</style\s*>", re.IGNORECASE)
_SELF_CLOSE = re.compile(r"/\s*>$")
LOOK_FOR_START = 200_000  # characters: junk longer than this is not junk any more


def strip_leading_junk(html: str) -> str:
    """Cut what precedes the document start, unless a <body> was already opened there."""
    start = _DOCUMENT_START.search(html, 0, LOOK_FOR_START)
    if not start or not html[: start.start()].strip() or _BODY_START.search(html, 0, start.start()):
        return html
    return html[start.start():]


def _without_controls(html: str) -> str:
    """`html` without C0 control characters. They are looked for in its UTF-8 bytes first, in one
    C-level pass at a fifth of a regex pass's cost (0.07 against 0.37 ms on a 170 KB page): pages
    rarely hold one."""
    if html.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL_BYTES):
        return _CONTROL.sub("", html)
    return html


def _repaired_tags(html: str) -> str:
    """`html` without closing </body> and </html> tags, and with `<style …/>` made `<style …>` where a
    `</style>` follows it, as a browser reads it."""
    def repair(tag: re.Match[str]) -> str:
        if tag.group().startswith("</"):
            return ""
        return _SELF_CLOSE.sub(">", tag.group()) if _STYLE_END.search(html, tag.end()) else tag.group()

    return _REPAIRED_TAGS.sub(repair, html)


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The document tree, or None when there is no markup to speak of."""
    cleaned = _repaired_tags(_without_controls(strip_leading_junk(html)))
    if not cleaned.strip():
        return None
    try:
        root = lxml.html.document_fromstring(cleaned.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


# A block boundary while the text is gathered: U+FDD0, a noncharacter, which no text is meant to hold
# (one a page holds anyway only splits its line there).
_BREAK = "\ufdd0"
# The page's text with a break around each block, written by libxslt: a third of the time of a Python
# walk over the tree, which was a twentieth of extraction. The parser nests elements at most 256 deep
# (libxml2's limit without huge_tree), far from libxslt's 3,000 nested templates.
_TEXT_WITH_BREAKS = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="utf-8"/>
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="*/body"><xsl:apply-templates select="*/body[1]"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="*"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="{'|'.join(sorted(NO_TEXT_TAGS))}"/>
  <xsl:template match="{'|'.join(sorted(BLOCK_TAGS))}|br">{_BREAK}<xsl:apply-templates/>{_BREAK}</xsl:template>
</xsl:stylesheet>""".encode()))


def page_lines(root: lxml.html.HtmlElement) -> list[str]:
    """The visible text of the body, one block per line, whitespace collapsed."""
    text = str(_TEXT_WITH_BREAKS(root))
    return [line for block in text.split(_BREAK) if (line := " ".join(block.split()))]


def markup_names(element: lxml.html.HtmlElement) -> str:
    """An element's class, id and link relation, the names its markup gives it (rel="author" names
    the author's link in HTML itself), and the test id a React build may name it by where its class
    names are hashes (百家号's '<div data-testid="author-name">')."""
    return (f"{element.get('class', '')} {element.get('id', '')} {element.get('rel', '')} "
            f"{element.get('data-testid', '')}")


# the elements markup names (a regular expression per element in XPath cost 2-5 ms a page)
named_elements = etree.XPath("//*[@class or @id or @rel or @itemprop or @data-testid]")
