"""Every knob of `zhnews process`, with its default: the one place processing defaults live.

Dependency-free on purpose: the CLI reads these defaults for `--help` without importing the steps
(and trafilatura with them). Each run records the values it used in `data/stats/<run>/summary.json`,
and the dataset card states them from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The filter and dedup thresholds, with their published sources: one annotated file.
THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")


def load_thresholds(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The packaged thresholds, overridden section by section and key by key by `path`'s.

    A section or key the packaged file does not know is an error: a typo must not pass silently.
    """
    values: dict[str, dict[str, Any]] = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    if path is None:
        return values
    try:
        overrides = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(overrides, dict):
        raise ValueError(f"{path}: expected sections of thresholds, got {type(overrides).__name__}")
    for section, settings in overrides.items():
        if section not in values:
            raise ValueError(f"{path}: unknown thresholds section {section!r} (known: {', '.join(values)})")
        if not isinstance(settings, dict):
            example = next(iter(values[section].items()))
            raise ValueError(f"{path}: {section} holds keys and values (like `{section}: {{{example[0]}: "
                             f"{example[1]}}}`), got {settings!r}")
        unknown = set(settings) - set(values[section])
        if unknown:
            raise ValueError(f"{path}: unknown key(s) in {section}: {', '.join(sorted(unknown))}")
        for key, value in settings.items():
            _check_type(path, section, key, value, values[section][key])
            _check_range(path, section, key, value)
        values[section].update(settings)
    _check_bands(path, values["dedup"])
    return values


def _check_type(path: Path, section: str, key: str, value: Any, packaged: Any) -> None:
    """A value of the packaged value's kind: a number for a number (a whole one for a whole one), a
    list for a list; `min_chars: fifty` is refused when loaded, not on the first document."""
    if isinstance(packaged, bool):
        ok = isinstance(value, bool)
    elif isinstance(packaged, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(packaged, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(packaged))
    if not ok:
        raise ValueError(f"{path}: {section}.{key} must be {type(packaged).__name__} like {packaged!r}, "
                         f"got {value!r}")


# thresholds that are shares of something (of characters, lines, n-grams; a probability; a Jaccard)
_PROPORTIONS = ("share", "frac", "score", "jaccard")
# counts that must be at least one: a shingle's length, the MinHash size and its bands
_AT_LEAST_ONE = {("dedup", "ngram"), ("dedup", "permutations"), ("dedup", "bands")}
# the band's number is kept in a bucket key's top byte (cleaning/dedup/minhash.py)
MAX_BANDS = 255


def _check_range(path: Path, section: str, key: str, value: Any) -> None:
    """A value the step can use: a share within 0-1 (`min_share: 7` would drop every document, and
    the run would count as done), a count not below zero (one for the dedup's sizes)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    if any(word in key for word in _PROPORTIONS):
        low, high = 0.0, 1.0
    else:
        low, high = (1 if (section, key) in _AT_LEAST_ONE else 0), float("inf")
    if not low <= value <= high:
        within = f"between {low:g} and {high:g}" if high < float("inf") else f"at least {low:g}"
        raise ValueError(f"{path}: {section}.{key} must be {within}, got {value!r}")


def _check_bands(path: Path, dedup: Mapping[str, Any]) -> None:
    """Each band takes `permutations // bands` rows of the signature: at least one."""
    if not 1 <= dedup["bands"] <= min(dedup["permutations"], MAX_BANDS):
        raise ValueError(f"{path}: dedup.bands must be between 1 and dedup.permutations "
                         f"({dedup['permutations']}, at most {MAX_BANDS}), got {dedup['bands']}")


@dataclass(frozen=True)
class ProcessConfig:
    # the composition, loaded by name like Scrapy's components: a function (config, layout) → steps
    pipeline: str = "cleaning.pipeline.build_steps"
    # decode: bodies larger than this are dropped as `too_large` (a news page is well under 1 MiB)
    max_page_bytes: int = 8 * 1024 * 1024
    # extract: wall-clock budget per page; pathological markup is dropped as `timeout`
    page_timeout_seconds: float = 30.0  # wall-clock seconds for one page through every step
    # extract: most pages of an e-paper PDF (one or two make an e-paper page; a longer PDF is no article)
    max_pdf_pages: int = 4
    # strip_repeated_lines: a line in at least this many documents of a domain ...
    repeated_line_min_docs: int = 5
    # ... and in at least this share of them is that site's furniture (CCNet-style)
    repeated_line_min_share: float = 0.1
    # the filter steps' thresholds, section per step (cleaning/thresholds.yaml)
    thresholds: Mapping[str, Mapping[str, Any]] = field(default_factory=load_thresholds)
    # site → XPath of containers to delete before extraction; from each run's site profiles
    prune_xpath: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        """The values as JSON-ready data, for the run's summary."""
        values = dataclasses.asdict(self)
        values["thresholds"] = {section: dict(settings) for section, settings in self.thresholds.items()}
        values["prune_xpath"] = {site: list(paths) for site, paths in sorted(self.prune_xpath.items())}
        return values
