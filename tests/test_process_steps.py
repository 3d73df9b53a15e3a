"""Processing steps that depend on more than one page, on small WARC files made here: per-domain
repeated lines (learned from the crawl, removed per domain, remembered across runs) and per-site
pruning from the profile the crawl stored beside the run; a pipeline with two corpus steps; the
configuration a run records."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

from cleaning.config import ProcessConfig, load_thresholds
from cleaning.document import Document
from cleaning.pipeline import build_steps
from cleaning.run.run import process_run
from cleaning.steps.base import CorpusStep, Step
from cleaning.steps.repeated_lines import LineIndex, line_hash
from corpus.layout import DataLayout
from corpus.warc_format import KIND_FIELD, SITE_FIELD
from crawler.warc import RotatingWarcWriter

ONE_FILE = 1 << 30  # no rotation
FURNITURE = "扫一扫，用手机看新闻！本网所有内容均受版权保护。"
TOPICS = ["城市轨道交通", "老旧小区改造", "社区养老服务", "中小学课后服务", "农村公路建设", "夜间经济",
          "河道综合治理", "垃圾分类", "公共图书馆", "体育公园"]


def article(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    body = [f"本报讯 记者近日从市有关部门获悉，{topic}工作第{i}阶段任务已经全面完成，各项指标均达到预期目标。",
            f"据介绍，{topic}项目今年共投入资金{i + 3}亿元，涉及{i * 7 + 12}个点位，惠及群众超过{i + 2}万人。",
            f"有关负责人表示，下一步将继续总结经验，推动{topic}工作向纵深发展，让更多市民从中受益。",
            FURNITURE]
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f"<html><head><meta charset='utf-8'><title>{topic}第{i}阶段完成</title></head><body>"
            f"<div class='nav'>首页 | 新闻</div><article><h1>{topic}第{i}阶段完成</h1>{paragraphs}</article>"
            f"<div class='footer'>版权所有</div></body></html>")


def write_page(writer: RotatingWarcWriter, url: str, body: bytes) -> None:
    """One archived article response of site "s", as the crawl writes it."""
    writer.write(url=url, status=200, reason="OK", response_headers=[("Content-Type", "text/html; charset=utf-8")],
                 body=body, request_method="GET", request_headers=[],
                 extra_fields={SITE_FIELD: "s", KIND_FIELD: "article"})


def write_run(data_dir: Path, run_id: str, pages: list[tuple[str, int]]) -> None:
    writer = RotatingWarcWriter(DataLayout(data_dir).run_dir(run_id), f"{run_id}-s", ONE_FILE)
    for host, i in pages:
        write_page(writer, f"http://{host}/news/202611/t20261101_{i}.html", article(i).encode())
    writer.close()


def kept(data_dir: Path, run_id: str) -> dict[str, dict]:
    rows = [r for p in (data_dir / "docs" / run_id).glob("*.parquet") for r in pq.read_table(p).to_pylist()]
    return {r["url"]: r for r in rows}


def test_index_counts_each_shard_once_and_applies_both_thresholds(tmp_path: Path):
    index = LineIndex(tmp_path / "lines.sqlite")
    assert index.commit("run/a", {"x.cn": 10, "y.cn": 100}, {"x.cn": {"1": 6}, "y.cn": {"1": 6, "2": 20}})
    assert not index.commit("run/a", {"x.cn": 10}, {"x.cn": {"1": 6}})  # a resumed run: not counted twice
    assert index.repeated(min_docs=5, min_share=0.1) == {"x.cn": {1}, "y.cn": {2}}  # 6 of 100 is too rare
    assert line_hash("a  b ") == line_hash("a b")


def test_furniture_is_learned_per_domain_and_remembered_across_runs(tmp_path: Path):
    data_dir = tmp_path / "data"
    pages = [("news.example.cn", i) for i in range(8)] + [("other.example.cn", 100), ("other.example.cn", 101)]
    write_run(data_dir, "run1", pages)
    process_run(DataLayout(data_dir), "run1", ProcessConfig(), progress=False)
    docs = kept(data_dir, "run1")
    assert len(docs) == 10
    assert not (data_dir / "work" / "run1").exists()  # phase-1 files are gone once the run is done
    for url, doc in docs.items():
        if "news.example.cn" in url:
            assert FURNITURE not in doc["text"] and "惠及群众" in doc["text"]
            assert {"rule": "strip_repeated_lines", "line": FURNITURE} in doc["removed_lines"]
        else:  # two documents of another domain: too few to call the line furniture there
            assert FURNITURE in doc["text"]

    write_run(data_dir, "run2", [("news.example.cn", 42)])  # one new article, the index remembers
    process_run(DataLayout(data_dir), "run2", ProcessConfig(), progress=False)
    (doc,) = kept(data_dir, "run2").values()
    assert FURNITURE not in doc["text"] and "第42阶段" in doc["text"]


def test_a_site_profiles_prune_xpath_applies_to_its_pages(tmp_path: Path):
    """The crawl stores each site's profile beside the run; processing prunes what it names."""
    from corpus.files import write_json
    from crawler.profile import parse_profile, snapshot

    data_dir = tmp_path / "data"
    write_run(data_dir, "run1", [("news.example.cn", 1)])
    profile = parse_profile({"name": "s", "article_url": "/t", "start_urls": ["http://news.example.cn/"],
                             "prune_xpath": ["//article/p[2]"]}, "test")
    write_json(DataLayout(data_dir).site_snapshot("run1", "s"), snapshot(profile))
    process_run(DataLayout(data_dir), "run1", ProcessConfig(), progress=False)
    (doc,) = kept(data_dir, "run1").values()
    assert "惠及群众" not in doc["text"]  # the second paragraph was pruned
    assert "全面完成" in doc["text"] and "下一步" in doc["text"]


