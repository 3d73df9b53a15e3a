"""Extraction quality harness: our whole pipeline against open extractors, on the gold sets.

A gold set is a folder with `items.jsonl` (one page a line: `id`, `html_file`, `gold_text`, optional
`url`, `author`, `date`) and the gzipped pages under `html/` (format: ../shared/eval/*/SOURCE.md).
"Ours" is the real processing pipeline, `build_steps(ProcessConfig(), …)`, fed an HTTP 200 response,
so every later step (repair, furniture removal, filters) counts; a dropped page scores as empty text.
A second row runs its steps only up to extraction, which is what the time budget is about.
Baselines get the same bytes decoded the same way. Scores come from `cleaning.eval.metric`.

Pages are split into halves by a hash of their bytes (identical HTML in two sets lands in the same
half): tune on `dev`, confirm on `test`.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cleaning.eval import baselines as eval_baselines
from cleaning.eval.metadata import author_matches, date_matches, gold_date, title_matches
from cleaning.eval.metric import Score, macro, score
from cleaning.extraction.result import Extraction
from cleaning.steps.decode import decode_html

OURS = "ours (pipeline)"
# extraction is scored up to the length filter: the quality filters (language, repetition, …) judge
# whether a page belongs in a news corpus, which `zhnews eval-filters` scores; the older gold sets
# hold syllabi, agendas and wiki pages that they rightly drop
LAST_BEFORE_QUALITY_FILTERS = "min_length"
OURS_EXTRACT = "ours: decode + extract steps only"
CONTENT_TYPE = "text/html"  # no charset: the pipeline must find it, as with a server that sends none

PageExtractor = Callable[[bytes, str | None], Extraction]


class EvalDataMissing(FileNotFoundError):
    """The gold sets are not where we looked."""


class BadGoldSet(ValueError):
    """A gold set's items.jsonl that cannot be read: the message names the file and the line."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    url: str | None
    gold: str
    author: str | None
    date: str | None
    html_path: Path
    title: str | None = None

    def body(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


@dataclass
class Run:
    """One extractor over one set: a score, a time and an extraction per page (None: unavailable)."""

    name: str
    unavailable: str = ""
    scores: list[Score] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_page(self) -> float:
        return self.seconds / len(self.scores) if self.scores else 0.0


def find_sets(eval_dir: Path, names: Iterable[str] = ()) -> list[Path]:
    """The set folders under `eval_dir` (those named, or all), with a clear error when absent."""
    if not eval_dir.is_dir():
        raise EvalDataMissing(f"no gold sets at {eval_dir} (expected ../shared/eval next to the repo; use --data)")
    found = sorted(p for p in eval_dir.iterdir() if (p / "items.jsonl").is_file())
    wanted = list(names)
    unknown = set(wanted) - {p.name for p in found}
    if unknown or not found:
        raise EvalDataMissing(f"no set {', '.join(sorted(unknown)) or 'at all'} under {eval_dir}")
    return [p for p in found if not wanted or p.name in wanted]


def split_of(body: bytes) -> str:
    return "dev" if hashlib.sha1(body).digest()[0] % 2 == 0 else "test"


def load_set(set_dir: Path, split: str = "all") -> list[EvalItem]:
    """The pages of the set (or of its dev/test half); BadGoldSet for a file that is empty, not UTF-8
    (a BOM is allowed) or holds a row that is not an object with id and html_file (blank lines are)."""
    path = set_dir / "items.jsonl"
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise BadGoldSet(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise BadGoldSet(f"{path} line {number}: not a JSON row ({error})") from None
        missing = [key for key in ("id", "html_file") if not isinstance(row, dict) or key not in row]
        if missing:
            raise BadGoldSet(f"{path} line {number}: no {' or '.join(missing)}")
        item = EvalItem(row["id"], row.get("url"), row.get("gold_text") or "", row.get("author"), row.get("date"),
                        set_dir / row["html_file"], row.get("title"))
        if split == "all" or split_of(item.body()) == split:
            items.append(item)
    if not any(line.strip() for line in lines):
        raise BadGoldSet(f"{path} holds no pages")
    return items


def pipeline_extractor(through: str | None = None) -> PageExtractor:
    """The processing pipeline as `zhnews process` builds it, on one HTTP response; with `through`,
    only its steps up to the one of that name (to time and score extraction apart from cleaning)."""
    from cleaning.config import ProcessConfig
    from cleaning.document import Document
    from cleaning.pipeline import build_steps
    from corpus.layout import DataLayout

    # pages are scored one by one: the corpus-level step (repeated lines) has no corpus here, so its
    # index folder is never created and it leaves the text alone
    steps = build_steps(ProcessConfig(), DataLayout(Path(tempfile.gettempdir()) / "zhnews-eval-index"))
    if through:
        steps = steps[: [step.name for step in steps].index(through) + 1]
    crawled_at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def run(body: bytes, url: str | None) -> Extraction:
        doc = Document(url=url or "", crawled_at=crawled_at, crawl_run="eval", period=crawled_at[:7],
                       status=200, headers={"content-type": CONTENT_TYPE}, body=body)
        for step in steps:
            reason = step(doc)
            if reason:
                return Extraction(text="", reason=f"{step.name}: {reason}")
        found = Extraction(text=doc.text)
        found.fill_missing(doc)
        return found

    return run


def _decoding(extract: eval_baselines.HtmlExtractor) -> PageExtractor:
    return lambda body, url: extract(decode_html(body, CONTENT_TYPE)[0], url)


def extractor_names() -> list[str]:
    """What `extractors` takes: ours, then every baseline."""
    return ["ours", *(baseline.name for baseline in eval_baselines.BASELINES)]


def extractors(names: Iterable[str] = ()) -> list[tuple[str, PageExtractor | None, str]]:
    """(name, extractor or None, why unavailable): ours first, then the baselines (all, or those named)."""
    wanted = set(names)
    chosen: list[tuple[str, PageExtractor | None, str]] = []
    if not wanted or "ours" in wanted or OURS in wanted:
        chosen.append((OURS, pipeline_extractor(through=LAST_BEFORE_QUALITY_FILTERS), ""))
        chosen.append((OURS_EXTRACT, pipeline_extractor(through="extract"), ""))
    for baseline in eval_baselines.BASELINES:
        if not wanted or baseline.name in wanted:
            extract, why = eval_baselines.load_baseline(baseline)
            chosen.append((baseline.name, _decoding(extract) if extract else None, why))
    return chosen


def run_set(items: list[EvalItem], chosen: list[tuple[str, PageExtractor | None, str]]) -> list[Run]:
    """Every extractor on every page; pages outer so that disk and cache effects hit all alike."""
    runs = [Run(name, why) for name, _, why in chosen]
    if items:  # untimed: a model or table loaded on first use is a cost per process, not per page
        for _, extract, _ in chosen:
            if extract is not None:
                extract(items[0].body(), items[0].url)
    for item in items:
        body = item.body()
        for run, (_, extract, _) in zip(runs, chosen):
            if extract is None:
                continue
            gc.collect()  # untimed: nobody pays for the garbage the extractor before it left
            start = time.perf_counter()
            got = extract(body, item.url)
            run.seconds += time.perf_counter() - start
            run.extractions.append(got)
            run.scores.append(score(got.text, item.gold))
    return runs


def metadata_runs(items: list[EvalItem], runs: list[Run]) -> list[Run]:
    """Metadata-only runs for baselines that report metadata separately (not timed)."""
    extra = []
    for baseline in eval_baselines.BASELINES:
        if baseline.metadata and any(r.name == baseline.name for r in runs):
            run = Run(f"{baseline.name} (metadata)")
            run.extractions = [baseline.metadata(decode_html(i.body(), CONTENT_TYPE)[0], i.url) for i in items]
            extra.append(run)
    return extra


def quality_table(runs: list[Run]) -> str:
    reference = next((r.per_page for r in runs if r.name == eval_baselines.REFERENCE and r.scores), 0.0)
    lines = ["| extractor | macro F1 | fail (F1 < 0.5) | time / page (× trafilatura) |", "|---|---|---|---|"]
    for run in runs:
        if run.unavailable:
            lines.append(f"| {run.name} | n/a ({run.unavailable}) | | |")
            continue
        f1, failed = macro(run.scores)
        ratio = f"{run.per_page / reference:.2f}×" if reference else "n/a"
        lines.append(f"| {run.name} | {f1:.3f} | {failed:.1%} | {ratio} ({run.per_page * 1000:.0f} ms) |")
    return "\n".join(lines)


# sets annotated under the older protocol, whose author gold names the editor when a page credits no
# writer; every other set follows ../shared/eval/METADATA.md, where an editor is never the author
EDITOR_AS_AUTHOR = {"cwce_zh"}


def metadata_table(items: list[EvalItem], runs: list[Run], editor_as_author: bool = False) -> str:
    """Per extractor: author recall (right, of the pages whose gold names one), author precision (right,
    of the pages where it names one: a wrong author counts against it), titles and dates right, of the
    pages whose gold has them; '' when the set has no such gold."""
    with_author = [i for i, item in enumerate(items) if item.author]
    with_title = [i for i, item in enumerate(items) if item.title]
    with_date = [i for i, item in enumerate(items) if gold_date(item.date)]
    if not with_author and not with_date and not with_title:
        return ""
    lines = [f"| extractor | author found ({len(with_author)} pages) | author right, of those given | "
             f"title ({len(with_title)} pages) | date, same day ({len(with_date)} pages) |", "|---|---|---|---|---|"]
    for run in runs:
        got = run.extractions
        if not got or not any(e.author or e.published_at or e.title for e in got):
            continue
        ours = [(e.author or e.editor) if editor_as_author else e.author for e in got]
        found = sum(author_matches(ours[i], items[i].author or "") for i in with_author)
        given = [i for i, author in enumerate(ours) if author]
        right = sum(author_matches(ours[i], items[i].author or "") for i in given)
        titles = sum(title_matches(got[i].title, items[i].title or "") for i in with_title)
        dates = sum(date_matches(got[i].published_at, items[i].date) for i in with_date)
        lines.append(f"| {run.name} | {_share(found, len(with_author))} | {_share(right, len(given))} | "
                     f"{_share(titles, len(with_title))} | {_share(dates, len(with_date))} |")
    return "\n".join(lines)


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.0%})" if total else "n/a"


