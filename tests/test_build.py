"""The published dataset: loads with `datasets`, streams, and grows append-only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from cleaning.config import ProcessConfig
from cleaning.dedup.stage import dedup_runs
from cleaning.run.run import process_run
from conftest import DEDUP, REPO, Crawl, crawl
from corpus.build import build_dataset
from corpus.layout import DataLayout, DatasetLayout
from crawler.sample_site import SampleSites, gold


def test_dataset_loads_with_every_article_and_the_syndicated_story_once(processed: Crawl):
    dataset = datasets.load_dataset(str(processed.data_dir / "dataset"), split="train")
    assert dataset.num_rows == len(gold()) - 1  # the reprint on site b is a copy
    assert {"title", "text", "url", "published_at", "site", "language", "quality", "dup_cluster_size"} <= set(
        dataset.column_names)
    assert len(set(dataset["title"])) == dataset.num_rows
    assert set(dataset["site"]) == {"sample-a", "sample-b"} and set(dataset["language"]) == {"zh"}


def test_streaming_and_period_configs(processed: Crawl):
    folder = str(processed.data_dir / "dataset")
    streamed = list(datasets.load_dataset(folder, split="train", streaming=True))
    assert len(streamed) == len(gold()) - 1
    (period,) = {row["period"] for row in streamed}
    assert datasets.load_dataset(folder, period, split="train").num_rows == len(gold()) - 1
    assert datasets.load_dataset(folder, "sample", split="train").num_rows == len(gold()) - 1  # the one run


def test_card_has_configs_schema_statistics_steps_and_changelog(processed: Crawl):
    card = (processed.data_dir / "dataset" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "configs:" in card
    for section in ("## Statistics", "## Schema", "## Processing steps", "## Removed documents",
                    "## Filters and thresholds", "## Configuration in force", "## Changelog"):
        assert section in card
    assert f"{len(gold()) - 1} documents" in card and "`extract_credits`" in card and "run1" in card
    assert "| `exact_text` | exact_duplicate | 1 |" in card and "| `decode` | http_status_404 | 1 |" in card


def test_card_states_the_thresholds_the_run_recorded(processed: Crawl):
    card = (processed.data_dir / "dataset" / "README.md").read_text(encoding="utf-8")
    recorded = json.loads(DataLayout(processed.data_dir).run_summary("run1").read_text(encoding="utf-8"))
    thresholds = recorded["config"].pop("thresholds")
    for name, value in recorded["config"].items():
        assert f"| `{name}` | `{value}` |" in card
    assert f"trafilatura {recorded['versions']['trafilatura']}" in card
    for section, settings in thresholds.items():
        for key, value in settings.items():
            assert f"| `{section}` | `{key}` | `{value}` |" in card
    published = yaml.safe_load((processed.data_dir / "dataset" / "thresholds.yaml").read_text(encoding="utf-8"))
    assert published == thresholds and "(thresholds.yaml)" in card


def test_build_is_append_only_and_a_grown_dataset_reloads(sample_sites: SampleSites, processed: Crawl, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    dataset_dir = data_dir / "dataset"
    first_files = {p: p.read_bytes() for p in (dataset_dir / "data").rglob("*.parquet")}
    assert build_dataset(DataLayout(data_dir), progress=False).added == {}  # nothing new: nothing written

    # a later run fetches every article again, and finds one changed
    (data_dir / "state.sqlite").unlink()
    grown = crawl(sample_sites, data_dir, "run9")
    layout = DataLayout(data_dir)
    process_run(layout, grown.run_id, ProcessConfig(), progress=False)
    docs = next(path for path in layout.run_docs("run9") if pq.read_metadata(path).num_rows)
    table = pq.read_table(docs)
    texts = table.column("text").to_pylist()
    texts[0] += "\n（本文已更新）"
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text", pa.array(texts)), docs)
    dedup_runs(layout, ["run9"], DEDUP, progress=False)
    summary = build_dataset(layout, progress=False)
    assert list(summary.added.values()) == [1] and summary.removed == {"revised": 1} and summary.rewritten == 1
    # the one file that held the earlier version was replaced by a copy without it, under a new name
    gone = [path for path in first_files if not path.exists()]
    assert len(gone) == 1 and (gone[0].parent / f"{gone[0].stem}~1.parquet").exists()
    assert all(path.read_bytes() == data for path, data in first_files.items() if path.exists())
    changelog = json.loads((dataset_dir / "changelog.json").read_text(encoding="utf-8"))
    assert [entry.get("run") for entry in changelog if entry.get("kind") == "run"][-1] == "run9"
    files = pq.read_table([*(dataset_dir / "data").rglob("*.parquet")], columns=["id"]).column("id").to_pylist()
    assert len(files) == len(set(files)) == len(gold()) - 1  # one row per id in the files themselves
    reloaded = datasets.load_dataset(str(dataset_dir), split="train")
    assert reloaded.num_rows == len(gold()) - 1 and texts[0] in reloaded["text"]


def test_an_overlapping_build_is_refused_with_a_clear_message(processed: Crawl, capsys):
    from corpus.cli import main
    from corpus.files import exclusive

    dataset_dir = processed.data_dir / "dataset"
    with exclusive(dataset_dir.parent / ".dataset.lock", "dataset", "zhnews build"):
        assert main(["build", "--data-dir", str(processed.data_dir), "--no-progress"]) == 75
    assert "is in use by zhnews build (pid" in capsys.readouterr().err
    assert main(["build", "--data-dir", str(processed.data_dir), "--no-progress"]) == 0


def test_a_rebuilt_dataset_with_the_same_file_names_never_loads_stale_rows(processed: Crawl, tmp_path: Path):
    """`datasets` keys its cache on the card's header, not on file contents: the header must change."""
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    layout = DataLayout(data_dir)
    assert datasets.load_dataset(str(layout.dataset), split="train").num_rows == len(gold()) - 1
    shutil.rmtree(layout.dataset)  # rebuilt from scratch (say, after re-processing), one row fewer
    table = pq.read_table(layout.dedup_docs("run1"))
    pq.write_table(table.slice(1), layout.dedup_docs("run1"))
    build_dataset(layout, progress=False)
    assert datasets.load_dataset(str(layout.dataset), split="train").num_rows == len(gold()) - 2


