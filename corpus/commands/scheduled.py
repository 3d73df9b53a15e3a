"""The nightly job: crawl → process → dedup → build, unattended, under one lock, with a log and a status
line.

Each stage runs as its own `zhnews` process (Scrapy's reactor runs once per process), with its output
in data/logs/<started>.log. data/logs/status holds one line a monitor reads: when, the outcome, each
stage's exit status, the sites that failed or were skipped (`failed=SITE:REASON,…`, from the crawl's
report, `corpus/crawl_report.py`) and the rows the night added. Sites fail alone: one that is down,
or whose profile is broken, does not stop the others' rows from being processed and built; the job
then exits 1 after building. A site whose robots.txt disallows everything is skipped, not failed.
Otherwise the exit status is the first failing stage's (75 when another job holds the lock or a
stage found its work busy), 143 when terminated: SIGTERM (cron's `timeout`, systemd) is passed on to
the running stage, which stops cleanly, no later stage starts, and the job exits 143 with the status
`terminated` whatever that stage returned; the next night's run resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from corpus.commands.options import add_data_dir, add_sites, add_workers, sites_of, usage_error
from corpus.crawl_report import CrawlReport
from corpus.layout import DataLayout

HELP = "run crawl → process → dedup → build as one unattended job (cron, systemd timer)"
STAGES = ("crawl", "process", "dedup", "build")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_sites(parser)
    parser.add_argument("--sample", action="store_true", help="crawl the bundled sample sites")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profiles")
    parser.add_argument("--set", action="append", metavar="SETTING=VALUE", dest="settings",
                        help="a crawl setting, as for `zhnews crawl` (repeatable)")
    add_data_dir(parser, "everything goes here, logs in logs/")
    add_workers(parser)


def _stage_arguments(args: argparse.Namespace, stage: str, run_id: str) -> list[str]:
    common = ["--data-dir", str(args.data_dir), "--no-progress"]
    if stage == "crawl":
        crawl = [*(f"--site={site}" for site in sites_of(args)), *(["--sample"] if args.sample else []),
                 f"--run-id={run_id}"]
        crawl += [f"--var={v}" for v in args.var or []] + [f"--set={s}" for s in args.settings or []]
        return [stage, *crawl, *common]
    if stage == "process":
        return [stage, "--workers", str(args.workers), *common]
    return [stage, *common]


def run(args: argparse.Namespace) -> int:
    from corpus.files import EXIT_BUSY, Busy, exclusive
    from crawler.run_setup import new_run_id

    if not sites_of(args) and not args.sample:
        usage_error("zhnews scheduled: name at least one --site PROFILE (or a --sites FILE), or --sample")
    layout = DataLayout(args.data_dir)
    started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    log_path = layout.scheduled_log(started)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id()
    termination = _Termination()
    with termination.caught():  # up to the status line: a SIGTERM is recorded, not raised
        try:
            with exclusive(layout.scheduled_lock, "the scheduled job", "zhnews scheduled"), \
                    open(log_path, "a") as log:
                published_before = len(_changelog(layout))
                outcomes, report = _run_stages(args, layout, run_id, log, termination)
        except Busy as error:  # the status line is the running job's: it is left alone
            print(f"zhnews scheduled: {error}", file=sys.stderr)
            return EXIT_BUSY
        outcome, code = _outcome(outcomes, termination.received)
        sites = _site_fields(report) + [f"rows={_rows_built(layout, published_before)}"]
        _write_status(layout.scheduled_status, started, outcome, outcomes, log_path, sites)
    print(f"scheduled {started}: {outcome} ({', '.join(f'{s} {c}' for s, c in outcomes.items())}); "
          f"{' '.join(sites)}; log: {log_path}")
    for site, result in sorted({**(report.named("failed") if report else {}),
                                **(report.named("skipped") if report else {})}.items()):
        print(f"  {result.outcome} {site}: {result.detail}")
    return code


def _run_stages(args: argparse.Namespace, layout: DataLayout, run_id: str, log: TextIO,
                termination: _Termination) -> tuple[dict[str, int], CrawlReport | None]:
    """The stages in turn, up to the first that fails (a crawl some of whose sites failed goes on) or
    the job's termination; returns each stage's exit status and the crawl's report."""
    outcomes: dict[str, int] = {}
    report: CrawlReport | None = None
    for stage in STAGES:
        if termination.received:
            break
        code = _run_stage(stage, _stage_arguments(args, stage, run_id), log, termination)
        outcomes[stage] = code
        if stage == "crawl":
            report = _read_report(layout, run_id, log)
            if code == 1 and report and report.named("ok"):
                continue  # some sites failed: the others' rows are still processed and built
        if code:
            break
    return outcomes, report


