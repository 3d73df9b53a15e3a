"""A damaged state or ledger file stops its command with one line that names the file and the way out,
never a traceback; a build that meets one writes nothing (the changelog and the card never disagree).
A damaged WARC file stops nothing: its unreadable stretch is lost, counted and named."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import REPO, Crawl, sample_profiles
from corpus.article_pages import read_article_pages
from corpus.layout import DataLayout, DatasetLayout, shard_name
from corpus.warc_format import KIND_FIELD
from crawler.sample_site import SampleSites

GARBAGE = b"\x00\x01 this is no longer what it was \xff" * 50


def zhnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def data(processed: Crawl, tmp_path: Path) -> DataLayout:
    """A copy of a crawled, processed, deduplicated and built data folder, to damage."""
    return DataLayout(Path(shutil.copytree(processed.data_dir, tmp_path / "data")))


@pytest.mark.parametrize(("damaged", "command", "way_out"), [
    (lambda layout: layout.state_db, ["crawl", "--sample"], "move it aside"),
    (lambda layout: layout.lines_db, ["process"], "learned again"),
    (lambda layout: layout.dedup_index, ["dedup"], "restore it from a backup, or move it aside"),
    (lambda layout: DatasetLayout(layout.dataset).changelog, ["build"], "restore it from the published repository"),
    (lambda layout: layout.run_summary("run1"), ["build"], "zhnews process --run run1"),
    (lambda layout: layout.site_snapshots("run1")[0], ["process", "--run", "run1"], "copy the site's profile"),
    (lambda layout: next(path for path in layout.stats("run1").glob("*.json")
                         if path.name not in ("summary.json", "dedup.json")),
     ["process", "--run", "run1"], "which processes that shard again"),
    (lambda layout: layout.withdrawn, ["crawl", "--sample"], "restore it from a backup"),
    (lambda layout: layout.withdrawn, ["build"], "restore it from a backup"),
    # parquet files were bare pyarrow tracebacks, and the nightly job failed at that stage every night after
    (lambda layout: layout.run_docs("run1")[0], ["dedup"], "which processes that shard again"),
    (lambda layout: layout.dedup_docs("run1"), ["build"], "move data/dedup aside"),
], ids=["crawl-state", "lines", "dedup-index", "changelog", "run-summary", "site-snapshot", "shard-stats",
        "withdrawn-crawl", "withdrawn-build", "docs", "dedup-docs"])
def test_a_damaged_file_is_named_with_the_way_out(data: DataLayout, damaged, command: list[str], way_out: str):
    path = damaged(data)
    if command == ["process"]:  # make process open the line index: the run's shards are to do again
        shutil.rmtree(data.stats("run1"))
    if command == ["dedup"]:  # make dedup open its index: the run is to do again
        data.dedup_stats("run1").unlink()
    if path in data.run_docs("run1"):  # make dedup read the run's documents: a new index, without it
        shutil.rmtree(data.dedup_index.parent)
    if path == data.dedup_docs("run1"):  # make build read the run's documents: it is to publish again
        shutil.rmtree(data.dataset)
        DatasetLayout(data.dataset).card.parent.mkdir()
    for wal in path.parent.glob(path.name + "-*"):  # SQLite's journal files beside it
        wal.unlink()
    path.write_bytes(GARBAGE)
    card = DatasetLayout(data.dataset).card
    before = card.read_bytes() if card.exists() else None
    result = zhnews(*command, "--data-dir", str(data.root), "--no-progress")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and f"{path} is damaged" in result.stderr and way_out in result.stderr
    assert (card.read_bytes() if card.exists() else None) == before


def test_a_build_that_meets_a_damaged_summary_writes_nothing_and_the_way_out_works(data: DataLayout):
    dataset = DatasetLayout(data.dataset)
    ledger, card = dataset.changelog.read_bytes(), dataset.card.read_bytes()
    data.run_summary("run1").write_bytes(GARBAGE)
    assert zhnews("build", "--data-dir", str(data.root)).returncode == 1
    assert (dataset.changelog.read_bytes(), dataset.card.read_bytes()) == (ledger, card)
    data.run_summary("run1").unlink()  # the way out the message gives
    assert zhnews("process", "--run", "run1", "--data-dir", str(data.root), "--no-progress").returncode == 0
    rebuilt = zhnews("build", "--data-dir", str(data.root))
    assert rebuilt.returncode == 0, rebuilt.stderr


def test_a_phase_hand_over_cut_short_is_named_and_the_way_out_works(first_crawl: Crawl, tmp_path: Path):
    """A process killed between a shard's two phases leaves its hand-over (work/<run>/<shard>.1.arrow), written
    without fsync: cut short by a power cut it was a bare pyarrow error naming no file, every night after,
    since the marker beside it says the first phase is done."""
    from cleaning.config import ProcessConfig
    from cleaning.pipeline import pipeline_steps
    from cleaning.run.shard import ShardJob, run_shard_phase, split_phases

    layout = DataLayout(tmp_path / "data")
    shutil.copytree(first_crawl.data_dir / "raw", layout.raw)  # the crawl's run, not yet processed
    phases = len(split_phases(pipeline_steps(ProcessConfig(), layout)))
    warc = layout.shards("run1")[0]
    run_shard_phase(ShardJob(layout, "run1", warc, ProcessConfig(), 0, phases))  # then the kill
    hand_over, marker = layout.phase_docs("run1", shard_name(warc), 1), layout.phase_marker("run1", shard_name(warc), 1)
    hand_over.write_bytes(hand_over.read_bytes()[:5000])
    result = zhnews("process", "--data-dir", str(layout.root), "--no-progress")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{hand_over} is damaged" in result.stderr and "does that part again" in result.stderr, result.stderr
    hand_over.unlink()  # the way out the message gives
    marker.unlink()
    again = zhnews("process", "--data-dir", str(layout.root), "--no-progress")
    assert again.returncode == 0 and layout.run_summary("run1").exists(), again.stdout + again.stderr


def article_spans(warc: Path) -> list[tuple[int, int]]:
    """(first byte, byte after the end) of each article response record of an intact WARC file."""
    spans = []
    with open(warc, "rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            article = record.rec_type == "response" and record.rec_headers.get_header(KIND_FIELD) == "article"
            iterator.read_to_end(record)
            if article:
                offset = iterator.get_record_offset()
                spans.append((offset, offset + iterator.get_record_length()))
    return spans


def kept_texts(layout: DataLayout, warc: Path, leave_out: set[str] = frozenset()) -> dict[int, str]:
    """Offset → text of the kept documents read from `warc`, but those of the URLs in `leave_out`."""
    rows = (row for path in layout.run_docs("run1") for row in pq.read_table(path).to_pylist())
    return {row["warc_offset"]: row["text"] for row in rows
            if row["warc_file"] == warc.name and row["url"] not in leave_out}


def paged_beyond(layout: DataLayout, warc: Path, offset: int) -> set[str]:
    """Articles with a later page archived in `warc` at or after `offset`: a cut there shortens them."""
    pages = read_article_pages(layout.article_pages_files("run1")).values()
    return {article.url for article in pages
            if any(part.warc_file == warc.name and (part.offset or 0) >= offset for part in article.parts)}


def test_a_warc_file_cut_inside_a_record_is_named_and_what_precedes_the_cut_is_processed(
        data: DataLayout, sample_sites: SampleSites, tmp_path: Path):
    """A disk that filled up, a copy cut short (`head -c`): the file ends inside a record, which warcio
    reads as if whole or not at all, without a word. `process` and `import-warc` both name the file."""
    warc = max(data.shards("run1"), key=lambda path: path.stat().st_size)
    start, end = next(span for span in article_spans(warc) if span[0] > warc.stat().st_size // 2)
    cut = (start + end) // 2
    # what precedes the cut: the articles before it, but one whose later page the crawl archived after it
    shortened = paged_beyond(data, warc, start)
    before = {offset: text for offset, text in kept_texts(data, warc, shortened).items() if offset < start}
    with open(warc, "r+b") as stream:
        stream.truncate(cut)
    shutil.rmtree(data.stats("run1"))  # every shard of the run is processed again
    processed = zhnews("process", "--run", "run1", "--data-dir", str(data.root), "--no-progress")
    assert processed.returncode == 0 and "Traceback" not in processed.stderr, processed.stdout + processed.stderr
    assert (f"damaged WARC data ({cut - start} bytes unreadable, the rest processed) in: {warc.name}; "
            "see the log above") in processed.stdout
    assert f"{warc.name}: bytes {start}-{cut} are not readable" in processed.stderr
    assert before and kept_texts(data, warc, shortened) == before
    imported = zhnews("import-warc", str(warc), *sample_profiles(sample_sites, tmp_path),
                      "--data-dir", str(tmp_path / "imported"), "--run-id", "imp")
    assert imported.returncode == 1 and "Traceback" not in imported.stderr, imported.stdout + imported.stderr
    assert f"{warc} breaks off at byte {start} (the file ends inside a record)" in imported.stdout
