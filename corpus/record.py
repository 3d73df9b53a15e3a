"""The document record: the one shape every stage after the crawl agrees on.

`Document` travels through the processing steps. Its *record fields* are what lands in
`data/docs/<run>/*.parquet`, `data/rejects/...` and the published dataset; its *transient fields*
(raw bytes, decoded HTML) exist only while a shard is processed and are never written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

# The parquet schema of a kept document, in column order. Adding a column: add it here and to
# `Document`; `tests/test_record.py` checks that the two agree.
RECORD_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("domain", pa.string(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("author", pa.string()),
        pa.field("editor", pa.string()),
        pa.field("source", pa.string()),
        pa.field("photographer", pa.string()),
        pa.field("captions", pa.list_(pa.string())),
        pa.field("published_at", pa.string()),
        pa.field("crawled_at", pa.string(), nullable=False),
        pa.field("crawl_run", pa.string(), nullable=False),
        pa.field("period", pa.string(), nullable=False),
        pa.field("charset", pa.string()),
        pa.field("extractor", pa.string()),
        pa.field("char_count", pa.int64(), nullable=False),
        pa.field("cleaning_log", pa.list_(pa.struct([("rule", pa.string()), ("count", pa.int64())]))),
        pa.field("removed_lines", pa.list_(pa.struct([("rule", pa.string()), ("line", pa.string())]))),
        pa.field("warc_file", pa.string()),
        pa.field("warc_offset", pa.int64()),
    ]
)

# What each column means; the dataset card prints this table.
COLUMN_DOCS = {
    "id": "stable id: first 16 hex digits of SHA-1 of the URL",
    "url": "the article URL as fetched (after redirects)",
    "domain": "host[:port] of the URL",
    "site": "the site profile that crawled it",
    "title": "headline",
    "text": "clean main text, one paragraph per line; never converted between traditional and simplified",
    "author": "author or reporter, from the page metadata or a byline",
    "editor": "responsible editor (责任编辑), from an editor line",
    "source": "outlet the article was first published by (来源)",
    "photographer": "photo credit (摄影 / 摄)",
    "captions": "photo captions moved out of the text",
    "published_at": "publication time, ISO 8601; +08:00 where the page gives Beijing time",
    "crawled_at": "when the response was fetched (UTC, from the WARC record)",
    "crawl_run": "id of the crawl run that fetched it",
    "period": "crawl period (YYYY-MM): the folder the row is published in",
    "charset": "charset the page was decoded with",
    "extractor": "main-text extractor and version",
    "char_count": "characters in `text`",
    "cleaning_log": "how often each cleaning rule changed the text",
    "removed_lines": "lines removed by cleaning rules, with the rule",
    "warc_file": "WARC file holding the raw response",
    "warc_offset": "byte offset of the response record in that file",
}

# A rejected document keeps every record column (most may be empty) plus why and where it dropped.
REJECT_SCHEMA = RECORD_SCHEMA.append(pa.field("reject_step", pa.string(), nullable=False)).append(
    pa.field("reject_reason", pa.string(), nullable=False)
)


def document_id(url: str) -> str:
    """Stable id: the same canonical URL always gets the same id, across runs and machines."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


@dataclass
class Document:
    """One page on its way from a WARC record to a dataset row."""

    url: str
    crawled_at: str
    crawl_run: str
    period: str
    warc_file: str | None = None
    warc_offset: int | None = None
    site: str | None = None
    title: str | None = None
    text: str = ""
    author: str | None = None
    editor: str | None = None
    source: str | None = None
    photographer: str | None = None
    captions: list[str] = field(default_factory=list)
    published_at: str | None = None
    charset: str | None = None
    extractor: str | None = None
    cleaning_log: dict[str, int] = field(default_factory=dict)
    removed_lines: list[dict[str, str]] = field(default_factory=list)
    # transient: the HTTP response, only while the shard is processed
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)
    html: str = field(default="", repr=False)

    @property
    def id(self) -> str:
        return document_id(self.url)

    @property
    def domain(self) -> str:
        """host[:port], lower-cased: two sites served from one host on two ports stay apart."""
        parts = urlsplit(self.url)
        return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")

    def log(self, rule: str, count: int = 1, removed: list[str] | None = None) -> None:
        """Record that `rule` changed the text `count` times, and which lines it removed."""
        if count:
            self.cleaning_log[rule] = self.cleaning_log.get(rule, 0) + count
        for line in removed or ():
            self.removed_lines.append({"rule": rule, "line": line})

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Document:
        """Rebuild a document from its stored record (derived columns are recomputed, not read)."""
        own = {f.name for f in fields(cls)}
        values = {k: v for k, v in record.items() if k in own and k != "cleaning_log"}
        doc = cls(**values)
        doc.cleaning_log = {entry["rule"]: entry["count"] for entry in record.get("cleaning_log") or []}
        return doc

    def to_record(self) -> dict[str, Any]:
        """The columns of `RECORD_SCHEMA`, in order."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(id=self.id, domain=self.domain, char_count=len(self.text))
        # a list of structs, not a map: `datasets` has no feature type for arrow maps
        values["cleaning_log"] = [{"rule": r, "count": n} for r, n in self.cleaning_log.items()]
        return {name: values[name] for name in RECORD_SCHEMA.names}
