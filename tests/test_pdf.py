"""E-paper PDFs: a PDF at an article URL is extracted (pypdf) and its column-wrapped lines become
paragraphs again. The PDF is made here (reportlab's built-in CJK font), set as an e-paper sets it:
justified narrow columns, a headline, a byline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cleaning.config import ProcessConfig
from cleaning.document import Document
from cleaning.pipeline import build_steps
from corpus.layout import DataLayout

HEADLINE = "前沿科技领航新赛道"
PARAGRAPHS = [
    "本报北京6月4日讯 记者佘惠敏报道：2024中关村论坛年会重大成果专场发布活动在中关村国际创新中心举办，"
    "发布了涵盖人工智能、生命科学、新材料等领域的十九项重大科技成果，其中多项成果达到国际领先水平。",
    "据介绍，此次发布的成果由高校、科研院所和企业联合攻关完成，覆盖基础研究、技术攻关和产业应用等环节，"
    "将为培育新质生产力、建设全球创新网络关键枢纽提供有力支撑。有关负责人表示，下一步将加快成果转化。",
]
COLUMN = 13  # characters per line, as in a newspaper column


def e_paper_pdf(title: str | None = HEADLINE, pages: int = 1, user_password: str | None = None) -> bytes:
    """The e-paper page, `pages` times over; encrypted when `user_password` is given (with an owner
    password that forbids copying, as e-papers set it)."""
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    encrypt = None if user_password is None else StandardEncryption(user_password, "owner", canCopy=0)
    page = canvas.Canvas(buffer, encrypt=encrypt)
    if title:
        page.setTitle(title)
    for _ in range(pages):
        page.setFont("STSong-Light", 18)
        page.drawString(72, 790, HEADLINE)
        page.setFont("STSong-Light", 10)
        y = 760
        for paragraph in PARAGRAPHS:
            for start in range(0, len(paragraph), COLUMN):
                page.drawString(72, y, paragraph[start:start + COLUMN])
                y -= 14
        page.showPage()
    page.save()
    return buffer.getvalue()


def processed(body: bytes, content_type: str, tmp_path: Path) -> tuple[Document, str | None]:
    doc = Document(url="http://paper.example.cn/pc/attachement/202506/04/a.pdf", crawled_at="2025-06-05T00:00:00Z",
                   crawl_run="r", period="2025-06", status=200, headers={"content-type": content_type}, body=body)
    for step in build_steps(ProcessConfig(), DataLayout(tmp_path)):
        reason = step(doc)
        if reason:
            return doc, f"{step.name}: {reason}"
    return doc, None


@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream"])
def test_an_e_paper_pdf_becomes_paragraphs(tmp_path: Path, content_type: str):
    doc, dropped = processed(e_paper_pdf(), content_type, tmp_path)
    assert dropped is None
    assert doc.extractor.startswith("pypdf") and doc.title == HEADLINE
    lines = doc.text.split("\n")
    assert lines[0].startswith("本报北京6月4日讯"), "the headline is the title, not glued to the lead"
    assert all(paragraph.replace(" ", "") in "".join(lines) for paragraph in PARAGRAPHS)
    # a line may end where a sentence ends (the joiner cannot tell that from a paragraph's end), never mid-clause
    assert all(line.endswith("。") for line in lines), f"wrapped lines left: {lines}"
    assert len(lines) <= 4


def test_a_pdf_that_is_no_pdf_is_dropped_with_a_reason(tmp_path: Path):
    _, dropped = processed(b"%PDF-1.4\n% not really a pdf\n", "application/pdf", tmp_path)
    assert dropped == "extract: pdf_unreadable"


def test_a_scanned_pdf_without_text_is_dropped_with_a_reason(tmp_path: Path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(72, 72, 400, 600, fill=1)  # an image-only page, as a scan is
    page.save()
    _, dropped = processed(buffer.getvalue(), "application/pdf", tmp_path)
    assert dropped == "extract: pdf_without_text"


def test_a_pdf_that_opens_without_a_password_is_read_though_encrypted(tmp_path: Path):
    """E-papers forbid copying with an owner password alone: any reader opens the file, and so does pypdf
    with the empty user password. Such PDFs were dropped as `pdf_encrypted`."""
    doc, dropped = processed(e_paper_pdf(user_password=""), "application/pdf", tmp_path)
    assert dropped is None and doc.text.startswith("本报北京6月4日讯")
    _, locked = processed(e_paper_pdf(user_password="secret"), "application/pdf", tmp_path)
    assert locked == "extract: pdf_encrypted"


def test_a_pdf_of_more_pages_than_an_e_paper_page_is_no_article(tmp_path: Path):
    """A report at an article URL was kept as an article of its first four pages, said to be whole."""
    from cleaning.extraction.pdf import extract_pdf

    max_pages = ProcessConfig().max_pdf_pages
    assert extract_pdf(e_paper_pdf(pages=max_pages), max_pages).reason is None
    _, dropped = processed(e_paper_pdf(pages=max_pages + 1), "application/pdf", tmp_path)
    assert dropped == "extract: pdf_too_many_pages"
