"""The dedup index's bucket segments: 8 bytes an entry, merged as runs add up, safe to kill, and an
index of the older layout (buckets in a SQLite table) taken over as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from test_dedup import ARTICLES, dedup, record

from cleaning.dedup.buckets import FANOUT, BucketSegments
from cleaning.dedup.index import IndexEntry, SqliteDedupIndex, pack_shingles
from cleaning.dedup.minhash import hash_texts
from conftest import DEDUP
from corpus.files import DamagedFile

TEXTS = ["\n".join(article.paragraphs) for article in ARTICLES]


def copy_of(text: str) -> str:
    """A reprint: the same article under another site's furniture."""
    return "溪山资讯网讯\n" + text + "\n（来源：澄州晨报）"


def entries(run: str, texts: list[str]) -> list[IndexEntry]:
    hashed = hash_texts(texts, DEDUP["ngram"], DEDUP["permutations"], DEDUP["bands"])
    return [IndexEntry(f"{run}-{n}", run, text_hash, shingles, buckets, "2026-11-01T00:00:00Z")
            for n, (text_hash, shingles, buckets) in enumerate(zip(hashed.text_hashes, hashed.shingles,
                                                                     hashed.buckets))]


def test_each_bucket_entry_takes_eight_bytes(tmp_path: Path):
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    index.commit("r1", entries("r1", TEXTS[:5]), {}, {})
    assert index.buckets.bytes() == 8 * DEDUP["bands"] * 5
    index.close()


def test_segments_merge_as_runs_add_up_and_every_document_is_still_found(tmp_path: Path):
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    runs = FANOUT * 2 + 1
    for n in range(runs):
        index.commit(f"r{n}", entries(f"r{n}", [TEXTS[n]]), {}, {})
    levels = sorted(segment.level for segment in index.buckets.live())
    assert levels == [0, 1, 1]  # two merges of FANOUT runs each, and the newest run
    assert len(list(index.buckets.folder.iterdir())) == 3  # the merged files are gone
    found = index.candidates([entry.buckets for entry in entries("q", [copy_of(TEXTS[n]) for n in range(runs)])])
    assert [sorted(candidates) for candidates in found] == [[f"r{n}-0"] for n in range(runs)]
    index.close()


def test_a_segment_written_by_a_run_killed_before_its_commit_is_removed_and_nothing_changed(tmp_path: Path):
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    index.commit("r1", entries("r1", TEXTS[:2]), {}, {})
    index.buckets.write(np.array([1, 2], dtype=np.uint64), np.array([99, 99]))  # never made live
    assert len(list(index.buckets.folder.iterdir())) == 2
    index.close()
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    assert len(list(index.buckets.folder.iterdir())) == 1
    assert sorted(index.candidates([entries("q", [copy_of(TEXTS[0])])[0].buckets])[0]) == ["r1-0"]
    index.close()


def test_a_missing_segment_is_a_clear_error(tmp_path: Path):
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    index.commit("r1", entries("r1", TEXTS[:2]), {}, {})
    for path in index.buckets.folder.iterdir():
        path.unlink()
    with pytest.raises(DamagedFile, match="is missing"):
        index.candidates([entries("q", [TEXTS[0]])[0].buckets])
    index.close()


def test_a_forgotten_documents_key_is_never_given_to_another(tmp_path: Path):
    """Its bucket entries stay in their segment: a new document under its key would be found by them."""
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    index.commit("r1", entries("r1", TEXTS[:1]), {}, {})
    index.forget(["r1-0"])
    index.commit("r2", entries("r2", TEXTS[1:2]), {}, {})
    assert index.candidates([entries("q", [copy_of(TEXTS[0])])[0].buckets]) == [{}]
    index.close()


