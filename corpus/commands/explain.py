"""Explain what happened to one document: kept or dropped (by which step, why), and which cleaning
rule changed or removed what, with the removed lines. Looks in every processed run, newest first, and
ends with one verdict: published (in which file), withdrawn, dropped (by which step of which run), or
on its way (kept, not yet deduplicated or built).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus.commands.options import add_data_dir

HELP = "show why a document was dropped, or which rules changed it (by URL or id)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("document", metavar="URL_OR_ID", help="the article URL or the 16-hex-digit document id")
    add_data_dir(parser, "where docs/ and rejects/ are", existing=True)


_ID_DIGITS = frozenset("0123456789abcdef")


def _wanted(key: str) -> str:
    """The document id of a key given as an id (in any case) or as a URL, canonical as the crawl makes it
    (no #fragment, no utm_ parameters): a URL is pasted as it was shared."""
    from corpus.record import document_id
    from crawler.urls import found_url

    if len(key) == 16 and set(key.lower()) <= _ID_DIGITS:
        return key.lower()
    return document_id(found_url(key) or key)


def _matches(data_dir: Path, key: str) -> list[tuple[str, Path, dict]]:
    """(run, file, row) of every kept or rejected record of the document, newest run first."""
    import pyarrow.dataset as ds

    from corpus.layout import DataLayout

    wanted = _wanted(key)
    found = []
    for run, path in DataLayout(data_dir).document_files():
        table = ds.dataset(path).to_table(filter=ds.field("id") == wanted)
        found += [(run, path, row) for row in table.to_pylist()]
    return sorted(found, key=lambda item: item[0], reverse=True)


def verdict(data_dir: Path, matches: list[tuple[str, Path, dict]]) -> str:
    """The one line that says where the document stands now."""
    import pyarrow.dataset as ds

    from corpus.layout import DataLayout, DatasetLayout
    from corpus.ledger import load_ledger
    from corpus.withdrawn import Blocklist

    layout = DataLayout(data_dir)
    _, _, row = matches[0]
    dataset = DatasetLayout(layout.dataset)
    for relative in sorted(load_ledger(dataset).live):
        published = ds.dataset(dataset.root / relative).to_table(filter=ds.field("id") == row["id"],
                                                                  columns=["crawl_run"]).to_pylist()
        if published:
            return f"verdict: PUBLISHED, the version of run {published[0]['crawl_run']}, in {dataset.root / relative}"
    withdrawal = Blocklist.load(layout.withdrawn).match(row["url"], row["id"])
    if withdrawal:
        return f"verdict: WITHDRAWN ({withdrawal.scope} {withdrawal.value}, {withdrawal.at}): {withdrawal.reason}"
    for run in dict.fromkeys(found_run for found_run, _, _ in matches):  # newest first
        dropped = [found for found_run, _, found in matches if found_run == run and "reject_step" in found]
        if dropped and dropped[0]["reject_step"] == "same_url":
            continue  # fetched again unchanged (or older): the version an earlier run kept stands
        if dropped:
            return (f"verdict: NOT PUBLISHED: dropped by `{dropped[0]['reject_step']}` in run {run}: "
                    f"{dropped[0]['reject_reason']}")
        if not layout.dedup_stats(run).exists():
            return (f"verdict: kept by processing in run {run}, not deduplicated yet (`zhnews dedup`, then "
                    "`zhnews build`)")
        return f"verdict: kept by run {run}, not built yet (`zhnews build`)"
    return "verdict: every fetch was a re-fetch of a version no processed run here kept"


def render(run: str, path: Path, row: dict) -> str:
    fate = (f"DROPPED by `{row['reject_step']}`: {row['reject_reason']}" if "reject_step" in row
            else "kept by processing")
    if row.get("duplicate_of"):
        fate += f", a copy of {row['duplicate_of']} (Jaccard {row['similarity']})"
    lines = [f"{row['url']}  (id {row['id']}, run {run})", f"  {fate}   [{path}]",
             f"  title: {row['title']!r}   author: {row['author']!r}   editor: {row['editor']!r}   "
             f"source: {row['source']!r}   published_at: {row['published_at']!r}",
             f"  {row['char_count']} characters, charset {row['charset']}, extractor {row['extractor']}"]
    if row["cleaning_log"]:
        lines.append("  cleaning rules that fired:")
        lines += [f"    {entry['rule']:<40} ×{entry['count']}" for entry in row["cleaning_log"]]
    if row["removed_lines"]:
        lines.append("  removed lines:")
        lines += [f"    [{entry['rule']}] {entry['line']}" for entry in row["removed_lines"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    matches = _matches(args.data_dir, args.document)
    if not matches:
        print(f"explain: no processed document {args.document!r} under {args.data_dir} "
              "(was its run crawled and processed? `zhnews process` first)")
        return 1
    print("\n\n".join(render(*match) for match in matches))
    print(f"\n{verdict(args.data_dir, matches)}")
    return 0
