"""The dataset card (README.md): hub YAML header with configs, schema, statistics, steps, changelog.

Figures are computed from the published parquet files themselves and from the run statistics
`zhnews process` wrote (data/stats/<run>/summary.json), never typed by hand.
"""

from __future__ import annotations

import json
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from corpus.data_files import rows_with_ids
from corpus.dataset_config import DatasetConfig
from corpus.figures import CardFigures, draw
from corpus.file_stats import SMALLEST_IDS, dataset_stats
from corpus.files import atomic_path, write_json
from corpus.layout import DataLayout, DatasetLayout
from corpus.ledger import Ledger
from corpus.record import COLUMN_DOCS, RECORD_SCHEMA
from corpus.run_stats import DedupStats, RunSummary, dropped_by_step
from corpus.version import zhnews_version

# the newest runs the card's changelog shows; changelog.json beside it holds them all
CHANGELOG_SHOWN = 30


# the Hub's size categories (huggingface_hub's dataset card metadata)
_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
          (10_000_000_000, "1B<n<10B"), (100_000_000_000, "10B<n<100B"), (1_000_000_000_000, "100B<n<1T"))
SAMPLE_FILE = "sample/sample.parquet"
HUB_LANGUAGES = ("zh", "yue")  # the languages the language filter keeps, as ISO 639 codes
LANGUAGE_SHARE = 0.01


def size_category(rows: int) -> str:
    return next((label for limit, label in _SIZES if rows < limit), "n>1T")


def _header(periods: list[str], rows: int, size: int, data_bytes: int, config: DatasetConfig,
            languages: list[str], reprint_counts: bool) -> str:
    """Hub metadata: a config per period as its folder's glob, so the header stays small however many
    runs were published. A cache keyed on it cannot serve stale rows: `dataset_info` states the rows and
    bytes, which change with every build that adds or removes rows (`datasets` keys its cache of a local
    folder on them and also checks the row count), and a file that lost rows has a new name. Nothing
    the operator did not state (dataset.yaml) is filled in: no licence, no name."""
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": "train", "path": "data/*/*.parquet"}]}]
    configs += [{"config_name": period, "data_files": [{"split": "train", "path": f"data/{period}/*.parquet"}]}
                for period in periods]
    if rows:
        configs.append({"config_name": "sample", "data_files": [{"split": "train", "path": SAMPLE_FILE}]})
    if reprint_counts:
        configs.append({"config_name": "reprint_counts",
                        "data_files": [{"split": "train", "path": "clusters/*.parquet"}]})
    from datasets import Features

    meta: dict[str, object] = {}
    if config.license:
        meta["license"] = config.license
        if config.license == "other":
            meta.update(license_name=config.license_name, license_link=config.license_link)
    if config.name:
        meta["pretty_name"] = config.name
    if languages:
        meta["language"] = languages
    meta.update({
        "task_categories": ["text-generation"],
        "size_categories": [size_category(rows)],
        "configs": configs,
        # the schema in the header: `datasets` keys its cache on it too, so a dataset whose columns
        # changed (a new zhnews version) never loads with the columns of an older one
        "dataset_info": {"features": Features.from_arrow_schema(RECORD_SCHEMA)._to_yaml_list(),
                         "splits": [{"name": "train", "num_bytes": data_bytes, "num_examples": rows}],
                         "download_size": size, "dataset_size": data_bytes},
    })
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def _usage(where: str, periods: list[str], on_hub: bool, sample_rows: int, reprint_counts: bool) -> list[str]:
    """How to load it, with `datasets` and without; the configs named are the header's."""
    period = periods[-1] if periods else "2026-01"
    files = f"hf://datasets/{where}/data/*/*.parquet" if on_hub else f"{where}/data/*/*.parquet"
    lines = ["```python", "from datasets import load_dataset",
             f'ds = load_dataset("{where}", split="train")                  # everything',
             f'ds = load_dataset("{where}", "{period}", split="train")       # one crawl period',
             f'ds = load_dataset("{where}", split="train", streaming=True)  # without downloading',
             f'ds = load_dataset("{where}", "sample", split="train")        # a fixed sample of {sample_rows} rows',
             "```", "",
             "`dup_cluster_size` counts the copies of a story dedup had found when its row was published. Copies "
             "found by later runs (a wire story reprinted days later) are counted in `clusters/<period>.parquet` "
             f"(`dup_cluster_id`, `dup_cluster_size`; {'the config `reprint_counts`' if reprint_counts else 'none yet'}"
             "), the period of the story's row: for the current count, join on `dup_cluster_id` and take that size "
             "where there is one.", "",
             "### Reading the files without `datasets`", "",
             "Every file holds current rows only, one per `id`: a revised article's earlier version and "
             "withdrawn rows are removed from the files themselves, so any parquet reader needs no filter.", "",
             "```python", "import duckdb, polars, pyarrow.parquet as pq",
             f'duckdb.sql("SELECT id, title, published_at FROM \'{files}\'")',
             f'polars.scan_parquet("{files}").select("id", "text")']
    if on_hub:
        lines += ["from huggingface_hub import HfFileSystem", "fs = HfFileSystem()",
                  f'table = pq.read_table(fs.glob("datasets/{where}/data/*/*.parquet"), filesystem=fs)']
    else:
        lines += ["import glob", f'table = pq.read_table(sorted(glob.glob("{files}")))']
    return [*lines, "```", ""]


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _configuration(run_stats: RunSummary) -> list[str]:
    """The configuration the latest run recorded (`zhnews process` writes it into its summary)."""
    lines = ["## Configuration in force", "",
             f"As recorded by the latest run (`{run_stats.run}`); extractor: {run_stats.extractor}.", ""]
    lines += _table(("setting", "value"), [(f"`{name}`", f"`{value}`") for name, value in
                                           sorted(run_stats.config.items()) if name != "thresholds"])
    versions = ", ".join(f"{name} {version}" for name, version in sorted(run_stats.versions.items()))
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


