"""The working Document and the record schema with its column docs must agree."""

from dataclasses import fields

import pyarrow as pa

from cleaning.document import Document
from corpus.record import COLUMN_DOCS, RECORD_SCHEMA, document_id


def test_every_schema_column_is_documented_and_filled():
    assert set(COLUMN_DOCS) == set(RECORD_SCHEMA.names)
    doc = Document(url="https://news.example.cn/a/1.html", crawled_at="2026-11-01T00:00:00Z",
                   crawl_run="r1", period="2026-11", text="正文")
    record = doc.to_record()
    assert list(record) == RECORD_SCHEMA.names
    pa.Table.from_pylist([record], schema=RECORD_SCHEMA)  # types agree, or this raises


def test_transient_fields_never_reach_the_record():
    transient = {"status", "headers", "body", "html", "later_pages", "later_html"}
    assert transient <= {f.name for f in fields(Document)}
    assert not transient & set(RECORD_SCHEMA.names)


def test_id_is_stable_and_domain_keeps_the_port():
    doc = Document(url="http://127.0.0.1:8001/x.html", crawled_at="", crawl_run="", period="")
    assert doc.id == document_id("http://127.0.0.1:8001/x.html") == doc.to_record()["id"]
    assert doc.domain == "127.0.0.1:8001"


def test_log_accumulates_counts_and_removed_lines():
    doc = Document(url="u", crawled_at="", crawl_run="", period="")
    doc.log("furniture", 2, ["相关阅读", "加载更多"])
    doc.log("furniture", 1)
    doc.log("never_fired", 0)
    record = doc.to_record()
    assert record["cleaning_log"] == [{"rule": "furniture", "count": 3}]
    assert [r["line"] for r in record["removed_lines"]] == ["相关阅读", "加载更多"]


def test_a_documents_file_reads_back_whole_with_statistics_where_readers_filter(tmp_path):
    """Rows written by the stages' parquet writer come back unchanged; a reader (duckdb, polars) can
    skip row groups by id, date or site, while the long texts carry no min/max copies of themselves."""
    import pyarrow.parquet as pq

    from cleaning.io.doc_files import BatchedParquet

    records = []
    for n in range(3):
        doc = Document(url=f"https://news.example.cn/a/{n}.html", crawled_at="2026-11-01T00:00:00Z",
                       crawl_run="r1", period="2026-11", text="正文" * 400, published_at=f"2026-10-0{n + 1}")
        doc.log("furniture", 1, ["相关阅读"])
        records.append(doc.to_record())
    writer = BatchedParquet(tmp_path / "docs.parquet", RECORD_SCHEMA)
    for record in records:
        writer.add(record)
    writer.close()
    assert pq.read_table(tmp_path / "docs.parquet").to_pylist() == records
    group = pq.read_metadata(tmp_path / "docs.parquet").row_group(0)
    stats = {group.column(i).path_in_schema: group.column(i).is_stats_set for i in range(group.num_columns)}
    assert stats["id"] and stats["published_at"] and stats["site"] and stats["char_count"]
    assert not stats["text"] and not stats["removed_lines.list.element.line"]