def test_the_card_parses_its_configs_and_figures_exist_and_its_thresholds_are_the_runs(processed: Crawl):
    from huggingface_hub import DatasetCard

    folder = processed.data_dir / "dataset"
    card = DatasetCard.load(folder / "README.md")
    for config in card.data.configs:
        for split in config["data_files"]:
            paths = [split["path"]] if isinstance(split["path"], str) else split["path"]
            assert paths and all(list(folder.glob(path)) for path in paths)
    figures = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", card.text)
    assert len(figures) == 5 and all((folder / path).stat().st_size > 1000 for path in figures)
    recorded = json.loads(DataLayout(processed.data_dir).run_summary("run1").read_text(encoding="utf-8"))
    published = yaml.safe_load((folder / "thresholds.yaml").read_text(encoding="utf-8"))
    assert {k: v for k, v in published.items() if k != "dedup"} == {
        k: v for k, v in recorded["config"]["thresholds"].items() if k != "dedup"}
    for section in ("## Personal data", "## Crawling policy and opt-out", "## Limitations", "## Licence"):
        assert section in card.text
    assert "streaming=True" in card.text
    # what the text says of the configs is the header's: a dataset no later run grew a cluster of has no
    # `reprint_counts`, and its sample holds the rows there are
    named = set(re.findall(r"the config `([^`]+)`", card.text)) | set(re.findall(r'load_dataset\("[^"]+", "([^"]+)"',
                                                                                 card.text))
    assert named <= {config["config_name"] for config in card.data.configs}, named
    sample_rows = pq.read_metadata(folder / "sample" / "sample.parquet").num_rows
    assert f"a fixed sample of {sample_rows} rows" in card.text


