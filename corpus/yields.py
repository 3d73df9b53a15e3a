"""What each site yielded in each run: fetched, kept, dropped by reason, new rows.

An operator sees a profile break after a site's redesign as a site whose yield fell: the crawl still
"works", but the pages it fetches are no longer articles, or it finds none. Read from the files the
stages leave (`raw/<run>/crawl.json`, `docs/<run>/`, `rejects/<run>/`, `dedup/<run>/docs.parquet`),
counting the `site` column only, so a night costs a few column reads.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from corpus.crawl_report import CrawlReport
from corpus.layout import DataLayout


@dataclass
class SiteYield:
    fetched: int | None = None  # articles fetched by the crawl (None: no crawl report)
    outcome: str = ""  # the crawl's: ok, failed:<reason>, skipped:<reason>
    kept: int = 0  # documents processing kept
    dropped: Counter[str] = field(default_factory=Counter)  # "<step>:<reason>" → documents
    new_rows: int | None = None  # documents dedup kept (None: not deduplicated yet)

    @property
    def result(self) -> int:
        """The yield an operator watches: new rows once deduplicated, else documents kept."""
        return self.kept if self.new_rows is None else self.new_rows


def _sites(paths: list[Path]) -> Counter[str]:
    """Documents per site in these files (their `site` column only)."""
    counts: Counter[str] = Counter()
    for path in paths:
        counts.update(str(site) for site in pq.read_table(path, columns=["site"]).column("site").to_pylist())
    return counts


def site_yields(layout: DataLayout, run: str) -> dict[str, SiteYield]:
    """Site → its yield in `run` (sites of the crawl report, and any site with documents)."""
    yields: dict[str, SiteYield] = {}
    report_path = layout.crawl_report(run)
    if report_path.exists():
        report = CrawlReport.from_json(report_path.read_text(encoding="utf-8"))
        for site, outcome in report.sites.items():
            yields[site] = SiteYield(fetched=outcome.articles, outcome=outcome.outcome if outcome.outcome == "ok"
                                     else f"{outcome.outcome}:{outcome.reason}")
    for site, n in _sites(layout.run_docs(run)).items():
        yields.setdefault(site, SiteYield()).kept = n
    for path in sorted(layout.rejects(run).glob("*/*.parquet")):
        for row in pq.read_table(path, columns=["site", "reject_step", "reject_reason"]).to_pylist():
            reason = f"{row['reject_step']}:{row['reject_reason']}"
            yields.setdefault(str(row["site"]), SiteYield()).dropped[reason] += 1
    if layout.dedup_stats(run).exists():
        new = _sites([layout.dedup_docs(run)] if layout.dedup_docs(run).exists() else [])
        for site, entry in yields.items():
            entry.new_rows = new.get(site, 0)
        for site, n in new.items():
            yields.setdefault(site, SiteYield(new_rows=n))
    return yields


def falling(history: list[tuple[str, dict[str, SiteYield]]]) -> list[str]:
    """Sites whose newest yield fell to zero, or under half the median of their earlier runs shown; the
    runs are processed ones (a run crawled, or processed half way, has fewer documents than it will)."""
    flags: list[str] = []
    if not history:
        return flags
    newest_run, newest = history[-1]
    for site, now in sorted(newest.items()):
        before = [yields[site].result for _, yields in history[:-1] if site in yields]
        if not before or not (median := statistics.median(before)):
            continue
        if now.result == 0:
            flags.append(f"{site}: no new rows in {newest_run} (median {median:g} before): check its profile "
                         f"(`zhnews check-site {site}`)")
        elif now.result < median / 2:
            flags.append(f"{site}: {now.result} rows in {newest_run}, under half the median of {median:g} before")
    return flags
