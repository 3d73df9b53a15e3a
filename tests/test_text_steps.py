"""The text steps as pipeline steps: order, logging, metadata precedence, text mode and command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from cleaning.document import Document
from cleaning.run.plain_text import clean_text
from cleaning.steps.base import Step
from cleaning.steps.text import text_steps
from corpus.commands import clean_text as command

PAGE = """\u3000\u3000首页> 地方频道> 要闻 > 正文
来源:人民网-人民日报2025-06-04 14:44
\u3000\u3000北京不断强化科技创新策源功能,今年以来已有多个大科学装置通过国家验收。
\u3000\u3000电导率提升至10?3S/cm,接近液态电解质水平。本报记者 王昊男
[ 责编:袁晴 ]
相关阅读
2025-12-12 13:08"""


def doc(text: str) -> Document:
    return Document(url="https://example.com/a", crawled_at="", crawl_run="r", period="", text=text)


def test_order_and_names() -> None:
    steps = text_steps()
    assert all(isinstance(step, Step) for step in steps)
    assert [step.name for step in steps] == [
        "repair_unicode",
        "repair_gbk_mojibake",
        "measure_damage",
        "normalize_whitespace",
        "strip_furniture",
        "join_wrapped_lines",
        "restore_fullwidth_punctuation",
        "extract_credits",
        "remove_layout_spaces",
        "mask_pii",
    ]


def test_steps_clean_a_page_and_log_why() -> None:
    page = doc(PAGE)
    steps = text_steps()
    assert all(step(page) is None for step in steps)
    assert page.text == (
        "北京不断强化科技创新策源功能，今年以来已有多个大科学装置通过国家验收。\n"
        "电导率提升至10?3S/cm，接近液态电解质水平。"
    )
    assert (page.author, page.editor, page.source) == ("王昊男", "袁晴", "人民网-人民日报")
    assert page.published_at == "2025-06-04T14:44:00+08:00"
    assert page.cleaning_log["damage_lost_char"] == 1
    assert page.cleaning_log["furniture:breadcrumb"] == 1
    assert page.cleaning_log["furniture:related_reading"] == 2
    assert {"rule": "credit:author", "line": "本报记者 王昊男"} in page.removed_lines
    assert {"rule": "furniture:related_reading", "line": "2025-12-12 13:08"} in page.removed_lines
    by_name = {step.name: step.counters for step in steps}
    assert by_name["measure_damage"]["lost_chars"] == 1
    assert by_name["restore_fullwidth_punctuation"]["changes"] == 4  # two in credit lines


def test_metadata_from_the_extractor_wins() -> None:
    page = doc("正文第一段，内容很长很长很长很长很长很长很长很长很长很长很长。\n编辑/樊宏伟")
    page.editor = "页面上的编辑"
    for step in text_steps():
        step(page)
    assert page.editor == "页面上的编辑"
    assert "樊宏伟" not in page.text
    assert page.cleaning_log["credit:editor"] == 1


def test_clean_text_returns_text_metadata_and_log() -> None:
    result = clean_text(PAGE, "page.txt")
    assert result["name"] == "page.txt"
    assert result["author"] == "王昊男"
    assert result["captions"] == []
    assert result["cleaning_log"]["furniture:breadcrumb"] == 1
    # a line is logged as it was when removed: after the repairs that ran before
    assert {"rule": "credit:editor", "line": "[ 责编：袁晴 ]"} in result["removed_lines"]


def run_command(files: list[str], out: str | None) -> int:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    argv = files + (["--out", out] if out else [])
    return command.run(parser.parse_args(argv))


def test_command_writes_one_json_per_file(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text(PAGE, encoding="utf-8")
    assert run_command([str(source)], str(tmp_path / "out")) == 0
    result = json.loads((tmp_path / "out" / "page.clean.json").read_text(encoding="utf-8"))
    assert result["editor"] == "袁晴"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["page.clean.json"]


def test_command_prints_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    assert run_command([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], None) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["name"] for line in lines] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_command_contract() -> None:
    assert command.__doc__ and command.HELP and "\n" not in command.HELP


CLEAN_TEXTS = [
    "北京这座千年古城，正以科技为笔书写新时代的创新篇章。5月8日，以“科技引领 创享未来”为主题，"
    "第27届科博会正式开展。\n在科博会遇见未来生活样貌\n签约金额673.17亿元，共1,000个项目，09:36发布。",
    "臺灣的國語與簡體字不同，請勿轉換。這是一個繁體中文測試段落，包含「引號」與《紅樓夢》。\n"
    "記者會上，發言人表示：「我們會持續關注。」",
    "The guideline (ACS) says: use f(x, y) carefully; see https://example.com/a?b=1,c=2 now!",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_text_passes_unchanged(text: str) -> None:
    result = clean_text(text, "clean.txt")
    assert result["text"] == text
    assert result["cleaning_log"] == {}


def test_command_reads_gbk_and_utf16_and_skips_binary_without_stopping(tmp_path: Path, capsys):
    (tmp_path / "a.txt").write_bytes(PAGE.encode("gb18030"))
    (tmp_path / "b.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "c.txt").write_bytes(PAGE.encode("utf-16"))  # with its BOM
    assert run_command([str(tmp_path / name) for name in ("a.txt", "b.bin", "c.txt")], None) == 1
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["name"] for r in results] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert all(r["author"] == "王昊男" for r in results)
    assert [r["charset"] for r in results] == ["gb18030", "utf-16"]
    assert "b.bin: skipped, binary data" in err


def test_personal_data_is_masked_last_and_counted_on_the_record() -> None:
    page = doc("读者来信请联系 reader@example.cn，热线13812345678。此事引起广泛关注，记者将持续跟进报道。")
    for step in text_steps():
        step(page)
    assert "<EMAIL>" in page.text and "<PHONE>" in page.text and "13812345678" not in page.text
    record = page.to_record()
    assert record["pii"] == {"email": 1, "phone": 1, "id_number": 0, "bank_card": 0}
    assert page.cleaning_log["pii:email"] == 1


def test_two_inputs_that_would_write_one_output_are_refused_before_any_is_written(tmp_path: Path, capsys):
    """a/x.txt and b/x.txt both wrote x.clean.json: the second silently replaced the first, exit 0."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(PAGE.replace("王昊男", folder), encoding="utf-8")
    with pytest.raises(SystemExit) as refused:
        run_command([str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")], str(tmp_path / "out"))
    assert refused.value.code == 2
    assert "x.clean.json" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_each_json_line_names_its_input_as_given(tmp_path: Path, capsys):
    """Two inputs of one file name were told apart by nothing but their order."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(PAGE, encoding="utf-8")
    inputs = [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")]
    assert run_command(inputs, None) == 0
    assert [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()] == inputs