def _outcome(outcomes: dict[str, int], terminated: bool) -> tuple[str, int]:
    """The status line's outcome and the job's exit status: "terminated" when the job was, whatever its
    stage returned (it may have ended otherwise meanwhile); else the first failing stage's, the crawl's
    last (its failed sites do not stop the others' rows from being built)."""
    from corpus.files import EXIT_BUSY

    if terminated:
        return "terminated", 128 + signal.SIGTERM
    failed = next(((stage, code) for stage, code in outcomes.items() if code and stage != "crawl"), None)
    if failed is None and outcomes.get("crawl"):
        failed = ("crawl", outcomes["crawl"])
    if failed is None:
        return "ok", 0
    stage, code = failed
    return {EXIT_BUSY: "busy", 128 + signal.SIGTERM: "terminated"}.get(code, f"failed at {stage}"), code


def _read_report(layout: DataLayout, run_id: str, log: TextIO) -> CrawlReport | None:
    try:
        return CrawlReport.read(layout.crawl_report(run_id))
    except ValueError as error:
        log.write(f"=== {error}\n")
        return None


def _site_fields(report: CrawlReport | None) -> list[str]:
    """`failed=a:unreachable,b:profile skipped=c:robots`: a site's name and a one-word reason each."""
    if report is None:
        return []
    return [f"{outcome}={','.join(f'{site}:{result.reason}' for site, result in named.items())}"
            for outcome in ("failed", "skipped") if (named := report.named(outcome))]


def _changelog(layout: DataLayout) -> list[dict[str, Any]]:
    """The dataset's ledger (`corpus/ledger.py`), entries in order; none when nothing was built."""
    from corpus.layout import DatasetLayout

    try:
        return json.loads(DatasetLayout(layout.dataset).changelog.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def _rows_built(layout: DataLayout, published_before: int) -> int:
    """Rows the job's build added: those of every run it published, the night's own and any an earlier,
    killed night left (the ledger only grows, so its entries past `published_before` are this job's)."""
    return sum(sum(entry["rows"].values()) for entry in _changelog(layout)[published_before:]
               if entry.get("kind", "run") == "run")


class _Termination:
    """A SIGTERM to the job, remembered for the rest of it: passed on to the running stage, which
    stops cleanly, and no later stage starts, whatever the running one returns."""

    def __init__(self) -> None:
        self.received = False
        self._stage: subprocess.Popen[bytes] | None = None

    @contextmanager
    def caught(self) -> Iterator[None]:
        previous = signal.signal(signal.SIGTERM, self._received)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)

    @contextmanager
    def passed_to(self, stage: subprocess.Popen[bytes]) -> Iterator[None]:
        """While `stage` runs, a SIGTERM goes on to it, one that came as it started included."""
        self._stage = stage
        if self.received:
            stage.send_signal(signal.SIGTERM)
        try:
            yield
        finally:
            self._stage = None

    def _received(self, signum: int, frame: FrameType | None) -> None:
        self.received = True
        if self._stage is not None:
            self._stage.send_signal(signal.SIGTERM)


def _run_stage(stage: str, arguments: list[str], log: TextIO, termination: _Termination) -> int:
    """One stage as a child process that dies with us; we wait for it, and a SIGTERM to us is passed
    on to it."""
    from cleaning.run.executor import die_with_parent
    from corpus.files import utc_stamp

    log.write(f"\n=== zhnews {' '.join(arguments)}  ({utc_stamp()})\n")
    log.flush()
    parent = os.getpid()
    child = subprocess.Popen([sys.executable, "-m", "corpus.cli", *arguments], stdout=log, stderr=subprocess.STDOUT,
                             preexec_fn=lambda: die_with_parent(parent))
    with termination.passed_to(child):
        code = child.wait()
    if code < 0:  # killed by a signal: report it as a shell would
        code = 128 - code
    log.write(f"=== {stage} exited {code}\n")
    log.flush()
    return code


def _write_status(path: Path, started: str, outcome: str, outcomes: dict[str, int], log_path: Path,
                  extra: list[str] | None = None) -> None:
    from corpus.files import atomic_path, utc_stamp

    fields = [f"{stage}={code}" for stage, code in outcomes.items()] + (extra or [])
    finished = utc_stamp()
    outcome = outcome.replace(" ", "-")  # one field: a monitor splits the line on spaces
    with atomic_path(path) as tmp:
        tmp.write_text(f"{finished} {outcome} started={started} {' '.join(fields)} log={log_path}\n",
                       encoding="utf-8")
