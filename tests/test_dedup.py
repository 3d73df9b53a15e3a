"""Dedup: same URL, same text, near-copies verified by real Jaccard, across runs through the index."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaning.dedup.index import SqliteDedupIndex, pack_shingles, unpack_shingles
from cleaning.dedup.minhash import jaccard, normalise, shingle_set
from cleaning.dedup.stage import dedup_run, deduplicate_records
from conftest import DEDUP, Crawl, process_dedup_build, sample_profiles, zhnews
from corpus.layout import DataLayout
from corpus.record import RECORD_SCHEMA, document_id, domain_of
from corpus.run_stats import Supersession
from crawler.sample_site import gold, load_articles, serve_sample_sites
from crawler.sample_site.generate import Resource

ARTICLES = [a for a in load_articles() if a.site == "a" and len(a.paragraphs) >= 4]


def record(url: str, text: str, published_at: str | None = "2026-10-12T20:00:00+08:00", run: str = "r1",
           crawled_at: str = "2026-11-01T00:00:00Z") -> dict[str, Any]:
    """A processed document's record, as `zhnews process` writes it."""
    row: dict[str, Any] = dict.fromkeys(RECORD_SCHEMA.names)
    row.update(id=document_id(url), url=url, domain=domain_of(url), text=text, published_at=published_at,
               char_count=len(text), crawled_at=crawled_at, crawl_run=run, period="2026-11")
    return row


def dedup(records: list[dict[str, Any]], index: SqliteDedupIndex, run: str = "r1"):
    decision = deduplicate_records(records, run, index, DEDUP)
    decision.commit(index, decision.summary.as_stats())
    return decision.kept, decision.rejected, decision.superseded


@pytest.fixture
def index(tmp_path: Path) -> SqliteDedupIndex:
    opened = SqliteDedupIndex(tmp_path / "dedup" / "index.sqlite")
    yield opened
    opened.close()


def test_a_reprint_with_other_furniture_and_a_changed_last_paragraph_is_one_cluster(index: SqliteDedupIndex):
    article = ARTICLES[0]
    original = "\n".join(article.paragraphs)
    reprint = "\n".join(["溪山资讯网 > 综合新闻 > 正文", *article.paragraphs[:-1],
                         "记者了解到，相关部门将在下月公布更多细节，敬请关注。", "（来源：澄州晨报）"])
    similarity = jaccard(*(shingle_set(t, DEDUP["ngram"]) for t in (original, reprint)))
    assert DEDUP["jaccard"] <= similarity < 0.95  # a real near-copy, not an exact one
    kept, rejected, _ = dedup([record("http://a.cn/1.html", original),
                               record("http://b.cn/9.html", reprint, "2026-10-13T08:30:00+08:00")], index)
    assert [row["url"] for row in kept] == ["http://a.cn/1.html"]  # the earlier publication is kept
    assert (kept[0]["dup_cluster_id"], kept[0]["dup_cluster_size"]) == (document_id("http://a.cn/1.html"), 2)
    (copy,) = rejected
    assert (copy["reject_step"], copy["reject_reason"]) == ("near_text", "near_duplicate")
    assert copy["duplicate_of"] == kept[0]["id"] and copy["similarity"] == pytest.approx(similarity, abs=1e-4)


def test_two_articles_on_one_event_sharing_their_lead_are_not_merged(index: SqliteDedupIndex):
    one, other = ARTICLES[1], ARTICLES[2]
    lead = one.paragraphs[0]
    first = "\n".join(one.paragraphs)
    second = "\n".join([lead, *other.paragraphs[1:]])
    kept, rejected, _ = dedup([record("http://a.cn/1.html", first), record("http://b.cn/2.html", second)], index)
    assert len(kept) == 2 and not rejected
    assert all(row["dup_cluster_size"] == 1 for row in kept)


def test_the_same_text_under_another_url_is_an_exact_duplicate_despite_spacing(index: SqliteDedupIndex):
    text = "\n".join(ARTICLES[3].paragraphs)
    spaced = text.replace("，", ", ").replace("\n", "\n\n")
    kept, rejected, _ = dedup([record("http://a.cn/1.html", text, "2026-10-01T00:00:00+08:00"),
                               record("http://c.cn/1.html", spaced, "2026-10-02T00:00:00+08:00")], index)
    assert len(kept) == 1 and rejected[0]["reject_reason"] == "exact_duplicate"


