"""`zhnews history` and `zhnews report --by-site`: an operator sees each site's yield night by night,
and a site whose yield fell is flagged."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from test_revisions import a, b, night

from corpus.cli import main
from corpus.layout import DataLayout


def test_history_shows_each_night_and_flags_a_site_whose_yield_fell(tmp_path: Path, capsys):
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-1", "2026-10-01", {**{a(n): "v1" for n in range(6)}, **{b(n): "v1" for n in range(4)}})
    night(layout, "run-2", "2026-10-02", {**{a(n): "v1" for n in range(6, 12)}, **{b(n): "v1" for n in range(4, 8)}})
    night(layout, "run-3", "2026-10-03", {a(1): "v1"})  # one page, an unchanged re-fetch: nothing new
    assert main(["history", "--data-dir", str(layout.root)]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.startswith("run-")]
    assert [(row[0], row[1], row[3], row[4]) for row in rows] == [
        ("run-1", "s", "10", "10"), ("run-2", "s", "10", "10"), ("run-3", "s", "1", "0")]
    assert "same_url:unchanged_refetch 1" in out
    assert "s: no new rows in run-3 (median 10 before)" in out

    assert main(["report", "run-2", "--by-site", "--data-dir", str(layout.root)]) == 0
    by_site = capsys.readouterr().out
    assert "s: not crawled in this run (no crawl report), 10 kept by processing, 10 new rows" in by_site


def test_history_of_a_steady_site_flags_nothing(tmp_path: Path, capsys):
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-1", "2026-10-01", {a(n): "v1" for n in range(4)})
    night(layout, "run-2", "2026-10-02", {a(n): "v1" for n in range(4, 7)})
    assert main(["history", "--data-dir", str(layout.root), "--nights", "5"]) == 0
    assert "flags: none" in capsys.readouterr().out


def test_explain_looks_past_an_unchanged_refetch_to_the_version_that_stands(tmp_path: Path, capsys):
    from corpus.record import document_id

    layout = DataLayout(tmp_path / "data")
    night(layout, "run-1", "2026-10-01", {a(0): "v1"}, build=False)
    night(layout, "run-2", "2026-10-02", {a(0): "v1"}, build=False)  # the same page again: dropped as same_url
    assert main(["explain", document_id(a(0)), "--data-dir", str(layout.root)]) == 0
    verdict = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert verdict == "verdict: kept by run run-1, not built yet (`zhnews build`)"


def test_a_run_not_processed_to_its_end_is_shown_but_not_judged(tmp_path: Path, capsys):
    """A run whose shards are half processed (a process still running, or killed) has fewer documents
    than it will: the site it had not reached yet was flagged as having lost its yield."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-1", "2026-10-01", {a(n): "v1" for n in range(6)})
    night(layout, "run-2", "2026-10-02", {a(n): "v1" for n in range(6, 12)})
    night(layout, "run-3", "2026-10-03", {a(n): "v1" for n in range(12, 18)}, build=False)
    for done in (layout.run_summary("run-3"), layout.dedup_stats("run-3"), layout.dedup_docs("run-3")):
        done.unlink()  # the state of a run a process is half way through
    for path in layout.run_docs("run-3"):
        pq.write_table(pq.read_table(path).slice(0, 1), path)
    assert main(["history", "--data-dir", str(layout.root)]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("run-3") for line in out.splitlines()), out
    assert "flags: none" in out, out