def test_figures_are_rewritten_only_when_what_they_show_changes(processed: Crawl, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    figures = sorted((data_dir / "dataset" / "figures").glob("*.png"))
    before = {path: path.stat().st_mtime_ns for path in figures}
    (data_dir / "dataset" / "README.md").unlink()
    from corpus.card import write_card
    from corpus.layout import DatasetLayout
    from corpus.ledger import Ledger

    dataset = DatasetLayout(data_dir / "dataset")
    write_card(dataset, Ledger.replay(json.loads(dataset.changelog.read_text(encoding="utf-8"))), DataLayout(data_dir))
    assert {path: path.stat().st_mtime_ns for path in figures} == before


# the size categories the Hub's metadata accepts
HUB_SIZES = {"n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B", "1B<n<10B",
             "10B<n<100B", "100B<n<1T", "n>1T"}


def test_the_card_states_what_the_operator_set_and_invents_nothing(processed: Crawl, tmp_path: Path):
    from huggingface_hub import DatasetCard

    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    layout = DataLayout(data_dir)
    card = DatasetCard.load(layout.dataset / "README.md")
    assert "license" not in card.data.to_dict() and "has stated no licence" in card.text
    assert card.data.language == ["zh"] and set(card.data.size_categories) <= HUB_SIZES
    assert "<this repo" not in card.text and "github.com" not in card.text
    steps = re.findall(r"^\d+\. `\w+`: (.*)$", card.text, re.M)
    assert len(steps) > 10 and all(step.rstrip().endswith((".", ")", "…")) for step in steps), steps

    layout.dataset_config.write_text("name: 澄州新闻语料\nlicense: cc-by-nc-4.0\nrepo_id: our-lab/zh-news\n"
                                     "contact: https://our-lab.example/crawler\ncitation: '@misc{zh-news}'\n",
                                     encoding="utf-8")
    build_dataset(layout, progress=False)
    card = DatasetCard.load(layout.dataset / "README.md")
    assert card.data.license == "cc-by-nc-4.0" and card.data.pretty_name == "澄州新闻语料"
    assert 'load_dataset("our-lab/zh-news", split="train")' in card.text
    assert "hf://datasets/our-lab/zh-news" in card.text
    assert "https://our-lab.example/crawler" in card.text and "@misc{zh-news}" in card.text

    layout.dataset_config.write_text("license: free-for-all\n", encoding="utf-8")
    before = (layout.dataset / "README.md").read_bytes()
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "build", "--data-dir", str(data_dir), "--no-progress"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "is not a Hub licence id" in result.stderr and "Traceback" not in result.stderr
    assert (layout.dataset / "README.md").read_bytes() == before


def test_the_sample_is_fixed_and_loads(processed: Crawl):
    folder = processed.data_dir / "dataset"
    sample = datasets.load_dataset(str(folder), "sample", split="train")
    everything = datasets.load_dataset(str(folder), split="train")
    assert sample["id"] == sorted(everything["id"])[: len(sample)]  # the smallest ids: a hash of the URL


def test_days_of_publication_are_continuous_and_months_beyond_two_years():
    from collections import Counter
    from datetime import date

    from corpus.figures import continuous_days

    days = continuous_days(Counter({"2026-11-01": 3, "2026-11-04": 1, "not a day": 9}))
    assert days == [(date(2026, 11, 1), 3), (date(2026, 11, 2), 0), (date(2026, 11, 3), 0), (date(2026, 11, 4), 1)]
    months = continuous_days(Counter({"2020-01-15": 2, "2020-01-20": 1, "2026-11-04": 1}))
    assert months[0] == (date(2020, 1, 1), 3) and months[1] == (date(2020, 2, 1), 0) and len(months) == 83


def test_a_build_with_nothing_new_reads_no_data_file(processed: Crawl, tmp_path: Path):
    """The card is drawn again only when the ledger, dataset.yaml or the version changed: a night with
    nothing new costs nothing, however large the dataset (shown by a data file it would choke on)."""
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    layout = DataLayout(data_dir)
    build_dataset(layout, progress=False)  # the card's inputs recorded
    card = (layout.dataset / "README.md").read_bytes()
    (data_file,) = layout.dataset.glob("data/*/*.parquet")
    data_file.write_bytes(b"not parquet")
    summary = build_dataset(layout, progress=False)
    assert summary.added == {} and summary.total_rows == len(gold()) - 1
    assert (layout.dataset / "README.md").read_bytes() == card
    layout.dataset_config.write_text("name: changed\n", encoding="utf-8")  # the card is drawn again now, from
    build_dataset(layout, progress=False)  # the files' counts kept when they were first met: no file is read
    assert "# changed" in (layout.dataset / "README.md").read_text(encoding="utf-8")


def test_a_run_is_written_a_batch_at_a_time_with_every_row_once_and_nothing_staged_left(
        processed: Crawl, tmp_path: Path, monkeypatch):
    """A build reads a run a batch at a time (a large run would not fit in memory whole): with batches
    of 7 rows, the file holds every row once, in order, with `datasets`' features; what a killed build
    staged beside the dataset is cleared, and nothing staged ever enters the dataset."""
    import corpus.data_files

    monkeypatch.setattr(corpus.data_files, "BATCH_ROWS", 7)
    data_dir = tmp_path / "data"
    shutil.copytree(processed.data_dir, data_dir)
    layout = DataLayout(data_dir)
    shutil.rmtree(layout.dataset)
    staged = corpus.data_files.staging(DatasetLayout(layout.dataset))
    staged.mkdir(parents=True, exist_ok=True)
    (staged / "2026-11-run0.arrow").write_bytes(b"left by a killed build")
    build_dataset(layout, progress=False)
    (data_file,) = layout.dataset.glob("data/*/*.parquet")
    written, source = pq.read_table(data_file), pq.read_table(layout.dedup_docs("run1"))
    assert written.column("id").to_pylist() == source.column("id").to_pylist()
    assert written.column("text").to_pylist() == source.column("text").to_pylist()
    assert b"huggingface" in pq.read_schema(data_file).metadata
    assert not list(staged.iterdir()) and not [p for p in layout.dataset.rglob("*") if p.suffix == ".arrow"]
    assert datasets.load_dataset(str(layout.dataset), split="train").num_rows == len(gold()) - 1


def test_a_published_cluster_size_never_shrinks_from_one_build_to_the_next(tmp_path: Path):
    """A run deduplicated out of order and built later reports its cluster as it found it, smaller than
    a build before it published: the published size stays the larger (a cluster only grows)."""
    from corpus.build import update_cluster_sizes
    from corpus.layout import DatasetLayout
    from corpus.ledger import Ledger
    from corpus.run_stats import Reprint

    dataset = DatasetLayout(tmp_path / "dataset")
    (dataset.root / "data" / "2026-01").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["x"]}), dataset.root / "data" / "2026-01" / "run-a.parquet")
    ledger = Ledger.replay([{"kind": "run", "run": "run-a", "built_at": "t", "rows": {"2026-01": 1}}])
    for reported in (5, 3):
        update_cluster_sizes(dataset, ledger, [Reprint("x", "run-a", reported)], [])
    published = pq.read_table(dataset.cluster_sizes("2026-01")).to_pylist()
    assert published == [{"dup_cluster_id": "x", "dup_cluster_size": 5}]