def test_the_same_url_twice_in_a_run_keeps_the_newest_fetch(index: SqliteDedupIndex):
    url = "http://a.cn/1.html"
    kept, rejected, _ = dedup([record(url, "旧版本。" * 30, crawled_at="2026-11-01T00:00:00Z"),
                               record(url, "新版本。" * 30, crawled_at="2026-11-01T05:00:00Z")], index)
    assert [row["text"][:3] for row in kept] == ["新版本"]
    assert rejected[0]["reject_reason"] == "older_fetch"


def test_a_candidate_pair_under_the_threshold_is_never_merged(index: SqliteDedupIndex):
    """LSH makes candidates of pairs well under the threshold; only the real Jaccard may merge them."""
    rng = np.random.default_rng(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    records, truth = [], {}
    for i in range(40):
        base = "".join(rng.choice(alphabet, 600))
        keep = int(600 * rng.uniform(0.6, 0.95))  # Jaccard from about 0.4 to about 0.9
        copy = base[:keep] + "".join(rng.choice(alphabet, 600 - keep))
        records += [record(f"http://a.cn/{i}.html", base, "2026-10-01T00:00:00+08:00"),
                    record(f"http://b.cn/{i}.html", copy, "2026-10-02T00:00:00+08:00")]
        truth[document_id(f"http://b.cn/{i}.html")] = jaccard(
            *(shingle_set(t, DEDUP["ngram"]) for t in (base, copy)))
    kept, rejected, _ = dedup(records, index)
    merged = {row["id"] for row in rejected}
    assert all(truth[doc_id] >= DEDUP["jaccard"] for doc_id in merged), "precision is 1 by construction"
    assert merged == {doc_id for doc_id, j in truth.items() if j >= DEDUP["jaccard"]}
    below = [j for j in truth.values() if j < DEDUP["jaccard"]]
    assert below, "the sample must hold pairs under the threshold"


def test_dedup_runs_across_runs_through_the_index_without_old_text(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    article, other = ARTICLES[4], ARTICLES[5]
    original = "\n".join(article.paragraphs)
    first = [record("http://a.cn/1.html", original), record("http://a.cn/2.html", "\n".join(other.paragraphs))]
    index = SqliteDedupIndex(layout.dedup_index)
    dedup(first, index, "r1")
    revised = "\n".join([*other.paragraphs[:-1], "更正：本文第三段中的数据已更新为最新统计结果。"])
    second = [record("http://a.cn/1.html", original, run="r2", crawled_at="2026-11-02T00:00:00Z"),  # unchanged
              record("http://a.cn/2.html", revised, run="r2", crawled_at="2026-11-02T00:00:00Z"),  # revised
              record("http://b.cn/7.html", "溪山资讯网讯\n" + original, "2026-10-14T00:00:00+08:00", run="r2")]
    kept, rejected, superseded = dedup(second, index, "r2")
    assert [row["url"] for row in kept] == ["http://a.cn/2.html"]
    assert {(row["url"], row["reject_reason"]) for row in rejected} == {
        ("http://a.cn/1.html", "unchanged_refetch"), ("http://b.cn/7.html", "near_duplicate")}
    assert superseded == [Supersession(document_id("http://a.cn/2.html"), "r1", "r2")]
    assert index.cluster_sizes([document_id("http://a.cn/1.html")]) == {document_id("http://a.cn/1.html"): 2}
    index.close()


def test_a_run_that_keeps_nothing_or_holds_nothing_is_committed(index: SqliteDedupIndex):
    text = "\n".join(ARTICLES[0].paragraphs)
    dedup([record("http://a.cn/1.html", text)], index, "r1")
    kept, rejected, _ = dedup([record("http://a.cn/1.html", text, run="r2")], index, "r2")  # all re-fetched
    assert not kept and rejected[0]["reject_reason"] == "unchanged_refetch"
    assert dedup([], index, "r3") == ([], [], [])
    assert index.run_stats("r2")["kept"] == 0 and index.run_stats("r3")["documents"] == 0


def test_the_index_stores_shingle_sets_losslessly():
    shingles = shingle_set("\n".join(ARTICLES[0].paragraphs), 5)
    blob = pack_shingles(shingles)
    assert np.array_equal(unpack_shingles(blob), shingles) and len(blob) == 4 * shingles.size


def test_normalising_ignores_width_spacing_and_punctuation_but_keeps_every_character():
    assert normalise("２０２６年，ＧＤＰ 增长 5%！\n① 第一") == "2026年gdp增长51第一"
    assert normalise("澄州晨报") == "澄州晨报"


def test_a_run_killed_after_the_index_took_it_is_marked_done_without_being_redone(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    rows = [record(f"http://a.cn/{i}.html", "\n".join(a.paragraphs)) for i, a in enumerate(ARTICLES[:3])]
    layout.shard_docs("r1", "s1").parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), layout.shard_docs("r1", "s1"))
    index = SqliteDedupIndex(layout.dedup_index)
    first = dedup_run(layout, "r1", index, DEDUP, progress=False)
    docs = layout.dedup_docs("r1").read_bytes()
    layout.dedup_stats("r1").unlink()  # as if killed between the index commit and the marker
    again = dedup_run(layout, "r1", index, DEDUP, progress=False)
    assert (again.kept, again.documents) == (first.kept, first.documents) == (3, 3)
    assert layout.dedup_docs("r1").read_bytes() == docs
    assert index.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 3  # not indexed twice
    assert dedup_run(layout, "r1", index, DEDUP, progress=False).already_done
    index.close()


def test_the_sample_sites_syndicated_article_is_kept_once_with_cluster_size_2(processed: Crawl):
    layout = DataLayout(processed.data_dir)
    rows = pq.read_table(layout.dedup_docs(processed.run_id)).to_pylist()
    clustered = [row for row in rows if row["dup_cluster_size"] == 2]
    assert len(clustered) == 1 and clustered[0]["site"] == "sample-a"
    copies = [row for layer in ("exact_text", "near_text") if layout.dedup_rejects(processed.run_id, layer).exists()
              for row in pq.read_table(layout.dedup_rejects(processed.run_id, layer)).to_pylist()]
    assert [(row["site"], row["duplicate_of"]) for row in copies] == [("sample-b", clustered[0]["id"])]
    assert len(rows) == len(gold()) - 1


def _revise(server: Any, path: str, old: str, new: str) -> None:
    resource = server.site.resources[path]
    body = resource.body.decode("utf-8")
    assert old in body
    server.site.resources[path] = Resource(body.replace(old, new).encode("utf-8"), resource.content_type,
                                           datetime.now(timezone.utc))


def test_a_new_crawl_is_deduplicated_against_the_built_dataset(tmp_path: Path):
    """Run 1 crawls site A; run 2 crawls both sites after one A article was revised: site B's reprint
    is dropped against the index, the revision replaces its earlier row, one row per id is loaded."""
    layout = DataLayout(tmp_path / "data")
    with serve_sample_sites() as sites:
        profiles = sample_profiles(sites, tmp_path)
        zhnews("crawl", *profiles[:2], "--data-dir", str(layout.root), "--run-id", "run1", "--no-progress")
        process_dedup_build(layout, "run1")
        revised = next(a for a in ARTICLES if a.charset == "utf-8" and a.slug != "1035" and a.pages == 1)
        _revise(sites.a, revised.path, revised.paragraphs[-1], "（更正）本文已根据最新通报修订。")
        zhnews("crawl", *profiles, "--data-dir", str(layout.root), "--run-id", "run2", "--revalidate",
               "--no-progress")
        process_dedup_build(layout, "run2")
    rows = datasets.load_dataset(str(layout.dataset), split="train")
    assert len(rows["id"]) == len(set(rows["id"])) == len(gold()) - 1  # every article once; no reprint
    streamed = [row["id"] for row in datasets.load_dataset(str(layout.dataset), split="train", streaming=True)]
    assert sorted(streamed) == sorted(rows["id"])
    by_path = {urlsplit(row["url"]).path: row for row in rows}
    assert by_path[revised.path]["crawl_run"] == "run2" and "本文已根据最新通报修订" in by_path[revised.path]["text"]
    reprint = next(a for a in load_articles() if a.reprint_of == "1035")
    assert reprint.path not in by_path
    # the earlier version left the files: run1's file was rewritten without it, under a new name
    assert not list(layout.dataset.glob("data/*/run1.parquet"))
    (rewritten,) = layout.dataset.glob("data/*/run1~1.parquet")
    assert revised.path not in {urlsplit(u).path for u in pq.read_table(rewritten)["url"].to_pylist()}
    files = pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet")), columns=["id"])["id"].to_pylist()
    assert sorted(files) == sorted(rows["id"])


def test_a_second_dedup_while_one_runs_exits_75(processed: Crawl, capsys):
    from corpus.cli import main
    from corpus.files import exclusive

    layout = DataLayout(processed.data_dir)
    with exclusive(layout.dedup_lock, "dedup index", "zhnews dedup"):
        (layout.dedup_stats(processed.run_id)).rename(layout.dedup_stats(processed.run_id).with_suffix(".moved"))
        try:
            assert main(["dedup", "--data-dir", str(layout.root), "--no-progress"]) == 75
        finally:
            layout.dedup_stats(processed.run_id).with_suffix(".moved").rename(layout.dedup_stats(processed.run_id))
    assert "is in use by zhnews dedup (pid" in capsys.readouterr().err
    assert main(["dedup", "--data-dir", str(layout.root), "--no-progress"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_the_copy_published_first_is_kept_whatever_zone_its_time_is_written_in(index: SqliteDedupIndex):
    """Beijing pages print +08:00, a "Z" meta tag gives +00:00: compared as text, a reprint an hour later
    (13:00Z) ranked before its original (20:00+08:00, 12:00Z), and the original was dropped as its copy."""
    text = "\n".join(ARTICLES[0].paragraphs)
    original = record("http://xinhua.cn/1.html", text, published_at="2026-10-12T20:00:00+08:00")
    reprint = record("http://hk.example.cn/9.html", text, published_at="2026-10-12T13:00:00+00:00")
    kept, rejected, _ = dedup([reprint, original], index)
    assert [row["url"] for row in kept] == [original["url"]] and [row["url"] for row in rejected] == [reprint["url"]]


def test_the_text_an_article_had_before_its_revision_is_no_copys_original(index: SqliteDedupIndex):
    """Revised, an article's earlier text is in no published row: a reprint of that text, whole or near,
    found the same night or later, is no copy of the article as it reads now (their Jaccard is low)."""
    old_text, new_text = "\n".join(ARTICLES[0].paragraphs), "\n".join(ARTICLES[1].paragraphs)
    near_old = old_text.replace(ARTICLES[0].paragraphs[-1], "（完）")
    url = "http://a.cn/1.html"
    dedup([record(url, old_text, crawled_at="2026-11-01T00:00:00Z")], index, run="r1")
    kept, rejected, _ = dedup([record(url, new_text, run="r2", crawled_at="2026-11-02T00:00:00Z"),
                               record("http://b.cn/2.html", old_text, run="r2", crawled_at="2026-11-02T00:00:00Z")],
                              index, run="r2")
    assert sorted(row["url"] for row in kept) == [url, "http://b.cn/2.html"] and rejected == []
    kept, rejected, _ = dedup([record("http://c.cn/3.html", old_text, run="r3", crawled_at="2026-11-03T00:00:00Z"),
                               record("http://d.cn/4.html", near_old, run="r3", crawled_at="2026-11-03T00:00:00Z")],
                              index, run="r3")
    assert [(row["url"], row["reject_reason"]) for row in rejected] == [  # copies of b.cn's row, not of a.cn's
        ("http://c.cn/3.html", "exact_duplicate"), ("http://d.cn/4.html", "near_duplicate")]
    assert {row["duplicate_of"] for row in rejected} == {document_id("http://b.cn/2.html")}


def test_an_article_revised_into_a_copy_of_another_is_superseded(index: SqliteDedupIndex):
    """A URL whose page now prints another article's text: the new fetch is that article's copy, and its
    earlier row must go (one current row per article: the old text is not what it reads now), with
    nothing of it left in the index to match a later copy against."""
    x_text, y_text = "\n".join(ARTICLES[0].paragraphs), "\n".join(ARTICLES[1].paragraphs)
    x, y = "http://a.cn/x.html", "http://a.cn/y.html"
    dedup([record(x, x_text), record(y, y_text)], index, run="r1")
    kept, rejected, superseded = dedup([record(x, y_text, run="r2", crawled_at="2026-11-02T00:00:00Z")], index, "r2")
    assert kept == [] and [(row["reject_reason"], row["duplicate_of"]) for row in rejected] == [
        ("exact_duplicate", document_id(y))]
    assert superseded == [Supersession(document_id(x), "r1", "r2")]
    assert index.latest_versions([document_id(x)]) == {}
    kept, _, _ = dedup([record("http://b.cn/1.html", x_text, run="r3", crawled_at="2026-11-03T00:00:00Z")],
                       index, "r3")
    assert [row["url"] for row in kept] == ["http://b.cn/1.html"]  # x's old text is in no row: no copy of it


def test_a_copy_fetched_again_is_no_new_member_of_its_cluster(index: SqliteDedupIndex):
    """A reprint dropped as a copy, fetched again night after night (a sitemap's lastmod moved, a server
    that ignores ETag): one copy, counted once; its cluster stays at 2."""
    text = "\n".join(ARTICLES[0].paragraphs)
    original, reprint = "http://a.cn/1.html", "http://b.cn/9.html"
    dedup([record(original, text), record(reprint, text, published_at="2026-10-13T08:00:00+08:00")], index, "r1")
    for night in ("r2", "r3"):
        kept, rejected, _ = dedup([record(reprint, text, run=night, crawled_at=f"2026-11-0{night[1]}T00:00:00Z")],
                                  index, night)
        assert kept == [] and [row["reject_reason"] for row in rejected] == ["unchanged_copy_refetch"]
    assert index.cluster_sizes([document_id(original)]) == {document_id(original): 2}
    changed = text + "\n（来源：新华社）"  # the copy's page changed, still a copy of the same story: once
    dedup([record(reprint, changed, run="r4", crawled_at="2026-11-04T00:00:00Z")], index, "r4")
    assert index.cluster_sizes([document_id(original)]) == {document_id(original): 2}
    # the original revised into another text: the copy's text is in no row now, and fetched again it is kept
    dedup([record(original, "\n".join(ARTICLES[1].paragraphs), run="r5", crawled_at="2026-11-05T00:00:00Z")],
          index, "r5")
    kept, _, _ = dedup([record(reprint, changed, run="r6", crawled_at="2026-11-06T00:00:00Z")], index, "r6")
    assert [row["url"] for row in kept] == [reprint]


def test_an_older_fetch_deduplicated_after_a_newer_one_never_replaces_it(index: SqliteDedupIndex):
    """Runs processed out of order (a stalled run, a fleet run pulled late): the text fetched last
    stays, whatever order the runs reach dedup in."""
    article = ARTICLES[1]
    old_text, new_text = "\n".join(article.paragraphs[:-1]), "\n".join(article.paragraphs)
    url = "http://a.cn/1.html"
    kept, _, _ = dedup([record(url, new_text, run="r2", crawled_at="2026-11-02T00:00:00Z")], index, run="r2")
    assert len(kept) == 1
    kept, rejected, superseded = dedup([record(url, old_text, run="r1", crawled_at="2026-11-01T00:00:00Z")],
                                       index, run="r1")
    assert kept == [] and superseded == []
    assert [(row["reject_reason"], row["crawl_run"]) for row in rejected] == [("older_than_indexed", "r1")]
    # a fetch newer than the indexed one is a revision, as before
    newest = new_text + "\n（更正）本文已修订。"
    kept, _, superseded = dedup([record(url, newest, run="r3", crawled_at="2026-11-03T00:00:00Z")], index, run="r3")
    assert [row["text"] for row in kept] == [newest] and superseded == [Supersession(document_id(url), "r2", "r3")]


def test_the_index_keeps_where_a_text_is_not_its_shingles_and_reads_it_back_for_a_candidate(tmp_path: Path):
    """A kept document's shingle set (4 bytes a shingle, most of the index) is not stored: its row in
    the run's dedup/<run>/docs.parquet is, and a later candidate's set is made again from that text."""
    layout = DataLayout(tmp_path / "data")
    article, other = ARTICLES[4], ARTICLES[5]
    original = "\n".join(article.paragraphs)
    for run, rows in (("r1", [record("http://a.cn/2.html", "\n".join(other.paragraphs), run="r1"),
                               record("http://a.cn/1.html", original, run="r1")]),
                      ("r2", [record("http://b.cn/7.html", "溪山资讯网讯\n" + original, "2026-10-14T00:00:00+08:00",
                                     run="r2")])):
        layout.shard_docs(run, "s").parent.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=RECORD_SCHEMA), layout.shard_docs(run, "s"))
        index = SqliteDedupIndex(layout.dedup_index)
        summary = dedup_run(layout, run, index, DEDUP, progress=False)
        index.close()
    assert (summary.documents, summary.kept) == (1, 0)
    assert summary.counters["near_text/candidate_texts_read"] == 1
    (copy,) = pq.read_table(layout.dedup_rejects("r2", "near_text")).to_pylist()
    assert copy["duplicate_of"] == document_id("http://a.cn/1.html") and copy["similarity"] >= DEDUP["jaccard"]
    import sqlite3

    stored = sqlite3.connect(layout.dedup_index).execute("SELECT id, length(shingles), row FROM docs").fetchall()
    kept = pq.read_table(layout.dedup_docs("r1"), columns=["id"])["id"].to_pylist()
    assert sorted(stored) == sorted((row_id, 0, kept.index(row_id)) for row_id in kept)


@pytest.mark.parametrize("kept_up_to", [0, 1_000], ids=["large-run", "night"])
def test_a_run_is_read_and_written_a_batch_at_a_time_with_every_row_whole(tmp_path: Path, monkeypatch,
                                                                         kept_up_to: int):
    """dedup holds a run's deciding fields, not its texts (a 200,000-document run would not fit): with
    batches of 2 documents read, 3 hashed and row groups of 2, every kept and dropped row is written
    once, whole, in the run's order, and the decisions are those of the run read at once, whether the
    shingle sets were kept from the hashing (a night) or made again for the copies (a large run)."""
    import cleaning.dedup.layers
    import cleaning.dedup.stage

    texts = ["\n".join(article.paragraphs) for article in ARTICLES[:5]]
    rows = [record(f"http://a.cn/{i}.html", text) for i, text in enumerate(texts)]
    rows += [record("http://b.cn/1.html", "溪山资讯网讯\n" + texts[1], "2026-10-13T08:30:00+08:00"),
             record("http://b.cn/2.html", texts[3], "2026-10-14T08:30:00+08:00")]
    expected = deduplicate_records(rows, "r1", SqliteDedupIndex(tmp_path / "whole" / "index.sqlite"), DEDUP)

    monkeypatch.setattr(cleaning.dedup.stage, "READ_BATCH", 2)
    monkeypatch.setattr(cleaning.dedup.stage, "TEXT_ROW_GROUP", 2)
    monkeypatch.setattr(cleaning.dedup.layers, "SKETCH_BATCH", 3)
    monkeypatch.setattr(cleaning.dedup.stage, "SHINGLES_KEPT_UP_TO", kept_up_to)
    layout = DataLayout(tmp_path / "data")
    for shard, part in (("s1", rows[:4]), ("s2", rows[4:])):
        layout.shard_docs("r1", shard).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(part, schema=RECORD_SCHEMA), layout.shard_docs("r1", shard))
    index = SqliteDedupIndex(layout.dedup_index)
    dedup_run(layout, "r1", index, DEDUP, progress=False)
    index.close()
    kept = pq.read_table(layout.dedup_docs("r1")).to_pylist()
    assert [(row["url"], row["text"], row["dup_cluster_size"]) for row in kept] == [
        (row["url"], row["text"], row["dup_cluster_size"]) for row in expected.kept]
    assert max(pq.ParquetFile(layout.dedup_docs("r1")).metadata.row_group(g).num_rows
               for g in range(pq.ParquetFile(layout.dedup_docs("r1")).metadata.num_row_groups)) == 2
    dropped = [row for layer in ("exact_text", "near_text") if layout.dedup_rejects("r1", layer).exists()
               for row in pq.read_table(layout.dedup_rejects("r1", layer)).to_pylist()]
    assert sorted((row["url"], row["text"], row["duplicate_of"]) for row in dropped) == sorted(
        (row["url"], row["text"], row["duplicate_of"]) for row in expected.rejected)
    assert {row["url"] for row in dropped} == {"http://b.cn/1.html", "http://b.cn/2.html"}
