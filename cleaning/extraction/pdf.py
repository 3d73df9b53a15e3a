"""E-paper PDFs: the text of a PDF page as the layout prints it, for the line re-joining downstream.

pypdf (BSD) reads the text, CJK fonts with predefined CMaps included (PyMuPDF would too, but it is
AGPL). Lines come out as the columns wrap them; `join_wrapped_lines` and `remove_layout_spaces`
make paragraphs of them later, as for any hard-wrapped text. A PDF of more than `max_pages` pages
is dropped: an e-paper page is one or two; a 500-page report at an article URL is not an article.
An encrypted PDF that opens without a password (e-papers forbid copying with an owner password alone)
is read; one that asks for a password is dropped.
"""

from __future__ import annotations

import io
import logging

import pypdf

from cleaning.extraction.result import Extraction

PDF_EXTRACTOR = f"pypdf {pypdf.__version__}"
PDF_MAGIC = b"%PDF-"


def is_pdf(body: bytes, content_type: str) -> bool:
    return "pdf" in content_type.lower() or body.lstrip()[:5] == PDF_MAGIC


def extract_pdf(body: bytes, max_pages: int) -> Extraction:
    """Text of the pages and the document title; an empty text comes with the reason."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about every odd object of real-world files
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            return Extraction(text="", reason="pdf_encrypted")
        if len(reader.pages) > max_pages:
            return Extraction(text="", reason="pdf_too_many_pages")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except Exception:  # a torn or hostile file: pypdf raises many kinds
        return Extraction(text="", reason="pdf_unreadable")
    text = "\n".join(pages).strip()
    if not text:
        return Extraction(text="", reason="pdf_without_text")  # a scan: no text layer to read
    first, _, rest = text.partition("\n")
    if title and "".join(first.split()) == "".join(title.split()) and rest.strip():
        text = rest  # the headline has its own column; left in, line joining would glue it to the lead
    return Extraction(text=text, title=title or None)
