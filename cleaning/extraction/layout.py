"""Undo the markup that hides parts of an article from trafilatura: table layout and loose text
(old Chinese portals), image links (modern ones).

- Layout tables: a 2005 portal page is nested tables; trafilatura treats a table as one unit and
  keeps its navigation rows, link boxes and ads along with the article cell. A table that is not
  a data table becomes plain <div>s, so each cell is judged on its own.
- Loose text: text written straight into a <div> or cell between blocks ("正文<br>正文<table>…")
  is invisible to trafilatura's fallback, which looks at <p>, <table>, <pre>…; each run of loose
  text and inline elements between two blocks is wrapped in a <p>.
- Layout lists: page columns built as `<ul><li>` (article in one item, sidebar in the next) are
  judged as one list; they become <div>s like layout tables.
- Image links: a photo that links to its large version, with its caption after it in the same
  paragraph; the link is dropped, the image and the caption stay.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav "
    "noframes ol optgroup option p pre section summary table tbody td tfoot th thead tr ul".split()
)
NO_TEXT_TAGS = frozenset(
    "script style noscript template iframe object embed svg link meta input select button textarea head "
    "title".split()
)
TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")

# A data table (kept as a table): rows of several short cells, mostly not links.
MIN_DATA_ROWS = 3
MIN_MULTI_CELL_ROWS = 0.7  # share of rows with two cells or more
MAX_DATA_CELL_CHARS = 200
MAX_DATA_LINK_SHARE = 0.5


def _own(table: lxml.html.HtmlElement, *tags: str) -> list[lxml.html.HtmlElement]:
    """Rows and cells of this table, not of the tables nested in it."""
    return [el for el in table.iterdescendants(*tags) if next(el.iterancestors("table"), None) is table]


def is_data_table(table: lxml.html.HtmlElement) -> bool:
    if table.find(".//table") is not None:
        return False
    rows = _own(table, "tr")
    if len(rows) < MIN_DATA_ROWS:
        return False
    multi = sum(len(row.findall("td")) + len(row.findall("th")) >= 2 for row in rows)
    if multi < MIN_MULTI_CELL_ROWS * len(rows):
        return False
    lengths = [len(cell.text_content().strip()) for cell in _own(table, "td", "th")]
    if max(lengths, default=0) > MAX_DATA_CELL_CHARS:
        return False
    links = sum(len(a.text_content().strip()) for a in table.iter("a"))
    return links <= MAX_DATA_LINK_SHARE * max(sum(lengths), 1)


def flatten_layout_tables(root: lxml.html.HtmlElement) -> int:
    """Turn every table that is not a data table into <div>s, innermost first; returns how many."""
    flattened = 0
    for table in reversed(list(root.iter("table"))):
        if is_data_table(table):
            continue
        for element in [table, *_own(table, *TABLE_PARTS)]:
            element.tag = "div"
        flattened += 1
    return flattened


_COLUMN_CONTENT = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article")


def flatten_layout_lists(root: lxml.html.HtmlElement) -> int:
    """Turn every list whose items all hold paragraphs, headings or boxes (page columns built as
    `<ul><li>`) into <div>s, as layout tables are; a list of lines stays a list. Returns how many."""
    flattened = 0
    for listing in reversed(list(root.iter("ul", "ol"))):
        items = [child for child in listing if isinstance(child.tag, str)]
        if len(items) < 2 or any(item.tag != "li" or item.find("*") is None
                                 or not any(child.tag in _COLUMN_CONTENT for child in item) for item in items):
            continue
        for element in [listing, *items]:
            element.tag = "div"
        flattened += 1
    return flattened


def _is_block(node: etree._Element) -> bool:
    return not isinstance(node.tag, str) or node.tag in BLOCK_TAGS


def _has_text(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag not in NO_TEXT_TAGS and bool(node.text_content().strip())


def _wrap_loose_text(container: lxml.html.HtmlElement) -> bool:
    """Wrap each run of loose text and inline elements between blocks into a <p>."""
    children = list(container)
    if not any(_is_block(child) for child in children):
        return False
    if not (container.text or "").strip() and not any(
        (not _is_block(c) and _has_text(c)) or (c.tail or "").strip() for c in children
    ):
        return False
    out: list[etree._Element] = []
    run: list[etree._Element] = []
    lead = container.text
    container.text = None

    def close_run() -> None:
        if (lead or "").strip() or any(_has_text(c) or (c.tail or "").strip() for c in run):
            paragraph = etree.Element("p")
            paragraph.text = lead
            paragraph.extend(run)
            out.append(paragraph)
        else:
            out.extend(run)
        run.clear()

    for child in children:
        if _is_block(child):
            close_run()
            lead, child.tail = child.tail, None
            out.append(child)
        else:
            run.append(child)
    close_run()
    container.extend(out)  # appending moves each child: the container ends up holding exactly `out`
    return True


def wrap_loose_text(root: lxml.html.HtmlElement) -> int:
    """Give loose text in <div>s (and former layout cells) its own <p>; returns how many divs."""
    return sum(_wrap_loose_text(div) for div in list(root.iter("div")))


def unwrap_image_links(root: lxml.html.HtmlElement) -> int:
    """A link that holds only an image (a photo linking to its large version) becomes the image:
    trafilatura drops the caption that follows such a link in a paragraph
    (`<p><a><img></a><br>图为…</p>`). Returns how many links."""
    image_links = [a for a in root.iter("a") if a.find(".//img") is not None and not a.text_content().strip()]
    for link in image_links:
        link.drop_tag()
    return len(image_links)
