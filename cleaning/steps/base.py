"""The step contract: one small object per job, each with its own counters.

A step looks at a `Document`, may change it in place, and either keeps it (returns None) or drops
it (returns a short reason string). The runner writes dropped documents to
`data/rejects/<run>/<step name>/` with that reason, so nothing vanishes silently.

Counters follow Scrapy's stats grammar, `a/b/c`: every step counts `kept`, `dropped` and
`dropped/<reason>` (`count_drop`, the only place a drop is counted), plus keys of its own (`charset/gbk`,
`furniture/<rule>`); the run summary prefixes them with the step's name.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable
from typing import Any

from cleaning.document import Document


def first_paragraph(docstring: str) -> str:
    """A docstring's first paragraph on one line: whole sentences, never a line cut mid-sentence."""
    return " ".join(docstring.split("\n\n")[0].split())


class Step(ABC):
    """Base class for every processing step; subclasses set `name` and implement `apply`."""

    name: str = "step"

    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()

    @abstractmethod
    def apply(self, doc: Document) -> str | None:
        """Change `doc` in place; return None to keep it, or the reason it is dropped."""

    def __call__(self, doc: Document) -> str | None:
        reason = self.apply(doc)
        if reason:
            self.count_drop(reason)
        else:
            self.counters["kept"] += 1
        return reason

    def count_drop(self, reason: str) -> None:
        """Count a drop: one `apply` asked for, or the runner's when the page ran out of time here."""
        self.counters["dropped"] += 1
        self.counters[f"dropped/{reason}"] += 1

    def describe(self) -> str:
        """One line saying what the step does (the dataset card lists the steps with it)."""
        return first_paragraph(inspect.getdoc(type(self)) or self.name)

    def count(self, key: str, n: int = 1) -> None:
        """Bump one of this step's own counters (they end up in data/stats/<run>/)."""
        self.counters[key] += n


class CorpusStep(Step):
    """A step that must see the whole corpus before it can judge one document (repeated lines, dedup).

    A pipeline may hold several; each opens a phase of the run (`cleaning/run/shard.py`). In the
    phase before it, `observe` sees every document that survives the steps before it, in every
    shard; `observations()` is stored per shard and merged into the step's persistent index with
    `commit`, once per run for all its shards, so the index grows across runs. Once all shards are
    observed, `prepare` runs once per run, and what it returns is handed to every worker of the
    step's own phase through `use`, before `apply`.
    """

    @abstractmethod
    def observe(self, doc: Document) -> None:
        """Take note of `doc` (in the phase before this step's); `observations()` returns the shard's notes."""

    @abstractmethod
    def observations(self) -> Any:
        """What `observe` collected in this shard, as JSON-compatible data."""

    @abstractmethod
    def commit(self, shards: Iterable[tuple[str, Any]]) -> None:
        """Merge each shard's observations, given as (shard key, observations), into the persistent
        index; a key already merged is skipped. The index is opened once for them all."""

    @abstractmethod
    def prepare(self) -> Any:
        """Read what `apply` needs from the index, once per run; the result must pickle."""

    @abstractmethod
    def use(self, prepared: Any) -> None:
        """Take what `prepare` returned, in the worker that applies the step."""


class TextRule(Step):
    """A step that rewrites `doc.text` with one pure function and logs how often it fired.

    Subclasses implement `rewrite(text) -> (new_text, count, removed_lines)`; keeping the logic in a
    pure function lets `zhnews clean-text` run the same rules on plain text files.
    """

    @abstractmethod
    def rewrite(self, text: str) -> tuple[str, int, list[str]]:
        """Return the new text, how many changes were made, and any whole lines removed."""

    def apply(self, doc: Document) -> str | None:
        new_text, changes, removed = self.rewrite(doc.text)
        if changes:
            doc.text = new_text
            doc.log(self.name, changes, removed)
            self.count("changed_docs")
            self.count("changes", changes)
        return None
