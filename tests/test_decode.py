"""Decoding: the charset traps Chinese sites set, and input that is not a page at all."""

import pytest

from cleaning.config import ProcessConfig
from cleaning.document import Document
from cleaning.steps.decode import (
    _FREQUENT_LEAD,
    BIG5,
    GB,
    Decode,
    _frequent_table,
    _plausibility,
    decode_html,
    decode_plain_text,
)

TEXT = "朱镕基、王喆和陶喆都是GBK才有的字。"  # 镕 and 喆 are in GBK but not in GB2312


def page(charset: str) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    return f"<html><head>{meta}</head><body><p>{TEXT}</p></body></html>"


def test_gb2312_label_on_gbk_bytes_keeps_gbk_only_characters():
    text, charset = decode_html(page("gb2312").encode("gbk"), "text/html; charset=gb2312")
    assert TEXT in text and "\ufffd" not in text and charset == "gb18030"


def test_gb2312_label_on_utf8_bytes_is_read_as_utf8():
    text, charset = decode_html(page("gb2312").encode("utf-8"), None)
    assert TEXT in text and charset == "utf-8"


def test_utf8_label_on_gbk_bytes_is_rescued():
    text, charset = decode_html(page("utf-8").encode("gbk"), "text/html; charset=utf-8")
    assert TEXT in text and charset == "gb18030"


def test_big5_page_stays_traditional():
    traditional = "臺灣新聞報導"
    html = f'<meta charset="big5"><p>{traditional}</p>'.encode("big5")
    text, charset = decode_html(html, None)
    assert traditional in text and charset in {"big5", "cp950", "big5hkscs"}


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "us-ascii"])
def test_a_server_default_latin_label_does_not_turn_utf8_into_mojibake(label: str):
    text, charset = decode_html(page("utf-8").encode("utf-8"), f"text/html; charset={label}")
    assert TEXT in text and charset == "utf-8"


def test_a_latin_label_on_gbk_bytes_follows_the_meta_charset_or_the_text():
    text, charset = decode_html(page("gbk").encode("gbk"), "text/html; charset=iso-8859-1")
    assert TEXT in text and charset == "gb18030"
    bare = f"<p>{TEXT}</p>".encode("gbk")  # no meta charset at all: the bytes must read as Chinese
    text, charset = decode_html(bare, "text/html; charset=iso-8859-1")
    assert TEXT in text and charset == "gb18030"


def make(body: bytes, content_type: str = "text/html", status: int = 200) -> Document:
    return Document(url="http://127.0.0.1/a.html", crawled_at="", crawl_run="", period="",
                    status=status, headers={"content-type": content_type}, body=body)


def test_decode_step_drops_what_is_not_a_page_with_a_reason():
    step = Decode(max_bytes=1000)
    assert step(make(b"", status=404)) == "http_status_404"
    assert step(make(b"GIF89a\x01\x00", content_type="image/gif")) == "not_html"
    assert step(make(b"\x89PNG\r\n\x1a\n\x00\x00\x00")) == "binary"
    assert step(make(b"<p>" + b"x" * 2000)) == "too_large"
    assert step(make(b"   ")) == "empty_body"
    assert step.counters["dropped"] == 5
    assert step(make(b"%PDF-1.7\n", content_type="application/octet-stream")) is None  # kept for `extract`
    assert step.counters["pdf"] == 1


def test_decode_step_fills_html_and_charset_and_frees_the_bytes():
    doc = make(page("gb2312").encode("gbk"), content_type="text/html")
    assert Decode(max_bytes=ProcessConfig().max_page_bytes)(doc) is None
    assert TEXT in doc.html and doc.charset == "gb18030" and doc.body == b""


def test_gbk_page_with_a_broken_byte_is_not_read_as_utf8():
    """A GBK page with one stray byte is valid neither way; GB18030 loses one character, UTF-8 hundreds."""
    body = page("utf-8").encode("gbk") * 20 + b"\xff"
    text, charset = decode_html(body, "text/html; charset=utf-8")
    assert charset == "gb18030" and text.count("\ufffd") <= 1 and TEXT in text


def test_utf8_page_with_a_broken_byte_stays_utf8():
    body = page("utf-8").encode("utf-8") + b"\xff"
    text, charset = decode_html(body, "text/html; charset=utf-8")
    assert charset == "utf-8" and TEXT in text


TRADITIONAL = "臺灣新聞報導，今天天氣晴朗，民眾出門踏青。政府宣布新的交通政策，將於下個月開始實施。"


def test_big5_without_a_label_is_read_as_big5():
    text, charset = decode_html(f"<p>{TRADITIONAL}</p>".encode("big5"), None)
    assert TRADITIONAL in text and charset == "big5hkscs"


def test_big5_labelled_utf8_or_gb2312_is_read_as_big5():
    for label in ("utf-8", "gb2312"):
        text, charset = decode_html(f"<p>{TRADITIONAL}</p>".encode("big5"), f"text/html; charset={label}")
        assert TRADITIONAL in text and charset == "big5hkscs", label


