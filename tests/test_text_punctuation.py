"""Punctuation width: ASCII beside Chinese → full width; ASCII elsewhere stays."""

from __future__ import annotations

import pytest

from cleaning.text.punctuation import restore_fullwidth


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("2024年10月28日,由科学技术部主办", "2024年10月28日，由科学技术部主办"),
        ("圆满落幕:千余项目角逐", "圆满落幕：千余项目角逐"),
        ("(以下简称“大赛”)在北京", "（以下简称“大赛”）在北京"),
        ("(一)人工智能:从“技术赋能”到“场景深耕”", "（一）人工智能：从“技术赋能”到“场景深耕”"),
        ("急性冠脉综合征(ACS)指南", "急性冠脉综合征（ACS）指南"),
        ("锂电池dendrite(枝晶)生长", "锂电池dendrite（枝晶）生长"),
        ("增长23%,其中", "增长23%，其中"),
        ("产值!翻开", "产值！翻开"),
        ("是吗?我们", "是吗？我们"),
        ("用途;版权", "用途；版权"),
        ("（LHAASO)“拉索”", "（LHAASO）“拉索”"),
        ("功能(奋勇争先,决战决胜“十四五”)", "功能（奋勇争先，决战决胜“十四五”）"),
        ("联系邮箱:1042463605@qq.com", "联系邮箱：1042463605@qq.com"),
        ("“好”,“坏”", "“好”，“坏”"),  # a quote counts as the Chinese it encloses
        ("他说“好”!", "他说“好”！"),
    ],
)
def test_ascii_beside_chinese_becomes_full_width(before: str, after: str) -> None:
    assert restore_fullwidth(before)[0] == after


@pytest.mark.parametrize(
    "text",
    [
        "签约金额673.17亿元",
        "共1,000个项目",
        "北京时间09:36发布",
        "He said: hello, world (again)! Really? Yes; fine.",
        "the ACS (acute coronary syndrome) guideline",
        "https://example.com/a?b=1,c=2;d=(3)",
        "user@example.com",
        "f(x, y) = max(x, y)",
        "提升至10?3S/cm",  # a lost character, counted as damage, not a question
        "北京??区",
        "“北京”（中国）：你好！",  # already full width
        "未配对的括号(没有右括号",
        "“Hello,” she said. Wait: “no!” — (really) ok",  # English quotes and dashes are not Chinese
    ],
)
def test_ascii_elsewhere_stays(text: str) -> None:
    assert restore_fullwidth(text) == (text, 0, [])


def test_counts_converted_marks() -> None:
    assert restore_fullwidth("中国(北京),上海")[1] == 3


def test_what_measure_damage_counts_as_lost_is_exactly_what_is_not_converted() -> None:
    from cleaning.text.unicode import measure_damage

    cases = [  # text, lost characters counted, text after punctuation repair
        ("电导率10?3S/cm", 1, "电导率10?3S/cm"),
        ("北京??区", 2, "北京??区"),
        ("他来了。??", 2, "他来了。??"),
        ("你好吗?", 0, "你好吗？"),
        ("What??", 0, "What??"),  # English emphasis: neither damage nor Chinese punctuation
    ]
    for text, lost, repaired in cases:
        assert measure_damage(text).lost_chars == lost, text
        assert restore_fullwidth(text)[0] == repaired, text
