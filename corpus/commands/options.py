"""Options several commands share, each defined once."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # the executors import the pipeline: only a command that runs one pays for it
    from cleaning.run.executor import Executor
    from corpus.layout import DataLayout
    from crawler.fleet import ScrapydNode

# where `demo` and `crawl --sample` serve the sample sites: fixed, so that the next crawl meets the same URLs
SAMPLE_PORTS = (18731, 18732)


def add_data_dir(parser: argparse.ArgumentParser, what: str, existing: bool = False) -> None:
    """--data-dir; with `existing`, for a command that only reads what a crawl left there, a folder
    that is not there is a usage error: a mistyped path or cron's working folder would otherwise be
    "nothing to do", a green run every night."""
    from corpus.layout import DEFAULT_ROOT

    existing_data = existing_folder("data", " (check --data-dir, or the folder the command runs in)")
    parser.add_argument("--data-dir", type=existing_data if existing else Path, default=str(DEFAULT_ROOT),
                        help=f"the data folder: {what}")


def data_folder_settings(data_dir: Path) -> dict[str, str]:
    """What a crawl outside the data folder (a fleet's node, check-site's scratch folder) takes from it:
    the contact its User-Agent names (dataset.yaml) and the publishers' withdrawals (withdrawn.json)."""
    import json

    from corpus.dataset_config import DatasetConfig
    from corpus.layout import DataLayout
    from corpus.withdrawn import Blocklist

    layout = DataLayout(data_dir)
    settings = {}
    if contact := DatasetConfig.load(layout.dataset_config).contact:
        settings["ZHNEWS_CONTACT"] = contact
    if withdrawn := Blocklist.load(layout.withdrawn):
        settings["ZHNEWS_WITHDRAWN"] = json.dumps(withdrawn.to_list(), ensure_ascii=False)
    return settings


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {value!r}")
    return number


def existing_folder(what: str, hint: str = "") -> Callable[[str], Path]:
    """An argparse type: a folder that is there (`what` it is, and a `hint` where to look, say so when not):
    a mistyped path would otherwise be a folder with nothing in it."""
    def folder(value: str) -> Path:
        path = Path(value)
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"no {what} folder at {path.absolute()}{hint}")
        return path

    return folder


def add_workers(parser: argparse.ArgumentParser) -> None:
    """--workers alone: the command runs its work in a pool of processes here."""
    from cleaning.run.executor import DEFAULT_WORKERS

    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="worker processes")


def add_engine(parser: argparse.ArgumentParser) -> None:
    """--workers, --engine and --address: the command's work runs here or on Ray."""
    from cleaning.run.executor import DEFAULT_WORKERS, ENGINES

    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="worker processes (with --engine ray and no --address: the CPUs of its local cluster)")
    parser.add_argument("--engine", choices=ENGINES, default="local",
                        help="where the work runs: a pool of processes here, or Ray tasks (pip install -e '.[ray]')")
    parser.add_argument("--address", metavar="HOST:PORT",
                        help="with --engine ray: a running Ray cluster to use (default: start one on 127.0.0.1 "
                        "for this command); its nodes must see the data folder at the same absolute path")


def executor_from(args: argparse.Namespace, command: str) -> Executor:
    """The executor `--engine`, `--workers` and `--address` ask for, or a usage error (exit 2), asked
    for before any work; the caller closes it (it starts its workers or cluster on first use)."""
    from cleaning.run.executor import make_executor

    try:
        return make_executor(args.engine, args.workers, args.address)
    except ValueError as error:
        usage_error(f"zhnews {command}: {error}")


def usage_error(message: str) -> NoReturn:
    """A command line the command cannot run: `message` and exit 2, as argparse's own errors do (a
    scheduler tells it from a failed run)."""
    print(message, file=sys.stderr)
    sys.exit(2)


def name_value_pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    """`--var NAME=VALUE` / `--set NAME=VALUE` options as a mapping; anything else is a usage error."""
    pairs = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            usage_error(f"zhnews: {flag} takes NAME=VALUE, got {value!r}")
        pairs[name] = rest
    return pairs


def port(value: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is no port: 0 (any free one) to 65535")
    return number


def scrapyd_nodes(value: str) -> list[ScrapydNode]:
    """An argparse type: `--scrapyd URL[,URL...]`, each a Scrapyd node's URL, as the nodes."""
    from crawler.fleet import nodes_from

    try:
        return nodes_from(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_id(value: str) -> str:
    """An argparse type: a run id (`corpus.layout.RUN_ID`), or a usage error saying what one is."""
    from corpus.layout import BadRunId, checked_run

    try:
        return checked_run(value)
    except BadRunId as error:
        raise argparse.ArgumentTypeError(str(error)) from None


RUN_ORDER = ("runs are taken in name order (process, dedup and build take them in turn; report and history call "
             "the last the newest)")


def warn_of_run_order(layout: DataLayout, run: str, command: str) -> None:
    """Say so when a new run will not be the newest by name, or when its id sorts after the UTC start
    times that name the runs to come (`--run-id ccnews`): the order is still the names'."""
    from crawler.run_setup import new_run_id

    later = [existing for existing in layout.runs() if existing > run]
    if later:
        print(f"zhnews {command}: warning: run {later[-1]} sorts after {run}: {RUN_ORDER}, so they take "
              f"{later[-1]} as the newer", file=sys.stderr)
    elif run > (now := new_run_id()):
        print(f"zhnews {command}: warning: run id {run} sorts after the UTC start times that name later runs "
              f"({now}): {RUN_ORDER}, so they will take it as newer than those; {now}-{run} keeps the order",
              file=sys.stderr)


def show_progress(args: argparse.Namespace) -> bool:
    """Progress bars only for a person at a terminal: never into a pipe, a log file or cron's mail."""
    return not args.no_progress and sys.stderr.isatty()


def site_list(value: str) -> list[str]:
    """`--sites FILE`: the profiles a file lists, one a line (a bundled name or a YAML path, relative to
    the file's folder); `#` starts a comment. A missing or empty list is a usage error."""
    path = Path(value)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {value}: {error.strerror}") from None
    sites = []
    for line in lines:
        entry = line.split("#", 1)[0].strip()
        if entry:
            is_path = entry.endswith((".yaml", ".yml")) or "/" in entry
            sites.append(str(path.parent / entry) if is_path and not Path(entry).is_absolute() else entry)
    if not sites:
        raise argparse.ArgumentTypeError(f"{value} lists no site")
    return sites


def add_sites(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", action="append", metavar="PROFILE",
                        help="a site profile: a bundled name (`zhnews sites`) or a YAML file (repeatable)")
    parser.add_argument("--sites", type=site_list, metavar="FILE",
                        help="a file listing site profiles, one a line (`#` comments; paths relative to the file)")


def sites_of(args: argparse.Namespace) -> list[str]:
    """--site and --sites together, in order, each once."""
    return list(dict.fromkeys([*(args.site or []), *(args.sites or [])]))
