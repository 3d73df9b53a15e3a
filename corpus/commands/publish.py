"""Publish the built dataset to the Hugging Face Hub: new data files, the card and its companions, and
the deletion of files a revision or withdrawal retired, in one commit named after the runs it adds.

The token comes from HF_TOKEN or `huggingface-cli login` (never printed). Files the Hub already has
are not sent again; a data file the Hub holds with other content stops the publish, and so does a card
not drawn from the dataset's ledger or drawn for another repo (set repo_id in dataset.yaml, run
`zhnews build`). After a withdrawal, the earlier versions of the files that held its rows are deleted
from the Hub's history too. A publish that was killed or failed is completed by running the same
command again. --dry-run lists what would be uploaded, purged and the commit message, and changes
nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from corpus.commands.options import add_data_dir
from corpus.publish import MAX_WAIT_SECONDS

HELP = "upload the dataset to the Hugging Face Hub (what changed, one commit)"
# what a Hub error may carry back of a credential: a token's own shape, or whatever follows "Bearer"
_CREDENTIAL = re.compile(r"\bhf_[A-Za-z0-9]{8,}|(?<=Bearer )\S+")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo-id", required=True, metavar="ORG/NAME", help="the dataset repository on the Hub")
    parser.add_argument("--private", action="store_true", help="create the repository private")
    parser.add_argument("--dry-run", action="store_true", help="list what would be uploaded; change nothing")
    add_data_dir(parser, "publishes DATA_DIR/dataset")
    parser.add_argument("--dataset", type=Path, help="the dataset folder (default: DATA_DIR/dataset)")
    parser.add_argument("--max-wait", type=_seconds, default=MAX_WAIT_SECONDS, metavar="SECONDS",
                        help="give up past this many seconds in all, uploads included: exit 75 (busy) when the Hub "
                        "answered and keeps us waiting (the Hub client waits out a rate limit's Retry-After "
                        "itself), 1 when it never answered (raise it for a large first publish)")


MAX_WAIT_LIMIT = 30 * 24 * 3600.0  # a month: the alarm takes no more ("inf" was an OverflowError traceback)


def _seconds(value: str) -> float:
    """An argparse type: a positive number of seconds, at most `MAX_WAIT_LIMIT`."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_WAIT_LIMIT:
        raise argparse.ArgumentTypeError(f"{value!r} is no number of seconds from 0 to {MAX_WAIT_LIMIT:.0f} (a month)")
    return seconds


def _token_problem() -> str | None:
    """A token holding a character no token has (a quote or a space pasted with it) fails deep in the HTTP
    client with a traceback; said without the token."""
    from huggingface_hub import get_token

    token = get_token()
    if token and (not token.isascii() or any(char.isspace() for char in token)):
        return "the Hub token (HF_TOKEN, or the login store) holds a character no token has (a quote or a space " \
               "pasted with it?)"
    return None


def run(args: argparse.Namespace) -> int:
    from crawler.urls import http_url_problem

    endpoint = os.environ.get("HF_ENDPOINT")
    # before the Hub client reads it, on import: it fails on it with a traceback (a bad port, a torn IPv6
    # address) or, without a scheme, retries it for a minute
    if endpoint and (problem := http_url_problem(endpoint)):
        scheme, _, rest = endpoint.partition("//")
        shown = f"{scheme}//***@{rest.rpartition('@')[2]}" if "@" in endpoint else endpoint  # no password shown
        sys.exit(f"zhnews publish: HF_ENDPOINT {shown!r} {problem}; nothing was published")
    if problem := _token_problem():
        sys.exit(f"zhnews publish: {problem}; nothing was published")
    from huggingface_hub.errors import HfHubHTTPError

    from corpus.child_call import ChildCallError
    from corpus.files import EXIT_BUSY
    from corpus.layout import DataLayout
    from corpus.publish import HubBusy, HubUnreachable, PublishError, publish, transport_errors

    folder = args.dataset or DataLayout(args.data_dir).dataset
    if not sys.stderr.isatty():  # the Hub client's upload bars: for a person at a terminal only
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    try:
        plan = publish(folder, args.repo_id, private=args.private, dry_run=args.dry_run, max_wait=args.max_wait)
    except HubBusy as error:
        when = f"after {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(error.retry_at))}" if error.retry_at else \
            "later (the next scheduled run will)"
        done = "the commit stands, and publishing again finishes the purge" if error.committed else \
            "nothing was committed"
        print(f"zhnews publish: {error}; {done}; try again {when}", file=sys.stderr)
        return EXIT_BUSY
    except PublishError as error:
        sys.exit(f"zhnews publish: {_without_credentials(str(error))}")
    except ChildCallError as error:  # the commit's process killed (OOM), or an error that does not cross
        sys.exit(f"zhnews publish: the commit: {_without_credentials(str(error))}; whether it reached the Hub is "
                 "unknown: publish again, which completes it or finds nothing left to do")
    except (HubUnreachable, *transport_errors()) as error:  # a wrong endpoint, the network down
        sys.exit(f"zhnews publish: {_without_credentials(str(error))}; nothing was published by this run")
    except HfHubHTTPError as error:  # a refusal (no or wrong token, no access) or retries used up
        sys.exit(f"zhnews publish: the Hub answered {_without_credentials(str(error))}; nothing was published "
                 "by this run")
    except OSError as error:  # the Hub unreachable after the retries, or a file that cannot be read
        sys.exit(f"zhnews publish: {_without_credentials(str(error))}; nothing was published by this run, run it "
                 "again once that is fixed")
    print(plan.render(args.dry_run))
    if not args.dry_run and plan.files:
        print(f"  load it: datasets.load_dataset({args.repo_id!r}, split='train')")
    return 0


def _without_credentials(message: str) -> str:
    """The message with the token masked: an error body may echo the request's Authorization header
    (a gateway's or a misconfigured endpoint's), and what publish prints ends up in cron logs."""
    from huggingface_hub import get_token

    token = get_token()
    if token:
        message = message.replace(token, "***")
    return _CREDENTIAL.sub("***", message)
