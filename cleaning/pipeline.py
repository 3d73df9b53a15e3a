"""The processing pipeline, composed in one place: read this file to know what happens to a page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cleaning.decode import Decode
from cleaning.extract import Extract
from cleaning.filters import MinLength
from cleaning.repeated_lines import StripRepeatedLines
from cleaning.step import Step
from cleaning.text_steps import text_steps


@dataclass(frozen=True)
class ProcessConfig:
    """Every knob of `zhnews process`, with its default; the CLI overrides them by flag."""

    max_page_bytes: int = 8 * 1024 * 1024
    extract_timeout_seconds: float = 30.0
    min_chars: int = 50
    repeated_line_min_docs: int = 5
    repeated_line_min_share: float = 0.1
    # site → XPath of containers to delete before extraction; from each run's site profiles
    prune_xpath: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def build_steps(config: ProcessConfig, data_dir: Path) -> list[Step]:
    """decode → extract → repair → strip furniture → filter. Each step may drop a page, with a reason.

    The text repair and furniture steps, and why they run in their order: `cleaning/text_steps.py`.
    `strip_repeated_lines` learns each domain's furniture from all documents (`data_dir/lines.sqlite`),
    so the runner has every document observed before it applies (see `cleaning/runner.py`).
    """
    return [
        Decode(max_bytes=config.max_page_bytes),
        Extract(timeout_seconds=config.extract_timeout_seconds, prune_xpath=config.prune_xpath),
        *text_steps(),
        StripRepeatedLines(data_dir / "lines.sqlite", config.repeated_line_min_docs, config.repeated_line_min_share),
        MinLength(min_chars=config.min_chars),
    ]
