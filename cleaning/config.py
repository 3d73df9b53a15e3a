"""Every knob of `zhnews process`, with its default: the one place processing defaults live.

Dependency-free on purpose: the CLI reads these defaults for `--help` without importing the steps
(and trafilatura with them). Each run records the values it used in `data/stats/<run>/summary.json`,
and the dataset card states them from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProcessConfig:
    # the composition, loaded by name like Scrapy's components: a function (config, layout) → steps
    pipeline: str = "cleaning.pipeline.build_steps"
    # decode: bodies larger than this are dropped as `too_large` (a news page is well under 1 MiB)
    max_page_bytes: int = 8 * 1024 * 1024
    # extract: wall-clock budget per page; pathological markup is dropped as `timeout`
    extract_timeout_seconds: float = 30.0
    # extract: pages of an e-paper PDF read (one or two make an e-paper page; more is no article)
    max_pdf_pages: int = 4
    # min_length: shorter cleaned texts are teasers or empty shells
    min_chars: int = 50
    # strip_repeated_lines: a line in at least this many documents of a domain ...
    repeated_line_min_docs: int = 5
    # ... and in at least this share of them is that site's furniture (CCNet-style)
    repeated_line_min_share: float = 0.1
    # site → XPath of containers to delete before extraction; from each run's site profiles
    prune_xpath: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        """The values as JSON-ready data, for the run's summary."""
        values = dataclasses.asdict(self)
        values["prune_xpath"] = {site: list(paths) for site, paths in sorted(self.prune_xpath.items())}
        return values
