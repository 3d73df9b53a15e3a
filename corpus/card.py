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

from corpus.figures import CardFigures, draw
from corpus.files import atomic_path
from corpus.layout import DataLayout, DatasetLayout
from corpus.ledger import Ledger
from corpus.record import COLUMN_DOCS, RECORD_SCHEMA

# the newest runs the card's changelog shows; changelog.json beside it holds them all
CHANGELOG_SHOWN = 30


def _size_category(rows: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if rows < limit:
            return label
    return "n>1M"


def _header(files_by_period: dict[str, list[str]], rows: int, size: int, data_bytes: int) -> str:
    """Hub metadata: a config per period as its folder's glob, so the header stays small however many
    runs were published. A cache keyed on it cannot serve stale rows: `dataset_info` states the rows and
    bytes, which change with every build that adds or removes rows (`datasets` keys its cache of a local
    folder on them and also checks the row count), and a file that lost rows has a new name."""
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": "train", "path": "data/*/*.parquet"}]}]
    configs += [{"config_name": period, "data_files": [{"split": "train", "path": f"data/{period}/*.parquet"}]}
                for period in sorted(files_by_period)]
    if files_by_period:  # a small first look: the newest run's file (one night of crawling)
        newest = max(f for files in files_by_period.values() for f in files)
        configs.append({"config_name": "sample", "data_files": [{"split": "train", "path": [newest]}]})
    from datasets import Features

    meta = {
        "language": ["zh"],
        "pretty_name": "zhnews-corpus",
        "task_categories": ["text-generation"],
        "size_categories": [_size_category(rows)],
        "configs": configs,
        # the schema in the header: `datasets` keys its cache on it too, so a dataset whose columns
        # changed (a new zhnews version) never loads with the columns of an older one
        "dataset_info": {"features": Features.from_arrow_schema(RECORD_SCHEMA)._to_yaml_list(),
                         "splits": [{"name": "train", "num_bytes": data_bytes, "num_examples": rows}],
                         "download_size": size, "dataset_size": data_bytes},
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
    lines += _table(("setting", "value"), [(f"`{name}`", f"`{value}`") for name, value in sorted(config.items())
                                           if name != "thresholds"])
    versions = ", ".join(f"{name} {version}" for name, version in sorted(run_stats.get("versions", {}).items()))
    return [*lines, "", f"Versions: {versions}.", ""]


def _thresholds(dataset: DatasetLayout, thresholds: dict) -> list[str]:
    """The thresholds in force, as a table and as `thresholds.yaml` beside the card."""
    with atomic_path(dataset.thresholds) as tmp:
        tmp.write_text("# The filter and dedup thresholds in force when this dataset was last built.\n"
                       "# Their published sources: cleaning/thresholds.yaml in zhnews-corpus.\n"
                       + yaml.safe_dump(thresholds, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = ["## Filters and thresholds", "",
             "Every signal is stored in the `quality` column, so rows can be re-filtered without re-processing. "
             "The values in force, also in [thresholds.yaml](thresholds.yaml):", ""]
    rows = [(f"`{section}`", f"`{key}`", f"`{value}`") for section, settings in thresholds.items()
            for key, value in settings.items()]
    return [*lines, *_table(("step", "threshold", "value"), rows), ""]


def dropped_by_step(counters: dict[str, int]) -> Counter[tuple[str, str]]:
    """(step, reason) → documents, from a run's counters (`<step>/dropped/<reason>`, the grammar of
    cleaning/steps/base.py; `zhnews report` reads them with this too)."""
    found: Counter[tuple[str, str]] = Counter()
    for key, n in counters.items():
        step, _, rest = key.partition("/")
        if rest.startswith("dropped/"):
            found[(step, rest.removeprefix("dropped/"))] += n
    return found


def _removals(layout: DataLayout, runs: list[str], removed: Counter[tuple[str, str]]) -> list[str]:
    """How many documents each step removed, and why, over every published run (counted into `removed`)."""
    documents = kept = 0
    for run in runs:
        for path in (layout.run_summary(run), layout.dedup_stats(run)):
            if not path.exists():
                continue
            stats = json.loads(path.read_text(encoding="utf-8"))
            removed.update(dropped_by_step(stats.get("counters", {})))
            if path == layout.dedup_stats(run):
                documents += stats["documents"]
                kept += stats["kept"]
    lines = ["## Removed documents", "",
             "Pages and copies each step dropped, over every published run; each is kept with its reason in "
             "the pipeline's `rejects/` folder (`zhnews report RUN` shows examples).", ""]
    lines += _table(("step", "reason", "documents"), [(f"`{s}`", r, n) for (s, r), n in sorted(removed.items())])
    if documents:
        lines += ["", f"Deduplication: {documents} documents in, {kept} kept, {documents - kept} dropped as the same "
                  "URL, the same text or a near-copy (character 5-gram MinHash LSH, every merged pair verified "
                  "by its exact Jaccard similarity)."]
    return [*lines, ""]


def summary_line(rows: int, superseded: int, lengths: list[int], sites: int) -> str:
    """The card's one-sentence summary (`zhnews demo` prints it too)."""
    median = int(statistics.median(lengths)) if lengths else 0
    return (f"{rows} documents from {sites} site(s), {sum(lengths)} characters, median document {median} "
            f"characters; {superseded} earlier versions superseded by revisions.")


def _policies(pii_masked: Counter[str]) -> list[str]:
    masked = ", ".join(f"{kind} {n}" for kind, n in sorted(pii_masked.items())) or "none found"
    return [
        "## Personal data", "",
        "E-mail addresses, mainland mobile numbers, resident ID numbers (checksum-valid) and bank card numbers "
        "(Luhn-valid) are replaced by `<EMAIL>`, `<PHONE>`, `<ID_NUMBER>` and `<BANK_CARD>`; the `pii` column "
        f"counts them per document. Masked in the published rows: {masked}. Names of people in the news are "
        "not masked: they are the news.", "",
        "## Crawling policy and opt-out", "",
        "Pages were fetched only where robots.txt allows (an unreachable or failing robots.txt counts as "
        "\"disallow all\"), throttled per site (AutoThrottle, at most 4 requests at once by default) and "
        "honouring Crawl-delay, with a User-Agent naming the project and a contact. A site that wants to "
        "opt out disallows that User-Agent in its robots.txt: later crawls fetch nothing more from it. A "
        "publisher may also ask for its articles (a URL or a whole site) to be withdrawn: they are removed "
        "from the files and kept out of later crawls, and the changelog records each withdrawal.", "",
        "## Limitations", "",
        "Extraction and filtering are automatic: some boilerplate remains and some short articles are dropped "
        "(see the removal table). Dates are what the pages state. Text is never converted between Simplified "
        "and Traditional characters (`script` says which). Near-duplicate removal compares documents within a "
        "run and against every earlier run, not the other way: an earlier copy stays published.", "",
        "## Licence", "",
        "The articles remain the property of their publishers; this dataset is for research on language and "
        "text, and the crawl configuration and code (zhnews-corpus) are Apache-2.0. Check the terms of each "
        "source before any other use.", "",
    ]


def _changelog(ledger: Ledger) -> list[str]:
    """The newest runs and withdrawals, newest first; changelog.json holds every entry."""
    shown = [entry for entry in ledger.entries if entry.get("kind", "run") in ("run", "withdrawal")]
    lines = []
    for entry in reversed(shown[-CHANGELOG_SHOWN:]):
        if entry.get("kind") == "withdrawal":
            lines.append(f"- withdrawal of {entry['scope']} `{entry['value']}` ({entry['at']}): {entry['rows']} "
                         f"row(s) removed; reason: {entry['reason']}")
            continue
        added = ", ".join(f"{period}: +{n}" for period, n in entry["rows"].items()) or "no new documents"
        revised = f"; {entry['superseded']} revised (earlier versions removed)" if entry.get("superseded") else ""
        lines.append(f"- `{entry['run']}` (built {entry['built_at']}): {added}{revised}")
    if len(shown) > CHANGELOG_SHOWN:
        lines.append(f"- … {len(shown) - CHANGELOG_SHOWN} earlier entries: [changelog.json](changelog.json)")
    return lines


def write_card(dataset: DatasetLayout, ledger: Ledger, layout: DataLayout) -> tuple[int, str]:
    """Write the dataset's README.md; return the rows the dataset holds and the card's summary line."""
    files = [dataset.root / relative for relative in sorted(ledger.live)]
    changelog = ledger.published_runs()
    by_period: Counter[str] = Counter()
    by_site: Counter[str] = Counter()
    lengths: list[int] = []
    shown = CardFigures()
    columns = ["id", "crawl_run", "period", "site", "char_count", "published_at", "pii"]
    pii_masked: Counter[str] = Counter()
    for path in files:
        for row in pq.read_table(path, columns=columns).to_pylist():
            by_period[row["period"]] += 1
            by_site[str(row["site"])] += 1
            lengths.append(row["char_count"])
            if row["published_at"]:
                shown.by_day[row["published_at"][:10]] += 1
            pii_masked.update({kind: n for kind, n in (row["pii"] or {}).items() if n})
    rows = len(lengths)
    files_by_period: dict[str, list[str]] = {}
    for path in files:
        files_by_period.setdefault(path.parent.name, []).append(dataset.relative(path))
    summary = summary_line(rows, ledger.removed("revised"), lengths, len(by_site))
    size = sum(path.stat().st_size for path in files)
    # uncompressed bytes, as parquet records them (the Arrow size `datasets` means, near enough)
    data_bytes = sum(pq.read_metadata(path).row_group(g).total_byte_size for path in files
                     for g in range(pq.read_metadata(path).num_row_groups))
    lines = [_header(files_by_period, rows, size, data_bytes), "# zhnews-corpus", "",
             "Chinese news articles crawled from the sites listed below, with boilerplate removed, text "
             "repaired and every dropped page accounted for. Built by "
             "[zhnews-corpus](https://github.com/zhnews-corpus/zhnews-corpus).", "",
             "```python", "from datasets import load_dataset",
             'ds = load_dataset("<this repo or folder>", split="train")                   # everything',
             'ds = load_dataset("<this repo or folder>", "<YYYY-MM>", split="train")         # one crawl period',
             'ds = load_dataset("<this repo or folder>", split="train", streaming=True)   # without downloading',
             'ds = load_dataset("<this repo or folder>", "sample", split="train")         # the newest run only',
             "```", "", "## Statistics", "", summary, ""]
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
        lines += ["", "Then `zhnews dedup`, against every earlier run: `same_url` (one row per id, the newest "
                  "fetch wins, a revision supersedes the earlier row), `exact_text` (the same normalised text "
                  "under another URL) and `near_text` (MinHash LSH on character 5-grams, each candidate pair "
                  "verified by its exact Jaccard similarity against the threshold below).", ""]
        removed: Counter[tuple[str, str]] = Counter()
        lines += _removals(layout, [entry["run"] for entry in changelog], removed)
        shown.removals.update({f"{step}: {reason}": n for (step, reason), n in removed.items()})
        if "thresholds" in run_stats.get("config", {}):
            in_force = dict(run_stats["config"]["thresholds"])
            dedup_stats = layout.dedup_stats(run_stats["run"])
            if dedup_stats.exists():  # dedup's own, over what process recorded
                in_force["dedup"] = json.loads(dedup_stats.read_text(encoding="utf-8"))["thresholds"]
            lines += _thresholds(dataset, in_force)
        lines += _configuration(run_stats)
    shown.by_site, shown.lengths = by_site, lengths
    lines += ["## Figures", ""]
    lines += [f"![{title}]({path})" for title, path in draw(shown, dataset.root).items()]
    lines += ["", *_policies(pii_masked), "## Changelog", ""]
    lines += _changelog(ledger)
    with atomic_path(dataset.card) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows, summary
