"""The document record: the published schema every stage after the crawl agrees on.

Rows of this shape land in `data/docs/<run>/*.parquet`, `data/rejects/...` (with two more columns)
and the published dataset. The working document that carries a page through the processing steps is
`cleaning.document.Document`; it writes exactly these columns. This module imports nothing of ours.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import urlsplit

import pyarrow as pa

# What `pii` counts (the masking itself: cleaning/text/pii.py, whose kinds a test holds equal to these).
PII_KINDS = ("email", "phone", "id_number", "bank_card")

# The quality signals stored per document (computed by cleaning/text/signals.py, whose SIGNALS a test
# holds equal to these names): counted on characters and lines, so a consumer can re-filter.
QUALITY_SIGNALS: list[tuple[str, pa.DataType, str]] = [
    ("cjk_share", pa.float64(), "Han characters / non-space characters"),
    ("lines", pa.int64(), "non-empty lines (paragraphs)"),
    ("mean_line_chars", pa.float64(), "mean characters per line"),
    ("line_punct_share", pa.float64(), "share of lines ending in sentence-final punctuation"),
    ("dup_line_frac", pa.float64(), "share of lines repeating an earlier line"),
    ("dup_line_char_frac", pa.float64(), "share of characters in repeated lines"),
    ("top_2gram_share", pa.float64(), "characters covered by the most frequent character 2-gram"),
    ("top_3gram_share", pa.float64(), "the same for 3-grams"),
    ("top_4gram_share", pa.float64(), "the same for 4-grams"),
    ("short_line_share", pa.float64(), "share of lines under 15 characters (headlines, labels, list items)"),
    ("timestamp_line_share", pa.float64(), "share of lines under 40 characters holding a date or a time"),
    ("counter_line_share", pa.float64(), "share of lines under 40 characters with a view/comment counter"),
    ("link_like_line_share", pa.float64(), "share of lines under 40 characters without any punctuation (headlines)"),
    ("damage", pa.int64(), "characters the repair steps could not restore (U+FFFD, lost '?')"),
]

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
    (pa.field("language", pa.string()),
     "zh, yue (Cantonese) or another code; decided by script rules, scored by fastText lid.176 (lite)"),
    (pa.field("language_score", pa.float64()),
     "detector probability of `language` (for zh: of all Han-script languages)"),
    (pa.field("script", pa.string()), "Hans, Hant or mixed (characters OpenCC changes one way only)"),
    (pa.field("quality", pa.struct([(name, kind) for name, kind, _ in QUALITY_SIGNALS])),
     "quality signals the filters read (their thresholds: the card's \"Filters and thresholds\")"),
    (pa.field("pages", pa.int64()), "pages of a paginated article joined into `text` (1: a one-page article)"),
    (pa.field("pages_missing", pa.int64()),
     "pages of a paginated article that could not be fetched (0: the text is whole)"),
    (pa.field("dup_cluster_id", pa.string()), "id of the near-duplicate cluster (the kept copy's id); set by dedup"),
    (pa.field("dup_cluster_size", pa.int64()),
     "copies found of this document when its run was deduplicated (1: unique)"),
    (pa.field("warc_file", pa.string()), "WARC file holding the raw response"),
    (pa.field("warc_offset", pa.int64()), "byte offset of the response record in that file"),
]

RECORD_SCHEMA = pa.schema([column for column, _ in _COLUMNS])
COLUMN_DOCS = {column.name: meaning for column, meaning in _COLUMNS}

# A rejected document keeps every record column (most may be empty) plus why and where it dropped;
# a duplicate also names the kept document it duplicates, and how similar the two are.
REJECT_SCHEMA = pa.schema([
    *RECORD_SCHEMA,
    pa.field("reject_step", pa.string(), nullable=False),
    pa.field("reject_reason", pa.string(), nullable=False),
    pa.field("duplicate_of", pa.string()),
    pa.field("similarity", pa.float64()),
])


def document_id(url: str) -> str:
    """Stable id: the same canonical URL always gets the same id, across runs and machines."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1024)
def domain_of(url: str) -> str:
    """host[:port], lower-cased: two sites served from one host on two ports stay apart. Cached: a
    document's steps and writers ask for it five times."""
    parts = urlsplit(url)
    return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
