"""Text steps against input size: the time per megabyte of every text step at 10 kB, 100 kB and 1 MB,
for ordinary article text and for the two shapes that once made line joining quadratic (40,000 short
lines ending in "，" took 100 s; 100,000 "责任编辑：" lines 900 s). Linear means the same time per MB
at every size; a quadratic step's time per MB grows tenfold from one size to the next."""

from __future__ import annotations

import time

from cleaning.document import Document
from cleaning.steps.text import text_steps
from crawler.sample_site import load_articles

SIZES = {"10 kB": 10_000, "100 kB": 100_000, "1 MB": 1_000_000}  # bytes of UTF-8 text


def _text(shape: str, size: int) -> str:
    unit = {"articles": "\n".join(a.text for a in load_articles()) + "\n", "short lines with commas": "短句内容，\n",
            "editor lines": "责任编辑：\n"}[shape]
    copies = size // len(unit.encode("utf-8")) + 1
    return (unit * copies)[: size // 3]  # CJK text: three bytes a character


def _seconds(text: str) -> float:
    doc = Document(url="http://bench.example.cn/a.html", crawled_at="2026-12-01T00:00:00Z", crawl_run="bench",
                   period="2026-12", text=text)
    started = time.perf_counter()
    for step in text_steps():
        if step(doc):
            break
    return time.perf_counter() - started


def text_scaling_section() -> list[str]:
    lines = ["## Text steps against input size", "",
             "Seconds per MB of UTF-8 text through every text step (one document of that size, one core); "
             "the last column is the 1 MB figure over the 10 kB one (1.0: linear).", "",
             "| text | " + " | ".join(SIZES) + " | 1 MB / 10 kB |",
             "|---|" + "---|" * (len(SIZES) + 1)]
    _seconds(_text("articles", 10_000))  # the language model and OpenCC load on first use: not per size
    for shape in ("articles", "short lines with commas", "editor lines"):
        per_mb = [_seconds(_text(shape, size)) / (size / 1e6) for size in SIZES.values()]
        lines.append(f"| {shape} | " + " | ".join(f"{value:.2f} s" for value in per_mb)
                     + f" | {per_mb[-1] / per_mb[0]:.2f} |")
    return [*lines, ""]


if __name__ == "__main__":
    print("\n".join(text_scaling_section()))
