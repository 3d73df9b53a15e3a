"""Withdraw rows at a publisher's request: from the local dataset now, from the Hub at the next publish.

The request joins the blocklist (`data/withdrawn.json`, `corpus/withdrawn.py`) that crawl, process,
dedup and build honour, so the rows never come back; the files holding them are rewritten without
them (`corpus/build.remove_rows`) and the ledger records the withdrawal (date, scope, reason, rows),
which the card's changelog shows. The next `zhnews publish` sends the rewritten files and deletes the
old ones in one commit, touching no other data file, then purges the old ones (and the sample versions
beside them) from the Hub's history, so no earlier revision serves the rows (`corpus/hub_history.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from corpus.build import RemovedRow, draw_card, remove_rows, remove_strays, save_ledger, update_cluster_sizes
from corpus.dataset_config import DatasetConfig
from corpus.files import exclusive, write_json
from corpus.layout import DataLayout, DatasetLayout
from corpus.ledger import Ledger, load_ledger
from corpus.withdrawn import Blocklist, Withdrawal


@dataclass
class WithdrawalResult:
    entry: Withdrawal
    rows: list[dict[str, str]] = field(default_factory=list)  # id, url, file of each row it covers
    dry_run: bool = False
    rewritten: int = 0
    forgotten: int = 0  # versions the dedup index forgot (the command's `forget`, under the index's lock)

    def render(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        lines = [f"withdraw {self.entry.scope} {self.entry.value}: {verb} {len(self.rows)} row(s) from "
                 f"{len({row['file'] for row in self.rows})} file(s)"]
        lines += [f"  - {row['id']} {row['url']} ({row['file']})" for row in self.rows]
        if not self.rows:
            lines.append("  no published row matches it (later runs are kept clear of it all the same)")
        if self.dry_run:
            lines.append("  nothing changed (--dry-run)")
        else:
            lines.append("  blocklisted: later crawls, processing and dedup leave it out; `zhnews publish` removes "
                         "the rows from the Hub and from its history (older revisions lose the files that held them); "
                         f"the dedup index forgot {self.forgotten} version(s)")
        return "\n".join(lines)


def _covered_rows(dataset: DatasetLayout, ledger: Ledger, entry: Withdrawal) -> list[dict[str, str]]:
    """What a --dry-run would remove (a real withdrawal takes them from the rewrite itself)."""
    rows = []
    for relative in sorted(ledger.live):
        table = pq.read_table(dataset.root / relative, columns=["id", "url"])
        rows += [{"id": row_id, "url": url, "file": relative}
                 for row_id, url in zip(table.column("id").to_pylist(), table.column("url").to_pylist())
                 if entry.matches(url, row_id)]
    return rows


def covered_ids(layout: DataLayout, entry: Withdrawal) -> set[str]:
    """The ids of every deduplicated document `entry` covers, built into the dataset or not yet: what the
    dedup index must forget, whatever state a killed earlier attempt left the dataset in."""
    ids: set[str] = set()
    for run in layout.runs():
        if layout.dedup_docs(run).exists():
            table = pq.read_table(layout.dedup_docs(run), columns=["id", "url"])
            ids.update(row_id for row_id, url in zip(table.column("id").to_pylist(), table.column("url").to_pylist())
                       if entry.matches(url, row_id))
    return ids


def withdraw(layout: DataLayout, entry: Withdrawal, dry_run: bool = False, out_dir: Path | None = None,
             progress: bool = True, forget: Callable[[], int] | None = None) -> WithdrawalResult:
    """Blocklist `entry` and remove the rows it covers from the dataset; `forget` (the command's: the
    dedup index forgets the documents it covers, `covered_ids`) runs first, once the dataset is ours, so
    that a withdrawal killed at any later point and asked again finds it done, and one the dataset's
    lock turns away has changed nothing. Raises `Busy` while a build or publish holds the dataset."""
    from datasets.utils.logging import disable_progress_bar

    if not progress:  # the bar `datasets` shows as it writes a rewritten file
        disable_progress_bar()
    dataset = DatasetLayout(out_dir or layout.dataset)
    with exclusive(dataset.lock, f"dataset {dataset.root}", "zhnews withdraw"):
        DatasetConfig.load(layout.dataset_config)  # the card's settings, checked before anything is written
        ledger = load_ledger(dataset)
        if dry_run:
            return WithdrawalResult(entry, _covered_rows(dataset, ledger, entry), dry_run)
        result = WithdrawalResult(entry, forgotten=forget() if forget else 0)
        write_json(layout.withdrawn, Blocklist.load(layout.withdrawn).with_entry(entry).to_list())
        if not dataset.changelog.exists():
            return result  # nothing built yet: the blocklist keeps it out of the first build
        remove_strays(dataset, ledger)
        removed: list[RemovedRow] = []
        result.rewritten = remove_rows(dataset, ledger, {}, [entry], Counter(), removed)
        result.rows = [{"id": row.id, "url": row.url, "file": row.file} for row in removed]
        update_cluster_sizes(dataset, ledger, [], removed)
        save_ledger(dataset, ledger)
        draw_card(layout, dataset, ledger)
        return result
