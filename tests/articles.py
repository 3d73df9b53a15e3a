"""Archived articles for tests that need many distinct ones: each page is its own text, so dedup
keeps them all, and each passes the quality filters."""

from __future__ import annotations

import random

from corpus.warc_format import KIND_FIELD, SITE_FIELD

ARTICLE = {SITE_FIELD: "s", KIND_FIELD: "article"}  # the WARC fields of an archived article

WORDS = ("记者", "获悉", "全市", "项目", "建设", "推进", "群众", "服务", "发展", "经济", "今年", "部门", "工作", "完成",
         "提升", "城市", "交通", "教育", "医疗", "社区", "企业", "政策", "措施", "数据", "增长", "投资", "改造", "生态")


def page(i: int, salt: str = "") -> bytes:
    """An article of its own: no two pages are near-copies of each other, so dedup keeps them all."""
    words = random.Random(f"{salt}/{i}").choices(WORDS, k=12 * 16)
    paragraphs = "".join(f"<p>{''.join(words[k * 16:(k + 1) * 16])}。</p>" for k in range(12))
    head = f"<html><head><meta charset='utf-8'><title>稿件{i}</title></head>"
    return f"{head}<body><article><h1>稿件{i}</h1>{paragraphs}</article></body></html>".encode()