def test_process_recovers_a_killed_crawls_open_file_before_summing_up_the_run(tmp_path: Path):
    data_dir = tmp_path / "data"
    writer = RotatingWarcWriter(DataLayout(data_dir).run_dir("run1"), "run1-s", ONE_FILE)
    for i in range(3):
        write_page(writer, f"http://news.example.cn/news/202611/t20261101_{i}.html", article(i).encode())
    # the crawl was killed: its file is still .open, nobody will close it
    summary = process_run(DataLayout(data_dir), "run1", ProcessConfig(), progress=False)
    assert [kept for _, kept in summary.recovered] == [7]  # warcinfo + 3 × (response, request)
    assert len(kept(data_dir, "run1")) == 3


class CountSurvivors(CorpusStep):
    """A second corpus step, trivial on purpose: it counts what survives the first one, in its own phase."""

    name = "count_survivors"

    def __init__(self) -> None:
        super().__init__()
        self.seen, self.with_furniture, self.total = 0, 0, 0

    def observe(self, doc: Document) -> None:
        self.seen += 1
        self.with_furniture += FURNITURE in doc.text

    def observations(self) -> dict[str, int]:
        return {"seen": self.seen, "with_furniture": self.with_furniture}

    def commit(self, shards: Iterable[tuple[str, dict[str, int]]]) -> None:
        for _, observations in shards:
            self.total += observations["seen"]
            self.with_furniture += observations["with_furniture"]

    def prepare(self) -> tuple[int, int]:
        return self.total, self.with_furniture

    def use(self, prepared: tuple[int, int]) -> None:
        self.total, self.with_furniture = prepared

    def apply(self, doc: Document) -> str | None:
        doc.log("survivors_in_run", self.total)
        doc.log("survivors_with_furniture", self.with_furniture)
        return None


def two_corpus_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    return [*build_steps(config, layout), CountSurvivors()]


def test_a_second_corpus_step_sees_what_the_first_one_left(tmp_path: Path):
    data_dir = tmp_path / "data"
    pages = [("news.example.cn", i) for i in range(8)] + [("other.example.cn", 100), ("other.example.cn", 101)]
    write_run(data_dir, "run1", pages)
    config = ProcessConfig(pipeline=f"{__name__}.two_corpus_steps")
    summary = process_run(DataLayout(data_dir), "run1", config, progress=False)
    docs = kept(data_dir, "run1")
    assert len(docs) == 10 and summary.totals["count_survivors/kept"] == 10
    for doc in docs.values():
        log = {entry["rule"]: entry["count"] for entry in doc["cleaning_log"]}
        # it observed all ten, after repeated lines were removed: only the other domain's two keep the line
        assert (log["survivors_in_run"], log["survivors_with_furniture"]) == (10, 2)
    assert not (data_dir / "work" / "run1").exists()


def test_a_run_records_the_configuration_it_used(tmp_path: Path):
    data_dir = tmp_path / "data"
    write_run(data_dir, "run1", [("news.example.cn", 1)])
    overrides = tmp_path / "thresholds.yaml"
    overrides.write_text("min_length:\n  min_chars: 77\n", encoding="utf-8")
    config = ProcessConfig(thresholds=load_thresholds(overrides))
    process_run(DataLayout(data_dir), "run1", config, progress=False)
    summary = json.loads(DataLayout(data_dir).run_summary("run1").read_text(encoding="utf-8"))
    assert summary["config"] == config.as_record()
    assert summary["config"]["thresholds"]["min_length"]["min_chars"] == 77
    assert summary["config"]["thresholds"]["repetition"] == load_thresholds()["repetition"]
    assert summary["extractor"].startswith("zhnews-extraction")
    assert summary["versions"]["trafilatura"] and summary["versions"]["zhnews-corpus"]
    assert [step["step"] for step in summary["pipeline"]][:3] == ["withdrawn", "decode", "extract"]


