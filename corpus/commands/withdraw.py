"""Withdraw published rows at a publisher's request: one URL, one row id, or a whole domain.

The rows leave the local dataset at once (the files holding them are rewritten without them) and the
Hub at the next `zhnews publish`, in one commit that changes no other data file, after which the files'
earlier versions are deleted from the Hub's history too. The request joins the
blocklist (DATA_DIR/withdrawn.json): later crawls fetch nothing it covers, and processing, dedup and
build leave such documents out. The changelog records the date, scope, reason and rows removed.
--dry-run lists the rows it would remove and changes nothing.
"""

from __future__ import annotations

import argparse
import sys

from corpus.commands.options import add_data_dir, existing_folder, usage_error

HELP = "remove a URL, row id or domain from the dataset and keep it out of later runs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--url", help="an article URL, as shared or as the `url` column has it (its #fragment, "
                       "utm_ and session parameters are dropped, as the crawl drops them)")
    scope.add_argument("--id", help="a row id (the `id` column: 16 hexadecimal digits)")
    scope.add_argument("--domain", help="a host and its subdomains, e.g. news.example.cn")
    parser.add_argument("--reason", required=True, help="why (published in the changelog), e.g. \"publisher's "
                        "request of 2026-12-01\"")
    parser.add_argument("--dry-run", action="store_true", help="list the rows it would remove; change nothing")
    add_data_dir(parser, "updates DATA_DIR/withdrawn.json and DATA_DIR/dataset", existing=True)
    # a --dataset that is not there is a typo: the published rows would stay where they are
    parser.add_argument("--dataset", type=existing_folder("dataset"), help="the dataset folder (default: "
                        "DATA_DIR/dataset)")


def run(args: argparse.Namespace) -> int:
    from cleaning.dedup.index import SqliteDedupIndex
    from corpus.files import exclusive
    from corpus.layout import DataLayout
    from corpus.withdraw import covered_ids, withdraw
    from corpus.withdrawn import BadWithdrawal, Withdrawal
    from crawler.urls import found_url

    scope, value = next((name, getattr(args, name)) for name in ("url", "id", "domain")
                        if getattr(args, name) is not None)
    if not value.strip():  # an unset shell variable: `--domain "$DOMAIN"`
        usage_error(f"zhnews withdraw: --{scope} is empty: name the URL, row id or domain to withdraw")
    if scope == "url":  # as the crawl records it, as `explain` finds it: a URL is pasted as it was shared
        value = found_url(value.strip()) or value
    layout = DataLayout(args.data_dir)
    try:
        entry = Withdrawal.new(scope, value, args.reason)
        def forget() -> int:  # the dedup index forgets the documents too, or a later copy of one elsewhere
            # would be dropped as a duplicate of a row nobody can read (withdraw() calls it before it writes)
            if not layout.dedup_index.exists():
                return 0
            index = SqliteDedupIndex(layout.dedup_index)
            try:
                return index.forget(covered_ids(layout, entry))
            finally:
                index.close()

        # the index's lock taken first, so that a running dedup makes this wait (75)
        with exclusive(layout.dedup_lock, f"dedup index {layout.dedup_index}", "zhnews withdraw"):
            result = withdraw(layout, entry, args.dry_run, args.dataset, progress=sys.stderr.isatty(), forget=forget)
    except (BadWithdrawal, ValueError) as error:
        sys.exit(f"zhnews withdraw: {error}")
    print(result.render())
    return 0
