"""The published dataset: loads with `datasets`, streams, and grows append-only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow.parquet as pq

from cleaning.config import ProcessConfig
from cleaning.run.run import process_run
from conftest import Crawl, crawl
from corpus.build import build_dataset
from corpus.layout import DataLayout
from crawler.sample_site import SampleSites, gold


def test_dataset_loads_with_every_article_and_the_syndicated_copy(processed: Crawl):
    dataset = datasets.load_dataset(str(processed.data_dir / "dataset"), split="train")
    assert dataset.num_rows == len(gold())
    assert {"title", "text", "url", "published_at", "site"} <= set(dataset.column_names)
    reprint_titles = [row["title"] for row in dataset if row["site"] == "sample-b"]
    assert sum(title in reprint_titles for title in dataset["title"]) >= 2  # dedup comes later
    assert set(dataset["site"]) == {"sample-a", "sample-b"}


def test_streaming_and_period_configs(processed: Crawl):
    folder = str(processed.data_dir / "dataset")
    streamed = list(datasets.load_dataset(folder, split="train", streaming=True))
    assert len(streamed) == len(gold())
    (period,) = {row["period"] for row in streamed}
    assert datasets.load_dataset(folder, period, split="train").num_rows == len(gold())


def test_card_has_configs_schema_statistics_steps_and_changelog(processed: Crawl):
    card = (processed.data_dir / "dataset" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "configs:" in card
    for section in ("## Statistics", "## Schema", "## Processing steps", "## Configuration in force", "## Changelog"):
        assert section in card
    assert f"{len(gold())} documents" in card and "`extract_credits`" in card and "run1" in card


def test_card_states_the_thresholds_the_run_recorded(processed: Crawl):
    card = (processed.data_dir / "dataset" / "README.md").read_text(encoding="utf-8")
    recorded = json.loads(DataLayout(processed.data_dir).run_summary("run1").read_text(encoding="utf-8"))
    for name, value in recorded["config"].items():
        assert f"| `{name}` | `{value}` |" in card
    assert f"trafilatura {recorded['versions']['trafilatura']}" in card


def test_build_is_append_only_and_a_grown_dataset_reloads(sample_sites: SampleSites, processed: Crawl, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    dataset_dir = data_dir / "dataset"
    first_files = {p: p.read_bytes() for p in (dataset_dir / "data").rglob("*.parquet")}
    assert build_dataset(DataLayout(data_dir), progress=False).added == {}  # nothing new: nothing written

    # a later run archives one article again (as a revalidation after a change would)
    (data_dir / "state.sqlite").unlink()
    grown = crawl(sample_sites, data_dir, "run9")
    process_run(DataLayout(data_dir), grown.run_id, ProcessConfig(), progress=False)
    summary = build_dataset(DataLayout(data_dir), progress=False)
    assert list(summary.added.values()) == [len(gold())]
    assert all(path.read_bytes() == data for path, data in first_files.items())  # old files untouched
    changelog = json.loads((dataset_dir / "changelog.json").read_text(encoding="utf-8"))
    assert [entry["run"] for entry in changelog][-1] == "run9"
    total = sum(pq.read_metadata(p).num_rows for p in (dataset_dir / "data").rglob("*.parquet"))
    assert datasets.load_dataset(str(dataset_dir), split="train").num_rows == total == 2 * len(gold())


def test_an_overlapping_build_is_refused_with_a_clear_message(processed: Crawl, capsys):
    from corpus.cli import main
    from corpus.files import exclusive

    dataset_dir = processed.data_dir / "dataset"
    with exclusive(dataset_dir.parent / ".dataset.lock", "dataset", "zhnews build"):
        assert main(["build", "--data-dir", str(processed.data_dir), "--no-progress"]) == 75
    assert "is in use by zhnews build (pid" in capsys.readouterr().err
    assert main(["build", "--data-dir", str(processed.data_dir), "--no-progress"]) == 0