def test_a_utf8_page_labelled_gb2312_with_a_cut_character_stays_utf8():
    """A description cut to a byte count leaves half a character: the page is valid neither as UTF-8 nor as
    GB18030, and read as GB18030 every character of it is mojibake."""
    cut = "新闻摘要".encode("utf-8")[:-1]
    body = page("gb2312").encode("utf-8").replace(b"<head>", b'<head><meta name="description" content="' + cut + b'">')
    text, charset = decode_html(body, "text/html; charset=gb2312")
    assert charset == "utf-8" and TEXT in text and text.count("\ufffd") == 1


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_a_big5_label_on_utf8_or_gbk_bytes_is_checked(codec: str):
    body = f'<meta charset="big5"><p>{TEXT}今天天气晴朗，民众出门踏青。</p>'.encode(codec)
    text, charset = decode_html(body, "text/html; charset=big5")
    assert TEXT in text and charset == {"utf-8": "utf-8", "gbk": "gb18030"}[codec]


def test_unlabelled_gbk_stays_gb18030():
    text, charset = decode_html(f"<p>{TEXT}今天天气晴朗，民众出门踏青。</p>".encode("gbk"), None)
    assert TEXT in text and charset == "gb18030"


def test_traditional_text_in_gbk_is_not_taken_for_big5():
    """GBK also holds traditional characters; such a page keeps its declared charset."""
    text, charset = decode_html(f"<p>{TRADITIONAL}</p>".encode("gbk"), "text/html; charset=gbk")
    assert TRADITIONAL in text and charset == "gb18030"


def test_a_stray_nul_byte_in_a_page_is_removed_not_taken_for_binary():
    """One NUL in a title (a CMS bug) does not make a page binary; control characters never reach a field."""
    html = "<html><head><title>标题\x00党建\x07</title></head><body><p>正文</p></body></html>".encode()
    doc = Document(url="http://a.cn/x.html", crawled_at="", crawl_run="r", period="2026-11", status=200,
                   headers={"content-type": "text/html; charset=utf-8"}, body=html)
    assert Decode(max_bytes=ProcessConfig().max_page_bytes)(doc) is None
    assert "标题党建</title>" in doc.html
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(64)
    doc = Document(url="http://a.cn/y.html", crawled_at="", crawl_run="r", period="2026-11", status=200,
                   headers={"content-type": "text/html"}, body=png)
    assert Decode(max_bytes=ProcessConfig().max_page_bytes)(doc) == "binary"


@pytest.mark.parametrize("codec", [GB, BIG5])
def test_the_frequent_block_table_agrees_with_the_codec_on_every_ideograph(codec: str):
    """The plausibility score looks characters up in a table built from the block's byte pairs; it
    must say what encoding each character would: its lead byte lies in the block."""
    low, high, table = _FREQUENT_LEAD[codec]
    frequent = _frequent_table(codec)
    for point in range(0x4E00, 0xA000):
        try:
            in_block = low <= chr(point).encode(table)[0] <= high
        except UnicodeEncodeError:
            in_block = False
        assert frequent[point] == in_block, (codec, hex(point))


def test_plausibility_reads_the_first_ideographs_past_a_long_head_and_counts_damage():
    """Ideographs after 50 KB of markup are still found (the windows grow), only the first 600 count,
    and U+FFFD counts as seen but never frequent."""
    head = "<p>" + "x" * 50_000
    assert _plausibility(head + "的是" * 300 + "龘" * 500, GB) == 1.0
    assert _plausibility(head + "的\ufffd" * 10, GB) == 0.5
    assert _plausibility(head, GB) == 0.0


SIMPLIFIED_STORY = "今天天气晴朗，民众出门踏青。市政府表示将继续改善公共交通，方便市民出行。" * 4
TRADITIONAL_STORY = "今天天氣晴朗，民眾出門踏青。市政府表示將繼續改善公共交通，方便市民出行。" * 4


@pytest.mark.parametrize("story", [SIMPLIFIED_STORY, TRADITIONAL_STORY])
@pytest.mark.parametrize("damage", ["cut", "stray byte"])
def test_a_text_file_in_utf8_with_one_damaged_character_stays_utf8(story: str, damage: str):
    """A UTF-8 file cut inside its last character, or holding one stray byte, was valid neither as UTF-8
    nor as GB18030/Big5, and clean-text read all of it as one of those: every character mojibake."""
    body = story.encode("utf-8")
    body = body[:-1] if damage == "cut" else body[:30] + b"\xa0" + body[30:]
    text, charset = decode_plain_text(body)
    assert charset == "utf-8" and text.count("\ufffd") == 1 and story[:10] in text


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_a_short_gbk_or_big5_text_file_is_not_taken_for_damaged_utf8(codec: str):
    """Six bytes of GBK read as UTF-8 fail at most a few times too: the reading that is Chinese wins."""
    text, charset = decode_plain_text("新闻".encode(codec) if codec == "gbk" else "新聞".encode(codec))
    assert text in ("新闻", "新聞") and charset == {"gbk": GB, "big5": BIG5}[codec]
