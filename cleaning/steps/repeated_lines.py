"""Per-domain repeated lines, CCNet-style: a line found in many of one domain's documents is furniture.

Rules catch the furniture we have seen before ("相关阅读", share prompts); this catches what each site
invents on its own ("扫一扫，用手机看新闻", a slogan under every article) by counting, per domain, in
how many documents each line occurs. The counts live in `data/lines.sqlite` and grow with every run,
so a site's furniture is learned once and removed from all later documents too.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaning.document import Document
from cleaning.steps.base import CorpusStep
from corpus.files import open_sqlite

_SPACES = re.compile(r"\s+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS domain_docs (domain TEXT PRIMARY KEY, docs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS line_docs (
    domain TEXT NOT NULL, line INTEGER NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY (domain, line)
);
CREATE TABLE IF NOT EXISTS merged (key TEXT PRIMARY KEY);
"""


def line_hash(line: str) -> int:
    """64-bit hash of a line with its white space folded; fits SQLite's INTEGER."""
    folded = _SPACES.sub(" ", line).strip()
    return int.from_bytes(hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class LineIndex:
    """How many documents of each domain contain each line, over every run merged so far."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = open_sqlite(path, "delete it: each domain's repeated lines are learned again from the next "
                              "runs (until then, fewer furniture lines are removed)")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def commit(self, key: str, docs: dict[str, int], lines: dict[str, dict[str, int]]) -> bool:
        """Add one shard's counts in one transaction; False when `key` was merged before."""
        with self.db:
            if self.db.execute("SELECT 1 FROM merged WHERE key = ?", (key,)).fetchone():
                return False
            self.db.execute("INSERT INTO merged (key) VALUES (?)", (key,))
            self.db.executemany(
                "INSERT INTO domain_docs VALUES (?, ?) ON CONFLICT(domain) DO UPDATE SET docs = docs + excluded.docs",
                docs.items(),
            )
            self.db.executemany(
                "INSERT INTO line_docs VALUES (?, ?, ?) "
                "ON CONFLICT(domain, line) DO UPDATE SET docs = docs + excluded.docs",
                ((domain, int(h), n) for domain, counts in lines.items() for h, n in counts.items()),
            )
        return True

    def repeated(self, min_docs: int, min_share: float) -> dict[str, set[int]]:
        """Per domain, the lines in at least `min_docs` documents and `min_share` of the domain's documents."""
        rows = self.db.execute(
            """SELECT l.domain, l.line FROM line_docs l JOIN domain_docs d ON d.domain = l.domain
               WHERE l.docs >= ? AND l.docs >= ? * d.docs""",
            (min_docs, min_share),
        )
        found: dict[str, set[int]] = defaultdict(set)
        for domain, line in rows:
            found[domain].add(line)
        return dict(found)

    def close(self) -> None:
        self.db.close()


class StripRepeatedLines(CorpusStep):
    """Remove lines that recur across a large share of the same domain's documents (site furniture)."""

    name = "strip_repeated_lines"

    def __init__(self, index_path: Path, min_docs: int, min_share: float) -> None:
        super().__init__()
        self.index_path, self.min_docs, self.min_share = index_path, min_docs, min_share
        self._docs: Counter[str] = Counter()
        self._lines: dict[str, Counter[int]] = defaultdict(Counter)
        self._repeated: dict[str, set[int]] = {}

    def observe(self, doc: Document) -> None:
        self._docs[doc.domain] += 1
        self._lines[doc.domain].update({line_hash(line) for line in doc.text.split("\n") if line.strip()})

    def observations(self) -> dict[str, Any]:
        return {"docs": dict(self._docs),
                "lines": {domain: {str(h): n for h, n in counts.items()} for domain, counts in self._lines.items()}}

    def commit(self, shards: Iterable[tuple[str, dict[str, Any]]]) -> None:
        index = LineIndex(self.index_path)
        try:
            for key, observations in shards:
                index.commit(key, observations["docs"], observations["lines"])
        finally:
            index.close()

    def prepare(self) -> dict[str, set[int]]:
        index = LineIndex(self.index_path)
        try:
            return index.repeated(self.min_docs, self.min_share)
        finally:
            index.close()

    def use(self, prepared: dict[str, set[int]]) -> None:
        self._repeated = prepared

    def apply(self, doc: Document) -> str | None:
        repeated = self._repeated.get(doc.domain)
        if not repeated:
            return None
        kept, removed = [], []
        for line in doc.text.split("\n"):
            (removed if line.strip() and line_hash(line) in repeated else kept).append(line)
        if removed:
            doc.text = "\n".join(kept)
            doc.log(self.name, len(removed), removed)
            self.count("lines_removed", len(removed))
        return None
