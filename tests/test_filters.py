"""Language/script annotation and the quality filters, each with texts it must keep and drop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaning.config import ProcessConfig, load_thresholds
from cleaning.document import Document
from cleaning.pipeline import build_steps
from cleaning.steps.annotate import AnnotateLanguage, MeasureQuality
from cleaning.steps.filters import CjkShare, LanguageFilter, LinePunctuation, ListPage, MinLength, Repetition
from cleaning.text.language import identify
from cleaning.text.signals import SIGNALS, top_ngram_share
from corpus.layout import DataLayout
from corpus.record import QUALITY_SIGNALS
from crawler.sample_site import gold

THRESHOLDS = load_thresholds()

ARTICLE = (
    "新华社北京11月30日电 记者从国家统计局获悉，11月份全国规模以上工业增加值同比增长5.2%，比上月加快0.3个百分点。\n"
    "从环比看，11月份规模以上工业增加值比上月增长0.46%。分三大门类看，采矿业增加值增长3.1%，制造业增长5.8%。\n"
    "国家统计局新闻发言人表示，当前经济运行总体平稳，但外部环境仍然复杂严峻，需要继续巩固回升向好的基础。\n"
    "专家认为，随着一系列稳增长政策效果持续显现，四季度经济有望保持稳定增长态势。"
)
TRADITIONAL = (
    "香港特區政府今日公布，合資格人士可於下月起透過網上平台申請新一輪消費券，每人可獲發五千元。\n"
    "財政司司長表示，計劃旨在刺激本地消費，協助中小企業渡過難關，政府會密切留意經濟發展。\n"
    "有議員認為，當局應加快發放速度，並為長者提供更多實體申請渠道，以免他們因不熟悉網絡而錯過。"
)
CANTONESE = (
    "佢哋話今日嘅會議取消咗，因為主席喺外地未返嚟。\n"
    "我哋都唔知幾時會再開，不過佢話下個禮拜應該冇問題。\n"
    "有街坊話啲樓價又升咗，佢哋諗住遲啲先買。"
)
JAPANESE_KANJI_HEAVY = (
    "東京都知事選挙の結果が発表され、現職知事が三選を果たした。投票率は前回選挙を上回った。\n"
    "選挙管理委員会によると、期日前投票者数は過去最多を記録し、都民の関心の高さが示された。\n"
    "新知事は記者会見で、少子化対策と防災都市整備を最優先課題として取り組む方針を表明した。"
)
LIST_PAGE = "\n".join(f"{title} 2024-11-{day:02d}" for day, title in enumerate(
    ["国务院常务会议召开", "多地出台稳就业措施", "冬季用电高峰将至", "新能源汽车销量创新高", "高校毕业生规模达新高",
     "全国铁路客运量增长", "今冬首场寒潮来袭", "跨境电商规模扩大"], start=1))
COUNTED_LIST = "\n".join(f"{title} 阅读 {n}" for n, title in enumerate(
    ["城市更新进入新阶段", "乡村旅游持续升温", "一图读懂医保新政", "本周天气早知道", "社区食堂开张了"], start=1200))
GALLERY = "\n".join(f"图{i}：市民在公园赏菊" for i in range(1, 13))


def annotated(text: str) -> Document:
    doc = Document(url="https://news.example.cn/a.html", crawled_at="", crawl_run="r", period="2026-11", text=text)
    for step in (AnnotateLanguage(), MeasureQuality()):
        assert step(doc) is None  # annotation never drops
    return doc


def verdicts(text: str) -> dict[str, str | None]:
    doc = annotated(text)
    filters = [MinLength(THRESHOLDS["min_length"]), LanguageFilter(THRESHOLDS["language"]),
               CjkShare(THRESHOLDS["cjk_share"]), Repetition(THRESHOLDS["repetition"]),
               LinePunctuation(THRESHOLDS["line_punct"]), ListPage(THRESHOLDS["list_page"])]
    return {f.name: f.apply(doc) for f in filters}


def dropped_by(text: str) -> list[tuple[str, str]]:
    return [(name, reason) for name, reason in verdicts(text).items() if reason]


def test_a_news_article_passes_every_filter():
    assert dropped_by(ARTICLE) == []
    doc = annotated(ARTICLE)
    assert (doc.language, doc.script) == ("zh", "Hans") and doc.language_score > 0.9


def test_traditional_chinese_is_kept_and_marked_hant_without_being_converted():
    doc = annotated(TRADITIONAL)
    assert (doc.language, doc.script) == ("zh", "Hant") and doc.text == TRADITIONAL
    assert dropped_by(TRADITIONAL) == []


def test_cantonese_is_told_by_its_marker_characters_and_kept():
    doc = annotated(CANTONESE)
    assert (doc.language, doc.script) == ("yue", "Hant")
    assert dropped_by(CANTONESE) == []


def test_formal_hong_kong_chinese_is_not_cantonese():
    assert identify(TRADITIONAL).language == "zh"


def test_japanese_with_kanji_heavy_sentences_is_dropped_by_its_kana():
    doc = annotated(JAPANESE_KANJI_HEAVY)
    assert doc.language == "ja" and doc.script is None
    assert dropped_by(JAPANESE_KANJI_HEAVY) == [("language", "language_ja")]


def test_kanji_dense_chinese_headline_the_detector_calls_japanese_stays_chinese():
    headline = "国务院常务会议研究部署进一步扩大内需的政策措施"
    assert identify(headline, detector=lambda text: {"ja": 0.84, "zh": 0.16}).language == "zh"


def test_english_text_is_dropped_by_language():
    english = "The State Council met on Wednesday to discuss measures to expand domestic demand.\n" * 2
    assert ("language", "language_en") in dropped_by(english)


def test_a_mixed_script_text_is_marked_mixed():
    assert identify(ARTICLE.splitlines()[0] + "\n" + TRADITIONAL).script == "mixed"


def test_the_script_of_each_character_is_what_opencc_does_to_it_alone():
    """The script table converts every Han character in one OpenCC call per direction, joined by
    newlines; that must give what converting each one alone gives (a phrase rule, 后 → 後 in 以后,
    spanning two characters would count context, not script)."""
    from cleaning.text.language import _SIMPLIFIED_ONLY, _TRADITIONAL_ONLY, _char_table, _converters

    to_simplified, to_traditional = _converters()
    table = _char_table()
    chars = ARTICLE + TRADITIONAL + CANTONESE + "以后後后里裡面麵发發髮台臺颱干乾幹"
    for ch in {ch for ch in chars if "\u4e00" <= ch <= "\u9fff"}:
        simplified, traditional = to_simplified.convert(ch), to_traditional.convert(ch)
        assert bool(table[ord(ch)] & _TRADITIONAL_ONLY) == (simplified != ch), ch
        assert bool(table[ord(ch)] & _SIMPLIFIED_ONLY) == (simplified == ch and traditional != ch), ch


@pytest.mark.parametrize("text, step, reason", [
    (LIST_PAGE, "list_page", "timestamp_lines"),
    (COUNTED_LIST, "list_page", "counter_lines"),
    (GALLERY, "list_page", "short_lines"),
])
def test_listing_and_gallery_pages_are_dropped(text: str, step: str, reason: str):
    assert (step, reason) in dropped_by(text)


def test_prose_that_mentions_dates_is_no_listing():
    dated = "\n".join(f"记者{day}月{day}日获悉，全市{day}个重点项目集中开工，总投资超过百亿元，涉及交通和民生领域。"
                      for day in range(1, 9))
    assert verdicts(dated)["list_page"] is None


def test_repeated_lines_and_ngram_floods_are_dropped():
    repeated = "\n".join([ARTICLE.splitlines()[0]] * 3 + ARTICLE.splitlines()[1:])
    assert verdicts(repeated)["repetition"] == "dup_line_frac"
    flood = "哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈。\n" + ARTICLE
    assert verdicts(flood)["repetition"].startswith("top_")


def test_lines_that_never_end_a_sentence_are_dropped():
    menu = "\n".join(["首页 新闻 体育 财经 科技 娱乐 汽车 房产 教育 旅游 健康 文化",
                      "关于我们 联系我们 广告服务 招聘信息", "网站地图 版权声明 隐私政策 意见反馈 友情链接"])
    assert verdicts(menu)["line_punct"] == "few_sentence_lines"
    assert verdicts("一行快讯：某地发生3.2级地震，无人员伤亡")["line_punct"] is None  # one line: length decides


def test_text_that_is_mostly_not_chinese_is_dropped():
    table = "GDP 2023 Q1 4.5% Q2 6.3% Q3 4.9% Q4 5.2% CPI 0.2% PPI -2.7% M2 9.7% 中国数据。\n" * 3
    assert verdicts(table)["cjk_share"] == "low_cjk_share"


def test_top_ngram_share_counts_characters():
    assert top_ngram_share("ababab", 2) == pytest.approx(1.0)
    assert top_ngram_share("甲乙丙丁戊己庚辛", 2) == pytest.approx(2 / 8)
    assert top_ngram_share("甲", 2) == 0.0


def test_the_record_stores_every_signal_the_filters_read():
    assert tuple(name for name, _, _ in QUALITY_SIGNALS) == SIGNALS
    assert list(annotated(ARTICLE).to_record()["quality"]) == list(SIGNALS)


def test_the_pipeline_runs_annotation_before_the_filters_it_feeds(tmp_path: Path):
    names = [step.name for step in build_steps(ProcessConfig(), DataLayout(tmp_path))]
    assert names.index("measure_quality") < names.index("min_length") < names.index("list_page")
    assert names.index("annotate_language") < names.index("language")


def test_a_thresholds_file_overrides_by_key_and_refuses_typos(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text("repetition:\n  max_dup_line_frac: 0.5\n", encoding="utf-8")
    values = load_thresholds(good)
    assert values["repetition"]["max_dup_line_frac"] == 0.5
    assert values["repetition"]["max_top_2gram_share"] == THRESHOLDS["repetition"]["max_top_2gram_share"]
    typo = tmp_path / "typo.yaml"
    typo.write_text("repetition:\n  max_dup_line_fraction: 0.5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="max_dup_line_fraction"):
        load_thresholds(typo)


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("min_length:\n  min_chars: fifty\n", "min_length.min_chars must be int"),
    ("min_length:\n  min_chars: 50.5\n", "min_length.min_chars must be int"),
    ("repetition:\n  max_dup_line_frac: high\n", "repetition.max_dup_line_frac must be float"),
    ("language:\n  languages: zh\n", "language.languages must be list"),
])
def test_a_threshold_of_the_wrong_kind_is_refused_when_loaded(tmp_path: Path, yaml_text: str, message: str):
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_thresholds(path)
    path.write_text("repetition:\n  max_dup_line_frac: 1\n", encoding="utf-8")  # a whole number is a number
    assert load_thresholds(path)["repetition"]["max_dup_line_frac"] == 1


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("cjk_share:\n  min_share: 7\n", "cjk_share.min_share must be between 0 and 1, got 7"),
    ("language:\n  min_score: -0.1\n", "language.min_score must be between 0 and 1"),
    ("dedup:\n  jaccard: 1.5\n", "dedup.jaccard must be between 0 and 1"),
    ("min_length:\n  min_chars: -5\n", "min_length.min_chars must be at least 0"),
    ("dedup:\n  bands: 0\n", "dedup.bands must be at least 1"),
    ("dedup:\n  ngram: 0\n", "dedup.ngram must be at least 1"),
    ("dedup:\n  bands: 200\n", "dedup.bands must be between 1 and dedup.permutations"),
    ("min_length: 50\n", "min_length holds keys and values"),
    ("language:\n  min_score: [0.5\n", "not valid YAML"),  # was yaml's own error: eval-filters' traceback
])
def test_a_threshold_no_step_can_use_is_refused_when_loaded(tmp_path: Path, yaml_text: str, message: str):
    """Out of range, a threshold would fail on the first document (bands 0: a division by zero) or,
    worse, drop every document of a run that then counts as done (a share of 7)."""
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_thresholds(path)


def test_the_sample_sites_listings_are_dropped_and_their_articles_kept():
    from cleaning.eval.filters import labelled_sample, score_filters
    from corpus.commands.eval_filters import sample_site_pages

    sample = labelled_sample(sample_site_pages(), None)  # the sample sites alone, as the pipeline extracts them
    assert sum(item.article for item in sample) == len(gold()) and any(not item.article for item in sample)
    (chain,) = [score for score in score_filters(sample) if score.name == "all"]
    assert chain.dropped_articles == 0, chain.examples
    assert chain.dropped_others == sum(not item.article for item in sample)


def test_eval_filters_scores_the_shared_sets_when_they_are_there(capsys):
    from corpus.cli import main
    from corpus.commands.eval_extract import DEFAULT_EVAL_DIR

    if not DEFAULT_EVAL_DIR.is_dir():
        pytest.skip(f"../shared/eval not found at {DEFAULT_EVAL_DIR}")
    assert main(["eval-filters"]) == 0
    out = capsys.readouterr().out
    assert "news_zh_dev links" in out and "| `all` |" in out


def test_eval_filters_says_when_its_folder_holds_none_of_the_gold_sets(tmp_path: Path, capsys):
    """Given one set's own folder instead of the folder of sets, it scored the sample sites alone, silently."""
    from corpus.cli import main

    (tmp_path / "html").mkdir()
    (tmp_path / "items.jsonl").write_text("", encoding="utf-8")
    assert main(["eval-filters", "--data", str(tmp_path)]) == 0
    assert f"none of the gold sets cwce_zh, cleaneval_zh, news_zh_dev, scrapinghub_aeb_en at {tmp_path}" \
        in capsys.readouterr().err


def test_eval_filters_names_a_broken_gold_set(tmp_path: Path):
    from corpus.cli import main

    (tmp_path / "cwce_zh").mkdir()
    (tmp_path / "cwce_zh" / "items.jsonl").write_text('{"id": "p1"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="zhnews eval-filters: .*cwce_zh.*items.jsonl line 1: no html_file"):
        main(["eval-filters", "--data", str(tmp_path)])
