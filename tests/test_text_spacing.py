"""Spacing: layout spaces go, deliberate spaces (slogans, Latin, numbers) stay."""

from __future__ import annotations

import pytest

from cleaning.text.spacing import normalize_whitespace, remove_layout_spaces


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("为 来 自 40 多 个 国 家 和 地 区 的", "为来自40多个国家和地区的"),
        ("创 新 是 引 领 发 展 的 第 一 动", "创新是引领发展的第一动"),
        ("本报记者 赵 晶摄", "本报记者赵晶摄"),
        ("形成相关新闻报道近7. 6万篇次", "形成相关新闻报道近7.6万篇次"),
        ("总金额902. 21亿元", "总金额902.21亿元"),
        ("全年增长 7. 6万人", "全年增长7.6万人"),  # a layout space before the broken number too
        ("在 2024 中关村论坛上", "在2024中关村论坛上"),
        ("即可 AI 实时制作", "即可AI实时制作"),
        ("其中外籍占了30%。 218家外国政府部门", "其中外籍占了30%。218家外国政府部门"),
        ("京台“两岸科技创新中心” 有六大功能", "京台“两岸科技创新中心”有六大功能"),
        ("他说 “你好”", "他说“你好”"),
        ("“北京” “上海”", "“北京”“上海”"),
        ("2024 “科技周”", "2024“科技周”"),
        ("AI — 技术", "AI—技术"),
        ("中国愿与国际社会一道， 践行", "中国愿与国际社会一道，践行"),
    ],
)
def test_layout_spaces_are_removed(before: str, after: str) -> None:
    assert remove_layout_spaces(before)[0] == after


@pytest.mark.parametrize(
    "text",
    [
        "以“科技引领 创享未来”为主题",
        "以“开辟前沿新赛道 培育发展新动能”为主题",
        "展示科创之都成果 北京用科博会向世界递交科技创新答卷",
        "聚焦科博会 | 展示",
        "He said hello, world (again).",
        "2025-06-04 14:44",
        "f(x, y) = x + y",
        "in 2023. 5 people came",  # an English sentence, not a broken decimal
        # quotes, dashes and dots that English typography shares with Chinese
        "He said “hello” to me — twice… Then · a dot",
        "“Hello,” she said.",
        "- “北京”：首都",  # a list item's bullet
        "1. 5月1日起，新规正式实施",  # a numbered list item, not a broken decimal 1.5
        "要点如下：1. 5月起实施；2. 6月底前完成。",
        # lists of names and places, a space apart: two-character names are the norm
        "一等奖：李小明 王芳 张伟 刘洋",
        "首发阵容：颜骏凌 张琳芃 朱辰杰 蒋光太 吴曦 武磊",
        "入选城市：北京 上海 广州 深圳 杭州",
    ],
)
def test_deliberate_spaces_stay(text: str) -> None:
    assert remove_layout_spaces(text) == (text, 0, [])


def test_normalize_whitespace_strips_indents_and_invisible_characters() -> None:
    text = "\u3000\u3000第一段\u200b内容\n\n  \u00a0 \n\t第二段\u00a0\u00a0两个空格  \n"
    assert normalize_whitespace(text)[0] == "第一段内容\n第二段 两个空格"


def test_normalize_whitespace_keeps_clean_text() -> None:
    assert normalize_whitespace("第一段。\n第二段。") == ("第一段。\n第二段。", 0, [])


def test_fullwidth_punctuation_is_never_flattened() -> None:
    text = "“北京”（中国）：你好！"
    assert remove_layout_spaces(normalize_whitespace(text)[0])[0] == text
