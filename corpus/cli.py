"""`zhnews`: one sub-command per pipeline stage; each lives in `corpus/commands/<name>.py`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys

from corpus.version import zhnews_version

# Order is the order `zhnews --help` lists them: the pipeline stages first, then the tools.
COMMANDS = ["crawl", "import_warc", "pull", "process", "dedup", "build", "publish", "withdraw", "scheduled", "status",
            "demo", "report", "history", "sites", "check_profile", "check_site", "explain", "clean_text",
            "eval_extract", "eval_filters", "serve_sample"]
# the commands a scheduler runs unattended: their help ends with the exit statuses it can act on
UNATTENDED = {"crawl", "import_warc", "pull", "process", "dedup", "build", "publish", "withdraw", "scheduled"}


EXIT_CODES = """exit status, for schedulers:
  0    done (also: nothing to do)
  1    failed: the message says why (a Hub that never answered a publish too); what was done so far is
       kept, a re-run resumes
  2    bad command line (a --data-dir that is not there, for the commands that read one)
  75   busy: another run holds the lock (a crawl still writing its run, another process of the same data,
       an overlapping build), or the Hub keeps a publish waiting past --max-wait; try later
  143  terminated (SIGTERM): the same command again resumes"""


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Show an option's default only when it says something (not None, False or empty)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or action.default == []:
            return action.help
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhnews",
        description="Turn Chinese news sites into a clean, documented Hugging Face dataset: "
        "crawl → process → dedup → build. `zhnews demo` runs it all on the bundled offline sample sites.",
        epilog=EXIT_CODES, formatter_class=_HelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("-q", "--quiet", action="store_true", help="log errors only")
    parser.add_argument("--version", action="version", version=f"zhnews {zhnews_version() or 'unknown'}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"corpus.commands.{name}")
        command = sub.add_parser(
            name.replace("_", "-"), help=module.HELP, description=module.__doc__,
            epilog=EXIT_CODES if name in UNATTENDED else None,
            formatter_class=_HelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    handler = logging.StreamHandler()
    handler.setLevel(level)  # on the handler: Scrapy sets its own loggers to DEBUG, which propagate here
    handler.setFormatter(_WithoutPasswords("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    from corpus.dataset_config import BadDatasetConfig
    from corpus.files import EXIT_BUSY, Busy, DamagedFile
    from corpus.layout import BadPeriod, BadRunId, ForeignDataset

    # SIGTERM (cron's `timeout`, systemd) unwinds like Ctrl-C: temporary files are removed, locks released;
    # while its sites crawl, a crawl replaces this with crawler/shutdown.py's, which closes every site first
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.handler(args)
    except SystemExit as stop:
        if _TERMINATED_BY and stop.code != 128 + _TERMINATED_BY[0]:
            # a library turned our exit into its own: a SIGTERM inside `ray.wait` became Ray's SystemExit(1)
            raise SystemExit(128 + _TERMINATED_BY[0]) from None
        raise
    except Busy as error:  # an overlapping run (a long nightly job): say so, exit "try again later"
        print(f"zhnews {args.command}: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (DamagedFile, BadDatasetConfig, BadPeriod, ForeignDataset) as error:  # which file, and the way out
        print(f"zhnews {args.command}: {error}", file=sys.stderr)
        return 1
    except BadRunId as error:  # --run-id or --run: a usage error
        print(f"zhnews {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `zhnews history | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0
    except OSError as error:  # the disk (full, read-only, a folder not ours) or the network, in one line
        if args.verbose:
            raise
        print(f"zhnews {args.command}: {error}; what was done before is kept, run it again once that is fixed "
              "(-v shows where it happened)", file=sys.stderr)
        return 1


class _WithoutPasswords(logging.Formatter):
    """A URL's password (a profile's `http://user:password@host/`) never reaches a log line, a
    traceback's text included."""

    def format(self, record: logging.LogRecord) -> str:
        from crawler.urls import without_credentials

        return without_credentials(super().format(record))


_TERMINATED_BY: list[int] = []  # the signal `_terminated` received, if it did


def _terminated(signum: int, frame: object) -> None:
    _TERMINATED_BY.append(signum)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
