"""The dataset card (README.md): hub YAML header with configs, schema, statistics, steps, changelog.

Figures are computed from the published parquet files themselves and from the run statistics
`zhnews process` wrote (data/stats/<run>/summary.json), never typed by hand.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter

import pyarrow.parquet as pq
import yaml

from corpus.files import atomic_path
from corpus.layout import DataLayout, DatasetLayout
from corpus.record import COLUMN_DOCS, RECORD_SCHEMA


def _size_category(rows: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if rows < limit:
            return label
    return "n>1M"


def _header(files_by_period: dict[str, list[str]], rows: int) -> str:
    """Hub metadata. Data files are listed one by one, not as a glob: `datasets` (5.x) keys its cache
    of a local folder on this header, so a glob would let a grown dataset load stale rows."""
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": "train", "path": [f for files in files_by_period.values() for f in files]}]}]
    configs += [{"config_name": period, "data_files": [{"split": "train", "path": files}]}
                for period, files in files_by_period.items()]
    from datasets import Features

    meta = {
        "language": ["zh"],
        "pretty_name": "zhnews-corpus",
        "task_categories": ["text-generation"],
        "size_categories": [_size_category(rows)],
        "configs": configs,
        # the schema in the header: `datasets` keys its cache on it too, so a dataset whose columns
        # changed (a new zhnews version) never loads with the columns of an older one
        "dataset_info": {"features": Features.from_arrow_schema(RECORD_SCHEMA)._to_yaml_list()},
    }
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _configuration(run_stats: dict) -> list[str]:
    """The configuration the latest run recorded (`zhnews process` writes it into its summary)."""
    config = run_stats.get("config", {})
    lines = ["## Configuration in force", "",
             f"As recorded by the latest run (`{run_stats['run']}`); extractor: {run_stats.get('extractor')}.", ""]
    lines += _table(("setting", "value"), [(f"`{name}`", f"`{value}`") for name, value in sorted(config.items())])
    versions = ", ".join(f"{name} {version}" for name, version in sorted(run_stats.get("versions", {}).items()))
    return [*lines, "", f"Versions: {versions}.", ""]


def write_card(dataset: DatasetLayout, changelog: list[dict], layout: DataLayout) -> int:
    """Write the dataset's README.md; return the number of rows the dataset holds."""
    files = dataset.data_files()
    by_period: Counter[str] = Counter()
    by_site: Counter[str] = Counter()
    lengths: list[int] = []
    for path in files:
        table = pq.read_table(path, columns=["period", "site", "char_count"])
        by_period.update(table.column("period").to_pylist())
        by_site.update(str(site) for site in table.column("site").to_pylist())
        lengths += table.column("char_count").to_pylist()
    rows = len(lengths)
    files_by_period: dict[str, list[str]] = {}
    for path in files:
        files_by_period.setdefault(path.parent.name, []).append(dataset.relative(path))
    lines = [_header(files_by_period, rows), "# zhnews-corpus", "",
             "Chinese news articles crawled from the sites listed below, with boilerplate removed, text "
             "repaired and every dropped page accounted for. Built by "
             "[zhnews-corpus](https://github.com/zhnews-corpus/zhnews-corpus).", "",
             "```python", "from datasets import load_dataset",
             'ds = load_dataset("<this repo or folder>", split="train")            # everything',
             'ds = load_dataset("<this repo or folder>", "<YYYY-MM>", split="train")  # one crawl period',
             "```", "", "## Statistics", "",
             f"{rows} documents, {sum(lengths)} characters; "
             f"median document {int(statistics.median(lengths)) if lengths else 0} characters.", ""]
    lines += _table(("period", "documents"), sorted(by_period.items())) + [""]
    lines += _table(("site", "documents"), sorted(by_site.items())) + ["", "## Schema", ""]
    lines += _table(("column", "type", "meaning"),
                    [(f"`{f.name}`", f"`{f.type}`", COLUMN_DOCS[f.name]) for f in RECORD_SCHEMA]) + [""]
    latest = layout.run_summary(changelog[-1]["run"]) if changelog else None
    if latest and latest.exists():
        run_stats = json.loads(latest.read_text(encoding="utf-8"))
        lines += ["## Processing steps", "", "Each step may drop a page; dropped pages are kept, with the "
                  "reason, in the pipeline's `rejects/` folder.", ""]
        lines += [f"{i}. `{step['step']}`: {step['does']}" for i, step in enumerate(run_stats["pipeline"], 1)]
        lines.append("")
        lines += _configuration(run_stats)
    lines += ["## Changelog", ""]
    for entry in reversed(changelog):
        added = ", ".join(f"{period}: +{n}" for period, n in entry["rows"].items()) or "no new documents"
        lines.append(f"- `{entry['run']}` (built {entry['built_at']}): {added}")
    with atomic_path(dataset.card) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows
