"""The document record: the published schema every stage after the crawl agrees on.

Rows of this shape land in `data/docs/<run>/*.parquet`, `data/rejects/...` (with two more columns)
and the published dataset. The working document that carries a page through the processing steps is
`cleaning.document.Document`; it writes exactly these columns. This module imports nothing of ours.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pyarrow as pa

# What `pii` counts (the masking itself: cleaning/text/pii.py, whose kinds a test holds equal to these).
PII_KINDS = ("email", "phone", "id_number", "bank_card")

# Every column once: its arrow field (in column order) and what it means (the card prints this table).
# Adding a column: add it here and to the working Document (or Metadata); tests/test_record.py checks both.
_COLUMNS: list[tuple[pa.Field, str]] = [
    (pa.field("id", pa.string(), nullable=False), "stable id: first 16 hex digits of SHA-1 of the URL"),
    (pa.field("url", pa.string(), nullable=False), "the article URL as fetched (after redirects)"),
    (pa.field("domain", pa.string(), nullable=False), "host[:port] of the URL"),
    (pa.field("site", pa.string()), "the site profile that crawled it"),
    (pa.field("title", pa.string()), "headline"),
    (pa.field("text", pa.string(), nullable=False),
     "clean main text, one paragraph per line; never converted between traditional and simplified"),
    (pa.field("author", pa.string()), "author or reporter, from the page metadata or a byline"),
    (pa.field("editor", pa.string()), "responsible editor (责任编辑), from an editor line"),
    (pa.field("source", pa.string()), "outlet the article was first published by (来源)"),
    (pa.field("photographer", pa.string()), "photo credit (摄影 / 摄)"),
    (pa.field("captions", pa.list_(pa.string())), "photo captions moved out of the text"),
    (pa.field("published_at", pa.string()), "publication time, ISO 8601; +08:00 where the page gives Beijing time"),
    (pa.field("crawled_at", pa.string(), nullable=False), "when the response was fetched (UTC, from the WARC record)"),
    (pa.field("crawl_run", pa.string(), nullable=False), "id of the crawl run that fetched it"),
    (pa.field("period", pa.string(), nullable=False), "crawl period (YYYY-MM): the folder the row is published in"),
    (pa.field("charset", pa.string()), "charset the page was decoded with"),
    (pa.field("extractor", pa.string()), "main-text extractor and version"),
    (pa.field("char_count", pa.int64(), nullable=False), "characters in `text`"),
    (pa.field("cleaning_log", pa.list_(pa.struct([("rule", pa.string()), ("count", pa.int64())]))),
     "how often each cleaning rule changed the text"),
    (pa.field("removed_lines", pa.list_(pa.struct([("rule", pa.string()), ("line", pa.string())]))),
     "lines removed by cleaning rules, with the rule"),
    (pa.field("pii", pa.struct([(kind, pa.int64()) for kind in PII_KINDS])),
     "personal data masked in `text`, per kind: <EMAIL>, <PHONE>, <ID_NUMBER> (checksum-valid), <BANK_CARD> (Luhn)"),
    (pa.field("warc_file", pa.string()), "WARC file holding the raw response"),
    (pa.field("warc_offset", pa.int64()), "byte offset of the response record in that file"),
]

RECORD_SCHEMA = pa.schema([column for column, _ in _COLUMNS])
COLUMN_DOCS = {column.name: meaning for column, meaning in _COLUMNS}

# A rejected document keeps every record column (most may be empty) plus why and where it dropped.
REJECT_SCHEMA = RECORD_SCHEMA.append(pa.field("reject_step", pa.string(), nullable=False)).append(
    pa.field("reject_reason", pa.string(), nullable=False)
)


def document_id(url: str) -> str:
    """Stable id: the same canonical URL always gets the same id, across runs and machines."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def domain_of(url: str) -> str:
    """host[:port], lower-cased: two sites served from one host on two ports stay apart."""
    parts = urlsplit(url)
    return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
