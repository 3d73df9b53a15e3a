"""PII masking: what is personal data is replaced and counted; what only looks like it is left alone."""

from __future__ import annotations

import pytest

from cleaning.text.pii import KINDS, luhn, mask_pii, valid_id_number
from corpus.record import PII_KINDS


def with_luhn_digit(prefix: str) -> str:
    """`prefix` + the check digit that makes it pass Luhn."""
    return next(prefix + str(d) for d in range(10) if luhn(prefix + str(d)))


def id_number(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


CARD = with_luhn_digit("622202123456789012")  # UnionPay, 19 digits
ID = id_number("11010519491231002")


@pytest.mark.parametrize(("text", "kind", "masked"), [
    ("联系邮箱:1042463605@qq.com", "email", "联系邮箱:<EMAIL>"),  # seed 001's line
    ("投稿请发至 news.desk@example.com.cn。", "email", "投稿请发至 <EMAIL>。"),
    ("读者来信请联系reader@example.cn，谢谢", "email", "读者来信请联系<EMAIL>，谢谢"),  # glued to Chinese
    ("热线电话13812345678", "phone", "热线电话<PHONE>"),
    ("请拨打 +86 138-1234-5678 咨询", "phone", "请拨打 <PHONE> 咨询"),
    ("联系人：张先生，电话13812345678。", "phone", "联系人：张先生，电话<PHONE>。"),
    (f"身份证号{ID}", "id_number", "身份证号<ID_NUMBER>"),
    (f"账号{CARD}", "bank_card", "账号<BANK_CARD>"),
    (f"账号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", "bank_card", "账号 <BANK_CARD>"),
])
def test_personal_data_is_masked_and_counted(text: str, kind: str, masked: str):
    got, counts = mask_pii(text)
    assert got == masked and counts[kind] == 1 and sum(counts.values()) == 1


@pytest.mark.parametrize("text", [
    "2024年10月28日，1526个项目参赛，签约金额673.17亿元。",
    "订单编号202410281234567890123已处理",  # 21 digits: no ID, no card, no phone inside a longer run
    f"身份证号{ID[:-1]}{'0' if ID[-1] != '0' else '1'}",  # wrong check character
    "身份证号110105194913310021",  # no such birth date
    f"卡号{CARD[:-1]}{(int(CARD[-1]) + 1) % 10}",  # fails Luhn
    "固定电话010-12345678，邮编100020",
    "@人民日报 发布了消息",
    "公司实现营业收入15912345678.52元，同比增长",  # an amount of eleven digits: decimals, a unit
    "总股本为13612345678股",
    "旅客发送量13512345678 人次",
])
def test_what_only_looks_like_personal_data_stays(text: str):
    got, counts = mask_pii(text)
    assert got == text and not any(counts.values())


def test_the_checks_themselves():
    assert valid_id_number("11010519491231002X") and not valid_id_number("110105194912310021")
    assert luhn("4111111111111111") and not luhn("4111111111111112")


def test_the_record_counts_every_kind_the_masking_knows():
    assert KINDS == PII_KINDS