def test_a_garbage_warc_is_reported_and_the_rest_of_the_run_and_later_runs_are_processed(tmp_path: Path):
    from corpus.cli import main

    layout = DataLayout(tmp_path / "data")
    write_run(layout.root, "run1", [("news.example.cn", i) for i in range(3)])
    (layout.run_dir("run1") / "run1-junk-00000.warc.gz").write_bytes(b"\x1f\x8b\x08 not really gzip" * 100)
    write_run(layout.root, "run2", [("news.example.cn", 7)])
    summary = process_run(layout, "run1", ProcessConfig(), progress=False)
    assert summary.damaged_shards == ["run1-junk-00000.warc.gz"] and "run1-junk-00000.warc.gz" in summary.render()
    assert len(kept(layout.root, "run1")) == 3
    assert main(["process", "--data-dir", str(layout.root), "--no-progress"]) == 0  # run2 is not blocked
    assert len(kept(layout.root, "run2")) == 1


class StallOnSeven(Step):
    """A step after extraction that never ends on one page: the page's time limit must cover it."""

    name = "stall_on_seven"

    def apply(self, doc: Document) -> str | None:
        if "第7阶段" in doc.text:
            time.sleep(60)
        return None


def stalling_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    steps = build_steps(config, layout)
    return [*steps[:3], StallOnSeven(), *steps[3:]]


def test_the_page_time_limit_covers_every_step_and_the_shard_goes_on(tmp_path: Path):
    data_dir = tmp_path / "data"
    write_run(data_dir, "run1", [("news.example.cn", i) for i in range(5, 10)])
    config = ProcessConfig(pipeline=f"{__name__}.stalling_steps", page_timeout_seconds=0.5)
    started = time.monotonic()
    summary = process_run(DataLayout(data_dir), "run1", config, progress=False)
    assert time.monotonic() - started < 20
    assert sorted(kept(data_dir, "run1")) == [f"http://news.example.cn/news/202611/t20261101_{i}.html"
                                               for i in (5, 6, 8, 9)]
    assert summary.totals["stall_on_seven/dropped/timeout"] == 1
    rejects = DataLayout(data_dir).shard_rejects("run1", "stall_on_seven", "run1-s-00000")
    (rejected,) = pq.read_table(rejects).to_pylist()
    assert rejected["reject_reason"] == "timeout" and rejected["url"].endswith("_7.html")


def test_zhnews_process_finds_a_run_that_only_a_killed_crawl_left(tmp_path: Path):
    """Only an `.open` file under the run: `zhnews process` (no --run) recovers and processes it
    instead of saying there is nothing to do."""
    import subprocess
    import sys

    from conftest import REPO

    data_dir = tmp_path / "data"
    writer = RotatingWarcWriter(DataLayout(data_dir).run_dir("run1"), "run1-s", ONE_FILE)
    for i in range(2):
        write_page(writer, f"http://news.example.cn/news/202611/t20261101_{i}.html", article(i).encode())
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "process", "--data-dir", str(data_dir),
                             "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "nothing to do" not in result.stdout, result.stdout + result.stderr
    assert len(kept(data_dir, "run1")) == 2


def test_the_adversarial_pages_of_the_probe_are_rejected_and_named_within_the_page_limit(tmp_path: Path):
    """40,000 short lines ending in '，' and 100,000 '责任编辑：' lines (they once took 100 s and 900 s
    in line joining): the run ends within its page limit times its pages, those pages rejected, named."""
    data_dir = tmp_path / "data"
    writer = RotatingWarcWriter(DataLayout(data_dir).run_dir("run1"), "run1-s", ONE_FILE)
    bodies = {"commas": "<br>".join(["短句内容，"] * 40_000), "editors": "<br>".join(["责任编辑："] * 100_000)}
    for name, body in bodies.items():
        html = f"<html><head><meta charset='utf-8'><title>{name}</title></head><body><p>{body}</p></body></html>"
        write_page(writer, f"http://news.example.cn/{name}.html", html.encode())
    write_page(writer, "http://news.example.cn/news/202611/t20261101_1.html", article(1).encode())
    writer.close()
    config = ProcessConfig()
    started = time.monotonic()
    process_run(DataLayout(data_dir), "run1", config, progress=False)
    assert time.monotonic() - started < config.page_timeout_seconds * 3
    assert list(kept(data_dir, "run1")) == ["http://news.example.cn/news/202611/t20261101_1.html"]
    rejects = DataLayout(data_dir).rejects("run1").rglob("*.parquet")
    rejected = {row["url"].rsplit("/", 1)[1]: (row["reject_step"], row["reject_reason"])
                for path in rejects for row in pq.read_table(path).to_pylist()}
    assert set(rejected) == {"commas.html", "editors.html"} and all(reason for _, reason in rejected.values())
