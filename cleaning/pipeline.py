"""The processing pipeline, composed in one place: read this file to know what happens to a page."""

from __future__ import annotations

import importlib

from cleaning.config import ProcessConfig
from cleaning.steps.annotate import AnnotateLanguage, MeasureQuality
from cleaning.steps.base import Step
from cleaning.steps.decode import Decode
from cleaning.steps.extract import Extract
from cleaning.steps.filters import CjkShare, LanguageFilter, LinePunctuation, ListPage, MinLength, Repetition, Withdrawn
from cleaning.steps.repeated_lines import StripRepeatedLines
from cleaning.steps.text import text_steps
from corpus.layout import DataLayout
from corpus.withdrawn import Blocklist


def build_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    """withdrawn → decode → extract → repair → strip furniture → annotate → filter. Each step may drop a page,
    with a reason; annotation steps never do. Thresholds: `config.thresholds` (cleaning/thresholds.yaml).

    The text repair and furniture steps, and why they run in their order: `cleaning/steps/text.py`.
    `strip_repeated_lines` is a corpus step: it learns each domain's furniture from all documents
    (`layout.lines_db`), so the runner has every document observed before it applies
    (`cleaning/run/shard.py`).
    """
    thresholds = config.thresholds
    return [
        Withdrawn(Blocklist.load(layout.withdrawn)),
        Decode(max_bytes=config.max_page_bytes),
        Extract(config.page_timeout_seconds, config.max_pdf_pages, prune_xpath=config.prune_xpath),
        *text_steps(),
        StripRepeatedLines(layout.lines_db, config.repeated_line_min_docs, config.repeated_line_min_share),
        AnnotateLanguage(),
        MeasureQuality(),
        MinLength(thresholds["min_length"]),
        LanguageFilter(thresholds["language"]),
        CjkShare(thresholds["cjk_share"]),
        Repetition(thresholds["repetition"]),
        LinePunctuation(thresholds["line_punct"]),
        ListPage(thresholds["list_page"]),
    ]


def pipeline_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    """Fresh steps of the pipeline `config.pipeline` names (`build_steps` unless told otherwise)."""
    module, _, name = config.pipeline.rpartition(".")
    return getattr(importlib.import_module(module), name)(config, layout)