@pytest.mark.parametrize("period", ["2026/10", "../x", "/tmp/zz", "2026-1", ""])
def test_a_period_that_is_no_month_never_names_a_dataset_file(tmp_path: Path, period: str):
    """The period names a folder under data/: one that is no YYYY-MM could leave the dataset."""
    with pytest.raises(ValueError, match="is not a period"):
        DatasetLayout(tmp_path).data_file(period, "run1")


def test_a_folder_holding_data_zhnews_did_not_write_is_refused_untouched(processed: Crawl, tmp_path: Path):
    """`build --out DIR` took every data/*/*.parquet of a folder without a ledger for a killed build's strays
    and deleted them, then wrote its card over the folder's README.md."""
    out = tmp_path / "theirs"
    (out / "data" / "train").mkdir(parents=True)
    theirs = out / "data" / "train" / "my-own-data.parquet"
    pq.write_table(pa.table({"text": ["我们自己的数据"]}), theirs)
    (out / "README.md").write_text("# our own dataset\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "build", "--data-dir", str(processed.data_dir),
                             "--out", str(out), "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "not a dataset folder zhnews wrote" in result.stderr, result.stderr
    assert theirs.is_file() and (out / "README.md").read_text(encoding="utf-8") == "# our own dataset\n"
    assert sorted(path.name for path in out.rglob("*")) == ["README.md", "data", "my-own-data.parquet", "train"]