def _removals(layout: DataLayout, runs: list[str], removed: Counter[tuple[str, str]]) -> list[str]:
    """How many documents each step removed, and why, over every published run (counted into `removed`)."""
    documents = kept = 0
    for run in runs:
        if layout.run_summary(run).exists():
            removed.update(dropped_by_step(RunSummary.read(layout.run_summary(run), run).counters))
        if layout.dedup_stats(run).exists():
            dedup = DedupStats.read(layout.dedup_stats(run), run)
            removed.update(dropped_by_step(dedup.counters))
            documents += dedup.documents
            kept += dedup.kept
    lines = ["## Removed documents", "",
             "Pages and copies each step dropped, over every published run; each is kept with its reason in "
             "the pipeline's `rejects/` folder (`zhnews report RUN` shows examples).", ""]
    lines += _table(("step", "reason", "documents"), [(f"`{s}`", r, n) for (s, r), n in sorted(removed.items())])
    if documents:
        lines += ["", f"Deduplication: {documents} documents in, {kept} kept, {documents - kept} dropped as the same "
                  "URL, the same text or a near-copy (character 5-gram MinHash LSH, every merged pair verified "
                  "by its exact Jaccard similarity)."]
    return [*lines, ""]


def summary_line(rows: int, revised: int, chars: int, median: int, sites: int) -> str:
    """The card's one-sentence summary (`zhnews demo` prints it too)."""
    return (f"{rows} documents from {sites} site(s), {chars} characters, median document about {median} "
            f"characters; {revised} earlier versions replaced by revisions.")