def test_an_index_of_the_older_layout_is_taken_over_and_its_documents_found(tmp_path: Path):
    """Before segments, the buckets were a SQLite table of (bucket, doc) rows: opening such an index
    moves them into segments, drops the table, and a reprint of an indexed article is still found."""
    path = tmp_path / "dedup" / "index.sqlite"
    path.parent.mkdir()
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE docs (key INTEGER PRIMARY KEY, id TEXT NOT NULL, run TEXT NOT NULL,
            text_hash INTEGER NOT NULL, shingles BLOB NOT NULL, crawled_at TEXT NOT NULL DEFAULT '', row INTEGER);
        CREATE TABLE buckets (bucket INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (bucket, doc)) WITHOUT ROWID;
        CREATE TABLE clusters (id TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE runs (run TEXT PRIMARY KEY, stats TEXT NOT NULL);
    """)
    originals = [record(f"http://a.cn/{n}.html", text, run="r1") for n, text in enumerate(TEXTS[:3])]
    for key, (row, entry) in enumerate(zip(originals, entries("r1", TEXTS[:3])), start=1):
        old.execute("INSERT INTO docs VALUES (?, ?, 'r1', ?, ?, ?, NULL)",
                    (key, row["id"], entry.text_hash, pack_shingles(entry.shingles), row["crawled_at"]))
        old.executemany("INSERT INTO buckets VALUES (?, ?)", ((bucket, key) for bucket in entry.buckets.tolist()))
        old.execute("INSERT INTO clusters VALUES (?, 1)", (row["id"],))
    old.execute("INSERT INTO runs VALUES ('r1', '{}')")
    old.commit()
    old.close()

    index = SqliteDedupIndex(path)
    assert index.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'buckets'").fetchone() is None
    assert index.buckets.bytes() == 8 * DEDUP["bands"] * 3
    kept, rejected, _ = dedup([record("http://b.cn/9.html", copy_of(TEXTS[1]), run="r2")], index, "r2")
    assert kept == [] and [(row["reject_reason"], row["duplicate_of"]) for row in rejected] == [
        ("near_duplicate", originals[1]["id"])]
    index.close()


def test_opening_the_segments_twice_keeps_what_is_live(tmp_path: Path):
    """The stray sweep at opening removes only files no transaction made live."""
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    index.commit("r1", entries("r1", TEXTS[:2]), {}, {})
    names = sorted(path.name for path in index.buckets.folder.iterdir())
    BucketSegments(index.db, index.buckets.folder)
    assert sorted(path.name for path in index.buckets.folder.iterdir()) == names
    index.close()


def test_a_merge_in_slices_of_the_key_space_writes_every_entry_once_in_order(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    """A merge sorts a slice of the key space at a time (bounded memory): the merged segment must hold
    exactly the entries of the merged ones, sorted, whatever the slices."""
    import cleaning.dedup.buckets as buckets

    monkeypatch.setattr(buckets, "MERGE_WORDS", 50)
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    rng = np.random.default_rng(5)
    expected = []
    for run in range(FANOUT):
        keys = rng.integers(0, 2**40, size=100, dtype=np.int64).astype(np.uint64)
        docs = np.arange(run * 10 + 1, run * 10 + 11).repeat(10)
        with index.db:
            index.buckets.insert(index.buckets.write(keys, docs))
        expected += list(zip(keys.tolist(), docs.tolist()))
    index.buckets.compact()
    (merged,) = index.buckets.live()
    words = np.fromfile(index.buckets.folder / f"{merged.name}.u64", dtype="<u8")
    assert merged.level == 1 and words.size == len(expected) and np.all(words[1:] >= words[:-1])
    pairs = sorted(zip((words >> np.uint64(24)).tolist(), ((words & np.uint64(2**24 - 1)) + merged.base).tolist()))
    assert pairs == sorted(expected)


def test_a_merge_slice_boundary_inside_one_keys_entries_keeps_them_sorted(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    """Three slices (24 entries, 8 a slice) would cut the key (2**64 // 3) >> 24 at its local document
    0x555555: its entries, counted from their segments' bases before the merge and from the first
    base after it, must still come out sorted, and all be found."""
    import cleaning.dedup.buckets as buckets

    monkeypatch.setattr(buckets, "MERGE_WORDS", 8)
    index = SqliteDedupIndex(tmp_path / "index.sqlite")
    key, cut = (2**64 // 3) >> 24, (2**64 // 3) & (2**24 - 1)
    expected = []
    for run in range(FANOUT):
        base = 20 * run  # merged, a run's documents move up by 20 a run
        docs = np.array([base, base + cut - 5, base + cut + 5])  # either side of the cut, before the merge
        with index.db:
            index.buckets.insert(index.buckets.write(np.full(docs.size, key, dtype=np.uint64), docs))
        expected += docs.tolist()
    index.buckets.compact()
    (merged,) = index.buckets.live()
    words = np.fromfile(index.buckets.folder / f"{merged.name}.u64", dtype="<u8")
    assert words.size == len(expected) and np.all(words[1:] >= words[:-1])
    assert sorted(index.buckets.lookup(np.array([key], dtype=np.uint64))[1].tolist()) == sorted(expected)
