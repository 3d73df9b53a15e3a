"""The extraction harness, on a tiny gold set made here; and the gold sets in ../shared/eval, if present."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaning.eval.harness import BadGoldSet, EvalDataMissing, find_sets, load_set, report
from cleaning.eval.metadata import author_matches, date_matches, gold_date, title_matches
from corpus.cli import main

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

ARTICLE = """<html><head><meta charset="utf-8"><title>春耕时节农机忙_新闻网</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/a">滚动</a> | <a href="/b">国内</a></div>
<h1>春耕时节农机忙</h1>
<div class="info">2024年4月29日 09:36 来源：新华社 作者：张三</div>
<div class="content">
<p>眼下正值春耕时节，各地农民抢抓农时，田间地头处处是繁忙景象。记者在多个乡镇看到，农机手们驾驶着新型播种机来回穿梭。</p>
<p>据当地农业部门介绍，今年全县机械化播种面积比去年增加了两成，粮食生产基础进一步夯实，农民增收的信心也更足了。</p>
<p>一位种粮大户说，有了这些新农机，一个人一天就能播种上百亩地，省时又省力，今年的收成一定错不了。</p>
</div>
<div class="fenxiang">分享让更多人看到</div>
</body></html>"""

FORUM = """<html><head><title>论坛</title></head><body>
<h1>周末去哪儿玩</h1>
<div><p>这个周末天气很好，我们一家人去郊外的公园踏青，孩子们在草地上放风筝，玩得非常开心，回来的路上还买了新鲜的草莓。</p>
<p>公园里的樱花正在盛开，游客很多，建议大家早上早点出发，避开中午的人流高峰，停车也会方便很多。</p></div>
</body></html>"""


def _make_set(root: Path, name: str = "tiny_zh") -> Path:
    """Two pages in the layout of ../shared/eval: items.jsonl plus gzipped HTML under html/."""
    folder = root / name
    (folder / "html").mkdir(parents=True)
    article_gold = "\n".join(line.removeprefix("<p>").removesuffix("</p>")
                             for line in ARTICLE.splitlines() if line.startswith("<p>"))
    pages = [
        ("p1", ARTICLE, article_gold, "张三", "2024-04-29 09:36", "春耕时节农机忙"),
        ("p2", FORUM, "这个周末天气很好，我们一家人去郊外的公园踏青。", None, None, None),
    ]
    with (folder / "items.jsonl").open("w", encoding="utf-8") as out:
        for page_id, html, gold, author, day, title in pages:
            (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
            row = {"id": page_id, "url": f"http://news.example.cn/{page_id}.html", "gold_text": gold,
                   "html_file": f"html/{page_id}.html.gz", "author": author, "date": day, "title": title}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def test_harness_runs_ours_and_a_baseline_and_prints_tables(tmp_path: Path) -> None:
    _make_set(tmp_path)
    dump = tmp_path / "dump"
    markdown = report(tmp_path, names=["ours", "trafilatura", "magic-html"], dump_dir=dump)
    assert "### tiny_zh (2 pages, split all)" in markdown
    assert "| ours (pipeline) |" in markdown and "| trafilatura |" in markdown
    assert "| magic-html | n/a (not installable) |" in markdown
    assert "× (" in markdown  # time per page as a ratio to trafilatura
    assert "| ours (pipeline) | 1/1 (100%) | 1/1 (100%) | 1/1 (100%) |" in markdown  # author, title of page p1
    # the baseline's metadata is scored on every field it gives, its title too
    assert "| trafilatura (metadata) | 0/1 (0%) | n/a | 1/1 (100%) |" in markdown
    scores = (dump / "tiny_zh" / "scores.tsv").read_text(encoding="utf-8").splitlines()
    assert scores[0].startswith("page\textractor") and len(scores) == 1 + 2 * 3  # ours, ours to extract, trafilatura
    assert (dump / "tiny_zh" / "p1" / "gold.txt").is_file() and (dump / "tiny_zh" / "p1" / "ours.txt").is_file()


def test_the_command_prints_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make_set(tmp_path)
    assert main(["eval-extract", "--data", str(tmp_path), "--extractor", "ours"]) == 0
    assert "| ours (pipeline) |" in capsys.readouterr().out


def test_missing_gold_sets_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalDataMissing, match="no gold sets"):
        find_sets(tmp_path / "absent")
    _make_set(tmp_path)
    with pytest.raises(EvalDataMissing, match="no set nope"):
        find_sets(tmp_path, ["nope"])
    with pytest.raises(SystemExit, match="zhnews eval-extract: no gold sets"):
        main(["eval-extract", "--data", str(tmp_path / "absent")])


def test_metadata_comparison_with_the_cwce_gold_format() -> None:
    assert author_matches("王建宏、张文攀", "王建宏 张文攀") and not author_matches("王建宏", "王建宏 张文攀")
    assert author_matches("王乐文、方敏", "王乐文 方 敏")  # a two-character name padded to three, as papers print it
    assert gold_date("2005-5-7 21:23:57") == (2005, 5, 7) and gold_date("1998-3") == (1998, 3)
    assert gold_date("刘涛") is None  # one gold date file holds a name
    assert date_matches("2005-05-07T09:00:00+08:00", "2005-5-7 21:23:57")
    assert date_matches("1998-03", "1998-3") and date_matches("1998-03-02", "1998-3")
    assert not date_matches("2005-05-08", "2005-5-7") and not date_matches("1998-03", "1998-3-2")


def test_the_shared_gold_sets_load() -> None:
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"gold sets not found at {SHARED_EVAL} (they live in ../shared/eval beside the repo)")
    counts = {folder.name: len(load_set(folder)) for folder in find_sets(SHARED_EVAL)}
    assert counts == {"cleaneval_zh": 51, "cwce_zh": 69, "news_zh_dev": 30, "scrapinghub_aeb_en": 181}
    first = load_set(SHARED_EVAL / "cwce_zh")[0]
    assert first.gold and b"<" in first.body()[:2000]


def test_dev_and_test_halves_split_the_set(tmp_path: Path) -> None:
    folder = _make_set(tmp_path)
    halves = [item.id for split in ("dev", "test") for item in load_set(folder, split)]
    assert sorted(halves) == ["p1", "p2"]


def test_the_bundled_metadata_set_scores_as_the_readme_says() -> None:
    """tests/eval/meta_zh_dev (44 pages, hand-written gold): a wrong author counts against us. A guard
    against regressions: docs/benchmarks.md's figures are 30/33 found (90.9%), 30/31 right (96.8%) and
    43/44 titles."""
    from cleaning.eval.harness import extractors, run_set
    from cleaning.eval.metadata import author_matches

    items = load_set(Path(__file__).parent / "eval" / "meta_zh_dev")
    (ours,) = run_set(items, [e for e in extractors(["ours"]) if e[0] == "ours (pipeline)"])
    given = [(got.author, item.author or "") for got, item in zip(ours.extractions, items) if got.author]
    right = sum(author_matches(got, gold) for got, gold in given)
    found = sum(author_matches(got.author, item.author) for got, item in zip(ours.extractions, items) if item.author)
    titles = sum(title_matches(got.title, item.title or "") for got, item in zip(ours.extractions, items) if item.title)
    assert len(items) == 44 and right / len(given) >= 0.95 and found >= 30 and titles >= 43


def test_an_items_file_with_a_bom_or_a_blank_line_loads(tmp_path: Path) -> None:
    """An editor's BOM or a trailing blank line made json.loads raise: a traceback in both eval commands."""
    folder = _make_set(tmp_path)
    items = folder / "items.jsonl"
    items.write_bytes(b"\xef\xbb\xbf" + items.read_bytes() + b"\n\n")
    assert [item.id for item in load_set(folder)] == ["p1", "p2"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "holds no pages"),
    (b'{"id": "p1", "html_file": "html/p1.html.gz"}\n{"id": "p2", \n', "items.jsonl line 2: not a JSON row"),
    (b'{"id": "p1"}\n', "items.jsonl line 1: no html_file"),
    ('{"id": "新闻", "html_file": "html/p1.html.gz"}\n'.encode("gb18030"), "items.jsonl: not UTF-8"),
])
def test_a_broken_items_file_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    """An empty file scored as "0 pages" with exit 0; a broken row or encoding was a traceback."""
    folder = _make_set(tmp_path)
    (folder / "items.jsonl").write_bytes(content)
    with pytest.raises(BadGoldSet, match=message):
        load_set(folder)
    with pytest.raises(SystemExit, match=f"zhnews eval-extract: .*{message}"):
        main(["eval-extract", "--data", str(tmp_path), "--extractor", "ours"])


def test_an_unknown_extractor_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt --extractor printed tables with no rows, exit 0."""
    _make_set(tmp_path)
    with pytest.raises(SystemExit) as refused:
        main(["eval-extract", "--data", str(tmp_path), "--extractor", "trafilatura-nocomments"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "trafilatura-nocomments" in err and "trafilatura-no-comments" in err


def test_without_the_shared_gold_sets_the_command_says_it_scores_the_bundled_ones_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With ../shared absent, eval-extract scored tests/eval alone and did not say so."""
    from corpus.commands import eval_extract

    monkeypatch.setattr(eval_extract, "DEFAULT_EVAL_DIR", tmp_path / "absent")
    bundled = _make_set(tmp_path / "bundled").parent
    monkeypatch.setattr(eval_extract, "BUNDLED_EVAL_DIR", bundled)
    assert main(["eval-extract", "--extractor", "ours"]) == 0
    out, err = capsys.readouterr()
    assert "tiny_zh" in out and f"no gold sets at {tmp_path / 'absent'}" in err
