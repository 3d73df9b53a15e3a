"""Unicode repair: ftfy must not flatten Chinese punctuation; GBK mojibake only where certain."""

from __future__ import annotations

import pytest

from cleaning.text.unicode import fix_with_ftfy, measure_damage, repair_gbk_mojibake

NORMAL = [
    "北京，上海：你好！真的？（一）“引号”《书名》【注】……——",
    "\u3000\u30002024年10月28日，大赛在北京国家会议中心圆满落下帷幕。",
    "臺灣的國語與簡體字不同，請勿轉換。這是一個繁體中文測試段落，包含「引號」與《紅樓夢》。",
    "中国科学院大连化学物理研究所“固态锂电池用新型复合电解质”通过构建三维离子传输网络。",
    "锟斤拷烫烫烫屯屯屯",  # looks broken, but is valid text that no round trip can improve
    "鳌鼇鬱龘齉 罕用字也照常保留",
]


@pytest.mark.parametrize("text", NORMAL)
def test_normal_text_is_untouched(text: str) -> None:
    assert fix_with_ftfy(text) == (text, 0, [])
    assert repair_gbk_mojibake(text) == (text, 0, [])


def test_ftfy_still_fixes_latin1_mojibake_and_entities() -> None:
    assert fix_with_ftfy("åŒ—äº¬")[0] == "北京"
    assert fix_with_ftfy("A &amp; B")[0] == "A & B"


def test_utf8_read_as_gbk_is_reversed() -> None:
    assert repair_gbk_mojibake("鍖椾含") == ("北京", 1, [])
    for original in ("北京今天天气很好", "北京国际科技创新中心", "新华社北京电"):
        mojibake = original.encode("utf-8").decode("gb18030")
        assert repair_gbk_mojibake(f"第1条 {mojibake} 2024")[0] == f"第1条 {original} 2024"


def test_mojibake_with_lost_bytes_is_not_guessed() -> None:
    damaged = "北京市人民政府".encode("utf-8").decode("gbk", errors="replace")
    assert "\ufffd" in damaged
    repaired = repair_gbk_mojibake(damaged)[0]
    assert repaired.startswith("北京")
    assert "\ufffd" in repaired  # the lost character stays lost


def test_damage_counts_replacement_and_lost_characters() -> None:
    text = "电导率提升至10?3S/cm，北京??区，是吗?我们\ufffd"
    assert measure_damage(text) == (1, 3)


def test_question_marks_that_are_questions_are_not_damage() -> None:
    assert measure_damage("真的吗?好的。What? 1+1=2?") == (0, 0)


def test_mojibake_next_to_real_chinese_is_repaired_alone() -> None:
    mojibake = "北京今天天气很好".encode("utf-8").decode("gbk")
    assert repair_gbk_mojibake(f"据报道：{mojibake}。")[0] == "据报道：北京今天天气很好。"


def test_the_text_the_fast_path_skips_is_text_ftfy_leaves_alone():
    """The characters fix_with_ftfy passes without calling ftfy: ftfy really returns them unchanged."""
    import ftfy

    from cleaning.text.unicode import _FTFY_INERT, FTFY_CONFIG
    from crawler.sample_site import load_articles

    articles = [a.text for a in load_articles()]
    inert = [text for text in articles if _FTFY_INERT.fullmatch(text)]
    assert len(inert) >= 0.9 * len(articles)  # the fast path is the common case
    texts = list(inert)
    texts.append("".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "&") + "\t\n")
    cjk_punctuation = [*range(0x3000, 0x302A), *range(0x3030, 0x3040)]  # 302A-302F combine: NFC moves them
    texts.append("".join(chr(c) for c in [*range(0x2010, 0x2028), *cjk_punctuation, *range(0xFF01, 0xFFEF)]))
    assert not _FTFY_INERT.fullmatch("〪")
    texts.append("".join(chr(c) for c in range(0x4E00, 0x9FFF, 7)))
    texts.append("新华日报·交汇点记者 a·b 1·2 ·")  # the middle dot of names, beside anything inert
    for text in texts:
        assert _FTFY_INERT.fullmatch(text)
        assert ftfy.fix_text(text, FTFY_CONFIG) == text


def test_ftfy_on_the_lines_that_need_it_equals_ftfy_on_the_whole_text():
    import ftfy

    from cleaning.text.unicode import FTFY_CONFIG, fix_with_ftfy

    clean = "北京今天天气很好，市民纷纷外出游玩。"
    for text in (
        f"{clean}\nCafÃ© &amp; bar\n{clean}",  # mojibake and an entity in one line of clean Chinese
        f"{clean}\n<b>tag</b> &amp;\n{clean} &lt;",  # a "<" anywhere: entities stay everywhere
        f"{clean}\r\nâ€œquotedâ€\r\n{clean}",  # carriage returns
        f"{clean}\n\u00e2\u0080\u0094 dash\n\n{clean}\u3000",
    ):
        assert fix_with_ftfy(text)[0] == ftfy.fix_text(text, FTFY_CONFIG)