def _policies(pii_masked: Counter[str], config: DatasetConfig, runs: list[dict]) -> list[str]:
    masked = ", ".join(f"{kind} {n}" for kind, n in sorted(pii_masked.items())) or "none found"
    imported = sum(1 for run in runs if run.get("imported"))
    was, its = ("was", "its") if imported == 1 else ("were", "their")
    elsewhere = (f" {imported} of the {len(runs)} published run(s) {was} not crawled by zhnews-corpus but imported "
                 "from WARC archives another crawler made (`zhnews import-warc`, e.g. CC-NEWS): "
                 f"{its} pages were fetched under that archiver's robots.txt handling, pace and User-Agent."
                 if imported else "")
    return [
        "## Personal data", "",
        "E-mail addresses, mainland mobile numbers, resident ID numbers (checksum-valid) and bank card numbers "
        "(Luhn-valid) are replaced by `<EMAIL>`, `<PHONE>`, `<ID_NUMBER>` and `<BANK_CARD>`; the `pii` column "
        f"counts them per document. Masked in the published rows: {masked}. Names of people in the news are "
        "not masked: they are the news.", "",
        "## Crawling policy and opt-out", "",
        "Pages were fetched only where robots.txt allows (an unreachable or failing robots.txt counts as "
        "\"disallow all\"), throttled per site (AutoThrottle, at most 4 requests at once by default) and "
        "honouring Crawl-delay, with a User-Agent naming zhnews-corpus" + (
            f" and a contact ({config.contact})" if config.contact else "") + "." + elsewhere + " A site that wants to "
        "opt out disallows that User-Agent in its robots.txt: later crawls fetch nothing more from it. A "
        "publisher may also ask for its articles (a URL or a whole site) to be withdrawn" + (
            f" ({config.contact})" if config.contact else "") + ": they are removed "
        "from the files and kept out of later crawls, and the changelog records each withdrawal.", "",
        "## Limitations", "",
        "Extraction and filtering are automatic: some boilerplate remains and some short articles are dropped "
        "(see the removal table). Dates are what the pages state. Text is never converted between Simplified "
        "and Traditional characters (`script` says which). Near-duplicate removal compares documents within a "
        "run and against every earlier run, not the other way: an earlier copy stays published.", "",
        "## Licence", "",
        (f"Published under `{config.license}`" + (f" ({config.license_name}: {config.license_link})"
                                                   if config.license == "other" else "") + ". "
         if config.license else "The publisher of this dataset has stated no licence for it. ")
        + "The articles remain the property of their publishers; check the terms of each source before any "
        "use beyond research on language and text. zhnews-corpus, the code that built it, is Apache-2.0.", "",
        *(["## Citation", "", "```", config.citation, "```", ""] if config.citation else []),
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


def _sample(dataset: DatasetLayout, smallest: list[tuple[str, str]]) -> None:
    """The `sample` config's file: the rows with the smallest ids (a hash of the URL, so a uniform draw
    that stays put: an article leaves it only when it leaves the dataset, or a smaller id arrives).
    Rows already in it are taken from it, so a build reads only the files that bring new sample rows;
    `.sample.json` (a dot file) says which file each row came from. Written only when its rows change,
    so a publish sends it only then."""
    target, origins = dataset.root / SAMPLE_FILE, dataset.root / ".sample.json"
    wanted = sorted(smallest)
    try:
        before = {tuple(pair) for pair in json.loads(origins.read_text("utf-8"))} if target.exists() else set()
    except (FileNotFoundError, ValueError):
        before = set()
    if {tuple(pair) for pair in wanted} == before:
        return
    if not wanted:
        target.unlink(missing_ok=True)
        origins.unlink(missing_ok=True)
        return
    kept_ids = sorted(row_id for row_id, path in wanted if (row_id, path) in before)
    parts = [rows_with_ids(target, kept_ids)] if kept_ids else []
    to_read: dict[str, list[str]] = {}
    for row_id, path in wanted:
        if (row_id, path) not in before:
            to_read.setdefault(path, []).append(row_id)
    parts += [rows_with_ids(dataset.root / path, ids) for path, ids in to_read.items()]
    table = pa.concat_tables([part.cast(parts[-1].schema) for part in parts]).sort_by("id")
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    write_json(origins, wanted)


def write_card(dataset: DatasetLayout, ledger: Ledger, layout: DataLayout) -> tuple[int, str]:
    """Write the dataset's README.md and its sample; return the rows the dataset holds and the card's
    summary line. BadDatasetConfig for a wrong dataset.yaml, before anything is written."""
    config = DatasetConfig.load(layout.dataset_config)
    files = sorted(ledger.live)
    changelog = ledger.published_runs()
    counted = dataset_stats(dataset.root, files)  # each file's counts, kept from the build that first met it
    shown = CardFigures(by_day=counted.by_day)
    _sample(dataset, counted.smallest)
    rows, by_period, by_site, languages = counted.rows, counted.by_period, counted.by_site, counted.languages
    periods = sorted({ledger.live[relative].period for relative in files})
    summary = summary_line(rows, ledger.removed("revised"), counted.chars, counted.median_length, len(by_site))
    size, data_bytes = counted.bytes_on_disk, counted.data_bytes
    where, on_hub = (config.repo_id, True) if config.repo_id else (str(dataset.root), False)
    reprint_counts = any(dataset.root.glob("clusters/*.parquet"))
    # a language of the Hub's metadata: one the language filter keeps (zh, yue), on at least 1% of the rows
    tagged = sorted(lang for lang, n in languages.items() if lang in HUB_LANGUAGES and n >= LANGUAGE_SHARE * rows)
    lines = [_header(periods, rows, size, data_bytes, config, tagged, reprint_counts),
             f"# {config.name or 'Chinese news articles'}", "",
             config.description or "Chinese news articles crawled from the sites listed below, with boilerplate "
             "removed, text repaired and every dropped page accounted for.",
             "", f"Built with zhnews-corpus {zhnews_version() or '(not installed)'}.", "",
             *_usage(where, periods, on_hub, min(rows, SMALLEST_IDS), reprint_counts),
             "## Statistics", "", summary, ""]
    lines += _table(("period", "documents"), sorted(by_period.items())) + [""]
    lines += _table(("site", "documents"), sorted(by_site.items())) + ["", "## Schema", ""]
    lines += _table(("column", "type", "meaning"),
                    [(f"`{f.name}`", f"`{f.type}`", COLUMN_DOCS[f.name]) for f in RECORD_SCHEMA]) + [""]
    latest = changelog[-1]["run"] if changelog else None
    if latest and layout.run_summary(latest).exists():
        run_stats = RunSummary.read(layout.run_summary(latest), latest)
        lines += ["## Processing steps", "", "Each step may drop a page; dropped pages are kept, with the "
                  "reason, in the pipeline's `rejects/` folder.", ""]
        lines += [f"{i}. `{step['step']}`: {step['does']}" for i, step in enumerate(run_stats.pipeline, 1)]
        lines += ["", "Then `zhnews dedup`, against every earlier run: `same_url` (one row per id, the newest "
                  "fetch wins, a revision supersedes the earlier row), `exact_text` (the same normalised text "
                  "under another URL) and `near_text` (MinHash LSH on character 5-grams, each candidate pair "
                  "verified by its exact Jaccard similarity against the threshold below).", ""]
        removed: Counter[tuple[str, str]] = Counter()
        lines += _removals(layout, [entry["run"] for entry in changelog], removed)
        shown.removals.update({f"{step}: {reason}": n for (step, reason), n in removed.items()})
        if "thresholds" in run_stats.config:
            in_force = dict(run_stats.config["thresholds"])
            if layout.dedup_stats(latest).exists():  # dedup's own, over what process recorded
                in_force["dedup"] = DedupStats.read(layout.dedup_stats(latest), latest).thresholds
            lines += _thresholds(dataset, in_force)
        lines += _configuration(run_stats)
    shown.by_site, shown.lengths, shown.growth = by_site, counted.lengths, ledger.growth()
    lines += ["## Figures", ""]
    lines += [f"![{title}]({path})" for title, path in draw(shown, dataset.root).items()]
    lines += ["", *_policies(counted.pii, config, changelog), "## Changelog", ""]
    lines += _changelog(ledger)
    with atomic_path(dataset.card) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows, summary
