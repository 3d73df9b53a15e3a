"""The command line as an operator meets it: help that is true for each command, and one-line errors."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from corpus.cli import COMMANDS, UNATTENDED, build_parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_commands_help_names_only_its_own_options(name: str, capsys):
    parser = subcommands()[name.replace("_", "-")]
    own = {option for action in parser._actions for option in action.option_strings}
    for action in parser._actions:
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", action.help or ""))
        assert named <= own, f"{name} {action.option_strings}: its help names {named - own}, not options of {name}"
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(["--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert ("exit status, for schedulers" in shown) == (name in UNATTENDED)


@pytest.mark.parametrize("command", ["process", "dedup", "build", "report", "history",
                                     "withdraw --url http://a.example.cn/1.html --reason takedown"])
def test_a_data_folder_that_is_not_there_is_a_usage_error_not_nothing_to_do(command: str, tmp_path: Path):
    """A mistyped --data-dir (or cron's working folder) read as an empty one would pass every night; a
    withdrawal said "blocklisted" and left the real dataset's rows for the next publish."""
    missing = tmp_path / "typo"
    result = subprocess.run([sys.executable, "-m", "corpus.cli", *command.split(), "--data-dir", str(missing)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no data folder at" in result.stderr and str(missing) in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("argv", [
    ["crawl"],  # no site
    ["withdraw", "--domain", "", "--reason", "takedown"],  # an unset shell variable
    ["withdraw", "--url", " ", "--reason", "takedown"],
    ["scheduled"],
    ["crawl", "--sample", "--set", "DOWNLOAD_DELAY=fast"],
    ["crawl", "--sample", "--set", "DOWNLOAD_DELAY"],
    ["process", "--address", "127.0.0.1:6379"],  # a Ray cluster's address, and the local engine: exit 1 before
    ["dedup", "--address", "127.0.0.1:6379"],  # (and 0, "nothing to do", once nothing was left)
])
def test_a_command_line_that_cannot_run_exits_2_before_any_work(argv: list[str], tmp_path: Path):
    """2 is a bad command line (docs/operations.md), which a scheduler tells from a failed night (1)."""
    (tmp_path / "data").mkdir()
    result = subprocess.run([sys.executable, "-m", "corpus.cli", *argv, "--data-dir", str(tmp_path / "data")],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("zhnews") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "data" / "raw").exists()


def test_a_setting_nobody_defines_is_named_as_a_likely_typo():
    from corpus.commands.crawl import _typed

    result = subprocess.run([sys.executable, "-c", "from corpus.commands.crawl import _typed; "
                             "print(_typed({'DOWNLOAD_DELAI': '2', 'DOWNLOAD_DELAY': '2', 'JOBDIR': 'j'}))"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "DOWNLOAD_DELAI: not a setting Scrapy or zhnews defines" in result.stderr
    assert "DOWNLOAD_DELAY:" not in result.stderr and "'DOWNLOAD_DELAY': 2.0" in result.stdout
    assert "JOBDIR" not in result.stderr  # a setting whose default is None is still a setting
    assert _typed({"ROBOTSTXT_OBEY": "yes"}) == {"ROBOTSTXT_OBEY": True}


def test_a_disk_error_is_one_line_and_a_traceback_only_with_verbose(tmp_path: Path):
    (tmp_path / "data").mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    argv = ["build", "--data-dir", str(tmp_path / "data"), "--out", str(blocker / "dataset"), "--no-progress"]
    quiet = subprocess.run([sys.executable, "-m", "corpus.cli", *argv], cwd=REPO, capture_output=True, text=True,
                           timeout=120)
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    assert quiet.stderr.startswith("zhnews build: [Errno") and "a-file" in quiet.stderr
    assert len(quiet.stderr.strip().splitlines()) == 1, quiet.stderr
    verbose = subprocess.run([sys.executable, "-m", "corpus.cli", "-v", *argv], cwd=REPO, capture_output=True,
                             text=True, timeout=120)
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr


def test_a_sites_file_lists_profiles_by_name_or_path(tmp_path: Path, capsys):
    from corpus.commands.options import sites_of

    (tmp_path / "profiles").mkdir()
    listing = tmp_path / "profiles" / "nightly.txt"
    listing.write_text("# the nightly sites\nynet\n\nmine.yaml   # our own\nce\nynet\n", encoding="utf-8")
    for command in ("crawl", "scheduled"):
        args = build_parser().parse_args([command, "--site", "stdaily", "--sites", str(listing)])
        assert sites_of(args) == ["stdaily", "ynet", str(tmp_path / "profiles" / "mine.yaml"), "ce"]
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    for wrong, says in ((tmp_path / "missing.txt", "cannot read"), (empty, "lists no site")):
        with pytest.raises(SystemExit) as exit_:
            build_parser().parse_args(["crawl", "--sites", str(wrong)])
        assert exit_.value.code == 2 and says in capsys.readouterr().err


@pytest.mark.parametrize("archive", ["{tmp}/fleet-archvie", "file://{tmp}/fleet-archvie"])
def test_pulling_from_an_archive_that_is_not_there_fails(archive: str, tmp_path: Path):
    """A mistyped --archive (or an unmounted share) read as an empty archive was "pull: 0 run(s)", exit 0,
    every night, while the fleet's runs piled up unprocessed."""
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "pull", "--archive", archive.format(tmp=tmp_path),
                             "--data-dir", str(tmp_path / "data")], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no shared archive at" in result.stderr and "Traceback" not in result.stderr, result.stderr
    (tmp_path / "fleet-archive").mkdir()  # an archive no crawl has written to yet is an empty one
    empty = subprocess.run([sys.executable, "-m", "corpus.cli", "pull", "--archive", str(tmp_path / "fleet-archive"),
                            "--data-dir", str(tmp_path / "data")], cwd=REPO, capture_output=True, text=True,
                           timeout=120)
    assert empty.returncode == 0 and empty.stdout.startswith("pull: 0 run(s)"), empty.stdout + empty.stderr


def test_a_run_that_will_not_be_the_newest_by_name_is_said_to_be(tmp_path: Path):
    """Runs are taken in name order, and `--run-id` takes any name: `ccnews` sorts after every default id
    (a UTC start time), so report and history called it the newest after every later night, unsaid."""
    command = [sys.executable, "-m", "corpus.cli", "import-warc", str(tmp_path / "none.warc.gz"), "--data-dir",
               str(tmp_path / "data")]
    (tmp_path / "data" / "raw" / "ccnews").mkdir(parents=True)  # an earlier import named so
    named = subprocess.run([*command, "--run-id", "ccnews2"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert "warning: run id ccnews2 sorts after the UTC start times that name later runs" in named.stderr, named.stderr
    default = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert "warning: run ccnews sorts after 20" in default.stderr, default.stderr
    dated = subprocess.run([*command, "--run-id", "20250101T000000Z-x"], cwd=REPO, capture_output=True, text=True,
                           timeout=120)
    assert "warning: run ccnews sorts after 20250101T000000Z-x" in dated.stderr, dated.stderr
    fresh = subprocess.run([*command[:-1], str(tmp_path / "fresh")], cwd=REPO, capture_output=True, text=True,
                           timeout=120)
    assert "warning" not in fresh.stderr, fresh.stderr


@pytest.mark.parametrize("argv", [
    ["crawl", "--sample", "--archive", "{tmp}/shared"],  # no --scrapyd: crawled here, archived nowhere
    ["crawl", "--sample", "--scrapyd", "", "--archive", "{tmp}/shared"],  # an unset variable
    ["crawl", "--sample", "--scrapyd", ",", "--archive", "{tmp}/shared"],
    ["crawl", "--sample", "--scrapyd", "http://ops:s3cret@127.0.0.1:abc", "--archive", "{tmp}/shared"],
    ["status", "--scrapyd", "ftp://127.0.0.1:6800"],
    ["status", "--scrapyd", "http://ops:s3cret#x@127.0.0.1:6800"],  # urlsplit reads the password as the port
    ["status", "--scrapyd", "http://ops:s3cret/x@127.0.0.1:6800"],
    ["publish", "--repo-id", "org/name", "--max-wait", "inf"],  # an OverflowError from the alarm
    ["publish", "--repo-id", "org/name", "--max-wait", "-5"],  # "[Errno 22] Invalid argument"
])
def test_an_option_that_cannot_work_is_a_usage_error(argv: list[str], tmp_path: Path):
    """They crawled locally without a word, or ended in a traceback; a node's password is never printed."""
    result = subprocess.run([sys.executable, "-m", "corpus.cli", *(a.format(tmp=tmp_path) for a in argv),
                             "--archive" if argv[0] == "status" else "--data-dir", str(tmp_path / "data")],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr, result.stderr
    assert not (tmp_path / "data" / "raw").exists()


def test_a_mistyped_site_leaves_its_run_id_free_for_the_corrected_command(tmp_path: Path):
    """With every profile broken the crawl writes a report naming them (the status line needs it), in a
    run of its own: the corrected command with the same --run-id was refused ("exists already")."""
    data = ["--data-dir", str(tmp_path / "data"), "--run-id", "20260101T000000Z-retry", "--no-progress"]
    typo = subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", "--site", "ynte", *data], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert typo.returncode == 1 and "no site profile 'ynte'" in typo.stderr, typo.stdout + typo.stderr
    fixed = subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", "--sample", *data], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    report = json.loads((tmp_path / "data" / "raw" / "20260101T000000Z-retry" / "crawl.json").read_text())
    assert sorted(report["sites"]) == ["sample-a", "sample-b"]


def test_the_sample_sites_keep_their_urls_from_one_crawl_to_the_next(tmp_path: Path):
    """`crawl --sample` (what `make crawl` and `make scheduled` run) served the sites on new free ports
    each time: every night fetched all again under new URLs, and dedup took each story for a reprint."""
    data = ["--data-dir", str(tmp_path / "data"), "--no-progress"]
    for _night in (1, 2):
        done = subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", "--sample", *data], cwd=REPO,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("articles: skipped known") == 2 and "fetched" not in done.stdout, done.stdout


SIGTERM_INSIDE_A_LIBRARY = """
import os, signal, sys
import corpus.commands.history as history

def run(args):
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # our handler raises SystemExit(143) in the call below
        signal.pause()
    except SystemExit:
        raise SystemExit(1)  # what Ray's ray.wait makes of an exit raised inside it

history.run = run
from corpus.cli import main
sys.exit(main(["history", "--data-dir", sys.argv[1]]))
"""


def test_a_sigterm_a_library_turns_into_its_own_exit_still_exits_143(tmp_path: Path):
    """A SIGTERM landing inside `ray.wait` became Ray's SystemExit(1): the command exited 1 with nothing
    on stderr, which a scheduler reads as a failure, not as a stop to resume (3 runs of 11)."""
    result = subprocess.run([sys.executable, "-c", SIGTERM_INSIDE_A_LIBRARY, str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 143, result.stderr
