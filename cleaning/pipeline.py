"""The processing pipeline, composed in one place: read this file to know what happens to a page."""

from __future__ import annotations

import importlib

from cleaning.config import ProcessConfig
from cleaning.steps.base import Step
from cleaning.steps.decode import Decode
from cleaning.steps.extract import Extract
from cleaning.steps.filters import MinLength
from cleaning.steps.repeated_lines import StripRepeatedLines
from cleaning.steps.text import text_steps
from corpus.layout import DataLayout


def build_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    """decode → extract → repair → strip furniture → filter. Each step may drop a page, with a reason.

    The text repair and furniture steps, and why they run in their order: `cleaning/steps/text.py`.
    `strip_repeated_lines` is a corpus step: it learns each domain's furniture from all documents
    (`layout.lines_db`), so the runner has every document observed before it applies
    (`cleaning/run/shard.py`).
    """
    return [
        Decode(max_bytes=config.max_page_bytes),
        Extract(config.extract_timeout_seconds, config.max_pdf_pages, prune_xpath=config.prune_xpath),
        *text_steps(),
        StripRepeatedLines(layout.lines_db, config.repeated_line_min_docs, config.repeated_line_min_share),
        MinLength(min_chars=config.min_chars),
    ]


def pipeline_steps(config: ProcessConfig, layout: DataLayout) -> list[Step]:
    """Fresh steps of the pipeline `config.pipeline` names (`build_steps` unless told otherwise)."""
    module, _, name = config.pipeline.rpartition(".")
    return getattr(importlib.import_module(module), name)(config, layout)