def dump(out: Path, items: list[EvalItem], runs: list[Run]) -> None:
    """<out>/<page id>/gold.txt and <extractor>.txt, plus <out>/scores.tsv, for reading failures."""
    rows = ["page\textractor\tprecision\trecall\tf1\treason"]
    for i, item in enumerate(items):
        page = out / item.id
        page.mkdir(parents=True, exist_ok=True)
        (page / "gold.txt").write_text(item.gold + "\n", encoding="utf-8")
        for run in runs:
            if not run.scores:
                continue
            got, s = run.extractions[i], run.scores[i]
            safe = run.name.split(" ")[0]
            meta = (f"# title: {got.title}\n# author: {got.author}\n# editor: {got.editor}\n# source: {got.source}\n"
                    f"# published_at: {got.published_at}\n# F1 {s.f1:.3f}\n")
            (page / f"{safe}.txt").write_text(meta + got.text + "\n", encoding="utf-8")
            rows.append(f"{item.id}\t{run.name}\t{s.precision:.3f}\t{s.recall:.3f}\t{s.f1:.3f}\t{got.reason or ''}")
    (out / "scores.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def report(eval_dir: Path, sets: Iterable[str] = (), names: Iterable[str] = (), split: str = "all",
           dump_dir: Path | None = None, heading: str = "###") -> str:
    """The markdown tables for each set: quality and speed, then metadata where the gold has it."""
    # trafilatura logs each page it gives up on; the tables count those pages as failures already
    trafilatura_log = logging.getLogger("trafilatura")
    level = trafilatura_log.level
    trafilatura_log.setLevel(logging.CRITICAL)
    try:
        return _report(eval_dir, sets, names, split, dump_dir, heading)
    finally:
        trafilatura_log.setLevel(level)


def _report(eval_dir: Path, sets: Iterable[str], names: Iterable[str], split: str, dump_dir: Path | None,
            heading: str) -> str:
    chosen = extractors(names)
    parts = []
    for set_dir in find_sets(eval_dir, sets):
        items = load_set(set_dir, split)
        runs = run_set(items, chosen)
        text_gold = any(item.gold for item in items)  # a metadata-only set has no text gold to score
        parts.append(f"{heading} {set_dir.name} ({len(items)} pages, split {split})\n\n"
                     + (quality_table(runs) if text_gold else "Metadata gold only (no text gold)."))
        meta = metadata_table(items, runs + metadata_runs(items, runs), set_dir.name in EDITOR_AS_AUTHOR)
        if meta:
            parts.append(f"Metadata on {set_dir.name}:\n\n{meta}")
        if dump_dir:
            dump(dump_dir / set_dir.name, items, runs)
    return "\n\n".join(parts) + "\n"
