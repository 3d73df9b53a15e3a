"""Precision and recall of each filter on a labelled sample: articles to keep, non-articles to drop.

The sample, built from what we have (never committed, never tuned page by page; the sample sites'
pages come from the caller, since processing does not import the crawler):
- articles: the sample sites' articles as the pipeline extracts them, and the gold texts of the
  Chinese gold sets (cwce_zh, cleaneval_zh, news_zh_dev);
- non-articles: the sample sites' listing, home and section pages as the pipeline extracts them;
  from every Chinese gold page, its link texts one per line (a page's navigation, related and
  hot lists: what a listing that slips through extraction looks like); and the English gold texts
  of scrapinghub_aeb_en (articles, but not Chinese ones).

A filter's precision is the share of what it drops that is a non-article; its recall, the share of
non-articles it drops. Each filter is scored alone, on every document, and the chain as a whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaning.config import load_thresholds
from cleaning.document import Document
from cleaning.steps.annotate import Annotation
from cleaning.steps.base import Step

CHINESE_SETS = ("cwce_zh", "cleaneval_zh", "news_zh_dev")
ENGLISH_SETS = ("scrapinghub_aeb_en",)
GOLD_SETS = CHINESE_SETS + ENGLISH_SETS
MIN_LINK_CHARS, MIN_LINKS = 4, 5  # a link list: at least 5 link texts of 4 characters or more


@dataclass(frozen=True)
class Labelled:
    text: str
    article: bool
    origin: str


@dataclass(frozen=True)
class Page:
    """An HTML page of a site whose articles we know (the sample sites)."""

    url: str
    body: bytes
    article: bool
    origin: str


def _extracted(pages: Iterable[Page]) -> Iterable[Labelled]:
    """Pages as the pipeline extracts them (up to the filters); a page extraction drops is left out."""
    from cleaning.eval.harness import pipeline_extractor

    extract = pipeline_extractor(through="mask_pii")
    for page in pages:
        if text := extract(page.body, page.url).text:
            yield Labelled(text, page.article, page.origin)


def _link_list(body: bytes) -> str:
    import lxml.html

    from cleaning.steps.decode import decode_html

    tree = lxml.html.fromstring(decode_html(body, "text/html")[0])
    links = [" ".join(a.text_content().split()) for a in tree.iter("a")]
    links = [link for link in dict.fromkeys(links) if len(link) >= MIN_LINK_CHARS]
    return "\n".join(links) if len(links) >= MIN_LINKS else ""


def _gold_sets(eval_dir: Path) -> Iterable[Labelled]:
    from cleaning.eval.harness import load_set

    for name in GOLD_SETS:
        if not (eval_dir / name / "items.jsonl").is_file():
            continue
        for item in load_set(eval_dir / name):
            yield Labelled(item.gold, name in CHINESE_SETS, name)
            if name in CHINESE_SETS and (links := _link_list(item.body())):
                yield Labelled(links, False, f"{name} links")


def labelled_sample(pages: Iterable[Page], eval_dir: Path | None) -> list[Labelled]:
    """`pages` as extracted, and the gold sets under `eval_dir` when it exists."""
    sample = list(_extracted(pages))
    if eval_dir is not None and eval_dir.is_dir():
        sample += list(_gold_sets(eval_dir))
    return sample


def _scoring_steps(thresholds: dict[str, Any]) -> tuple[list[Step], list[Step]]:
    """The annotation and filter steps of the pipeline, as `cleaning/pipeline.py` composes them."""
    from cleaning.config import ProcessConfig
    from cleaning.pipeline import pipeline_steps
    from cleaning.steps.filters import ThresholdFilter
    from corpus.layout import DataLayout

    # the corpus step (repeated lines) never runs here, so its index folder is never created
    unused_index = DataLayout(Path(tempfile.gettempdir()) / "zhnews-eval")
    steps = pipeline_steps(ProcessConfig(thresholds=thresholds), unused_index)
    return ([step for step in steps if isinstance(step, Annotation)],
            [step for step in steps if isinstance(step, ThresholdFilter)])


@dataclass
class FilterScore:
    name: str
    dropped_articles: int = 0
    dropped_others: int = 0
    examples: list[str] = field(default_factory=list)  # articles it dropped, by origin: what to read when tuning

    def precision(self) -> float:
        dropped = self.dropped_articles + self.dropped_others
        return self.dropped_others / dropped if dropped else 1.0


def score_filters(sample: list[Labelled], thresholds: dict[str, Any] | None = None) -> list[FilterScore]:
    """Each filter alone, then `all` (the chain), over every labelled document."""
    annotate, filters = _scoring_steps(thresholds or load_thresholds())
    scores = {f.name: FilterScore(f.name) for f in filters} | {"all": FilterScore("all")}
    for item in sample:
        doc = Document(url="http://eval/", crawled_at="", crawl_run="eval", period="", text=item.text)
        for step in annotate:
            step.apply(doc)
        dropped_by = [f.name for f in filters if f.apply(doc)]
        for name in dropped_by + (["all"] if dropped_by else []):
            score = scores[name]
            if item.article:
                score.dropped_articles += 1
                score.examples.append(f"{item.origin}: {item.text[:40]!r}")
            else:
                score.dropped_others += 1
    return list(scores.values())


def filter_table(sample: list[Labelled], scores: list[FilterScore]) -> str:
    articles = sum(item.article for item in sample)
    others = len(sample) - articles
    origins = sorted({item.origin for item in sample})
    lines = [f"Labelled sample: {articles} articles, {others} non-articles ({', '.join(origins)}).", "",
             "| filter | drops articles | drops non-articles | precision | recall |", "|---|---|---|---|---|"]
    for score in scores:
        lines.append(f"| `{score.name}` | {score.dropped_articles} | {score.dropped_others} | "
                     f"{score.precision():.3f} | {score.dropped_others / max(1, others):.3f} |")
    return "\n".join(lines) + "\n"
