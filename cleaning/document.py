"""The working document: one page on its way from a WARC record to a record row (`corpus.record`).

Its metadata fields come from `Metadata` (one definition for extraction, credits and the record);
its *transient* fields (HTTP status, headers, raw bytes, decoded HTML) exist only while a shard is
processed and are never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from cleaning.text.metadata import Metadata
from corpus.record import PII_KINDS, RECORD_SCHEMA, document_id, domain_of


@dataclass(frozen=True)
class Response:
    """An archived HTTP response: a later page of a paginated article, while it is processed."""
    headers: dict[str, str]
    body: bytes


@dataclass(kw_only=True)
class Document(Metadata):
    url: str
    crawled_at: str
    crawl_run: str
    period: str
    warc_file: str | None = None
    warc_offset: int | None = None
    site: str | None = None
    text: str = ""
    charset: str | None = None
    extractor: str | None = None
    cleaning_log: dict[str, int] = field(default_factory=dict)
    removed_lines: list[dict[str, str]] = field(default_factory=list)
    pii: dict[str, int] = field(default_factory=dict)  # kind → how many were masked
    language: str | None = None
    language_score: float | None = None
    script: str | None = None
    quality: dict[str, float | int] | None = None  # signal → value (cleaning/text/signals.py)
    pages: int = 1  # pages of a paginated article joined into `text`
    pages_missing: int = 0  # pages of it that could not be fetched: the text is incomplete
    dup_cluster_id: str | None = None  # set by the dedup stage, never by processing
    dup_cluster_size: int | None = None
    # transient: the HTTP response, only while the shard is processed
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)
    html: str = field(default="", repr=False)
    later_pages: list[Response] = field(default_factory=list, repr=False)  # pages 2…n, raw, then decoded
    later_html: list[str] = field(default_factory=list, repr=False)

    @property
    def id(self) -> str:
        return document_id(self.url)

    @property
    def domain(self) -> str:
        return domain_of(self.url)

    def log(self, rule: str, count: int = 1, removed: list[str] | None = None) -> None:
        """Record that `rule` changed the text `count` times, and which lines it removed."""
        if count:
            self.cleaning_log[rule] = self.cleaning_log.get(rule, 0) + count
        for line in removed or ():
            self.removed_lines.append({"rule": rule, "line": line})

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Document:
        """Rebuild a document from its stored record (derived columns are recomputed, not read)."""
        values = {k: v for k, v in record.items() if k in _FIELDS and k != "cleaning_log"}
        values["pii"] = dict(record.get("pii") or {})
        values["quality"] = dict(record["quality"]) if record.get("quality") else None
        doc = cls(**values)
        doc.cleaning_log = {entry["rule"]: entry["count"] for entry in record.get("cleaning_log") or []}
        return doc

    def to_record(self) -> dict[str, Any]:
        """The columns of `RECORD_SCHEMA`, in order."""
        derived = {
            "id": self.id, "domain": self.domain, "char_count": len(self.text),
            # a list of structs, not a map: `datasets` has no feature type for arrow maps
            "cleaning_log": [{"rule": r, "count": n} for r, n in self.cleaning_log.items()],
            "pii": {kind: self.pii.get(kind, 0) for kind in PII_KINDS},
        }
        return {name: derived[name] if name in derived else getattr(self, name) for name in _RECORD_COLUMNS}


_FIELDS = frozenset(f.name for f in fields(Document))
_RECORD_COLUMNS = tuple(RECORD_SCHEMA.names)  # read once: the schema builds the list on every access
