"""`zhnews scheduled`, as cron runs it: the whole chain under one lock, a log, a status line, exit codes,
and a SIGTERM (cron's `timeout`) that stops the running stage and leaves nothing behind."""

from __future__ import annotations

import functools
import operator
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_kill import alive, children_of

from conftest import REPO
from corpus.files import exclusive
from corpus.layout import DataLayout


def scheduled(data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "corpus.cli", "scheduled", "--sample", "--data-dir", str(data), *extra]


def test_the_chain_runs_and_says_so(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    result = subprocess.run(scheduled(layout.root), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    status = layout.scheduled_status.read_text(encoding="utf-8").split()
    assert status[1] == "ok" and {"crawl=0", "process=0", "dedup=0", "build=0"} <= set(status)
    log = Path(status[-1].removeprefix("log=")).read_text(encoding="utf-8")
    assert "=== crawl exited 0" in log and "50 documents → 49 kept, 1 copies dropped" in log
    assert "build: 1 new file(s), 49 new rows" in log
    assert layout.dataset.joinpath("README.md").is_file()


def test_a_second_job_while_one_runs_exits_75_and_leaves_the_running_jobs_status(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    layout.scheduled_status.parent.mkdir(parents=True)
    layout.scheduled_status.write_text("2026-12-06T01:00:00Z ok started=… the running job's\n", encoding="utf-8")
    with exclusive(layout.scheduled_lock, "the scheduled job", "zhnews scheduled"):
        result = subprocess.run(scheduled(layout.root), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 75 and "is in use by zhnews scheduled" in result.stderr
    assert layout.scheduled_status.read_text(encoding="utf-8").endswith("the running job's\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_the_running_stage_and_the_next_job_completes(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    slow = ["--set", "DOWNLOAD_DELAY=0.1", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    job = subprocess.Popen(scheduled(layout.root, *slow), cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline, stages = time.monotonic() + 60, set()
    while time.monotonic() < deadline and not list(layout.raw.glob("*/*.warc.gz.open")):
        stages |= children_of(job.pid)
        time.sleep(0.05)
    stages |= children_of(job.pid)
    assert job.poll() is None and stages, "the crawl stage should be running"
    os.kill(job.pid, signal.SIGTERM)
    assert job.wait(timeout=60) == 143
    deadline = time.monotonic() + 15
    while alive(stages) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(stages), "a stage outlived the terminated job"
    assert layout.scheduled_status.read_text(encoding="utf-8").split()[1] == "terminated"
    again = subprocess.run(scheduled(layout.root), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr


def command_line(pid: int) -> list[str]:
    """The arguments `pid` runs with; none once it is gone (a short-lived helper of a stage)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def proc_status(pid: int) -> dict[str, str]:
    return dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())


def signal_mask(pid: int, *fields: str) -> int:
    """The signals /proc lists for `pid` under `fields` (SigCgt: it handles them; SigPnd, ShdPnd: they
    are pending), as one bit mask."""
    return functools.reduce(operator.or_, (int(proc_status(pid)[name], 16) for name in fields))


SIGTERM_BIT = 1 << (signal.SIGTERM - 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_terminated_job_stops_with_143_whatever_its_stage_returns(tmp_path: Path):
    """The job was told to stop: it says so and runs no later stage, although its crawl did not end with
    143 (here the OOM killer's kill -9 reaches the crawl before the SIGTERM the job passed on to it)."""
    layout = DataLayout(tmp_path / "data")
    job = subprocess.Popen(scheduled(layout.root), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    deadline, crawl = time.monotonic() + 60, None
    while crawl is None and time.monotonic() < deadline and job.poll() is None:
        crawl = next((pid for pid in children_of(job.pid) if "crawl" in command_line(pid)), None)
        time.sleep(0.02)
    assert crawl, "the crawl stage should be running"
    # stopped before it handles SIGTERM, the crawl would die of the one passed on at once: wait for that
    while not signal_mask(crawl, "SigCgt") & SIGTERM_BIT and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(crawl, signal.SIGSTOP)
    while not proc_status(crawl)["State"].startswith("T"):  # stopped: a signal now stays pending
        time.sleep(0.02)
    os.kill(job.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while not signal_mask(crawl, "SigPnd", "ShdPnd") & SIGTERM_BIT and time.monotonic() < deadline:
        time.sleep(0.05)
    assert signal_mask(crawl, "SigPnd", "ShdPnd") & SIGTERM_BIT, "the job did not pass the SIGTERM on"
    os.kill(crawl, signal.SIGKILL)
    out, err = job.communicate(timeout=60)
    assert job.returncode == 143, out + err
    status = layout.scheduled_status.read_text(encoding="utf-8").split()
    assert status[1] == "terminated" and "crawl=137" in status, status
    assert not any(field.startswith(("process=", "dedup=", "build=")) for field in status), "a later stage ran"


def test_one_site_down_one_opted_out_one_broken_the_others_are_built(tmp_path: Path):
    """Sites fail alone: the sample sites' rows are built although one site is down (a closed port),
    one's robots.txt disallows everything (an opt-out: skipped, not failed) and one profile is broken;
    the status line names each with its reason and the job exits non-zero."""
    import socket

    from fault_site import serve_fault_site
    from test_hostile import profile

    with socket.socket() as probe:  # a port nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = profile(type("Down", (), {"base_url": f"http://127.0.0.1:{closed_port}"})(), tmp_path / "down", name="down")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\narticle_url: '(['\nstart_urls: ['http://127.0.0.1:9/']\n", encoding="utf-8")
    layout = DataLayout(tmp_path / "data")
    with serve_fault_site(robots="disallow") as opted_out:
        optout = profile(opted_out, tmp_path / "optout", name="optout")
        result = subprocess.run(scheduled(layout.root, "--site", str(down), "--site", str(optout),
                                          "--site", str(broken)),
                                cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    status = layout.scheduled_status.read_text(encoding="utf-8").split()
    assert status[1] == "failed-at-crawl"
    assert {"process=0", "dedup=0", "build=0", "failed=broken:profile,down:unreachable", "skipped=optout:robots",
            "rows=49"} <= set(status), status
    assert "failed down: no entry point" in result.stdout and "skipped optout: its robots.txt" in result.stdout

    import pyarrow.parquet as pq

    rows = sum(pq.read_metadata(path).num_rows for path in layout.dataset.glob("data/*/*.parquet"))
    assert rows == 49


def test_a_night_whose_only_profile_is_broken_names_it_in_the_status_line(tmp_path: Path):
    """The usual one-site night: the crawl stopped before writing its report, so the status line said
    "failed-at-crawl" without naming the site or why (docs/operations.md promises `failed=x:profile`)."""
    broken = tmp_path / "mysite.yaml"
    broken.write_text("name: mysite\n  bad: [\n", encoding="utf-8")
    layout = DataLayout(tmp_path / "data")
    command = [sys.executable, "-m", "corpus.cli", "scheduled", "--site", str(broken), "--data-dir", str(layout.root)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    status = layout.scheduled_status.read_text(encoding="utf-8").split()
    assert status[1] == "failed-at-crawl" and "failed=mysite:profile" in status, status
    assert not any(field.startswith(("process=", "dedup=", "build=")) for field in status), status
    assert "failed mysite:" in result.stdout, result.stdout


def test_the_demo_says_nothing_it_need_not_warn_about(tmp_path: Path):
    """A feature simply off (the shared archive) and a page robots.txt forbids are no warnings; no
    progress bar goes into a pipe (ours or datasets'); `--version` answers."""
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "demo", "--data-dir", str(tmp_path / "data")],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "%|" not in result.stdout + result.stderr, "a progress bar was written into a pipe"
    version = subprocess.run([sys.executable, "-m", "corpus.cli", "--version"], cwd=REPO, capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("zhnews ")
    # the sites come back on the same ports: a second demo meets the same URLs and adds nothing
    again = subprocess.run([sys.executable, "-m", "corpus.cli", "demo", "--data-dir", str(tmp_path / "data")],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "build: 0 new file(s), 0 new rows" in again.stdout and "articles: fetched" not in again.stdout, again.stdout
    # its last line, run as printed from any folder (it said `python`, which on a fresh machine has no datasets)
    hint = again.stdout.strip().splitlines()[-1]
    assert hint.startswith("load it: "), hint
    loaded = subprocess.run(shlex.split(hint.removeprefix("load it: ")), cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert loaded.returncode == 0 and "num_rows" in loaded.stdout, loaded.stderr[-2000:]


@pytest.mark.parametrize("doc", ["README.md", "docs/operations.md"])
def test_the_documented_cron_line_starts_on_a_fresh_data_folder(doc: str, tmp_path: Path):
    """cron's shell opens `>> data/logs/cron.log` before it starts the job: a line that redirects into a
    folder nobody has made yet never runs the job at all, and says so only in cron's mail."""
    line = next(line for line in (REPO / doc).read_text(encoding="utf-8").splitlines() if line.startswith("15 2 * * *"))
    command = line.split(None, 5)[5]  # after cron's five time fields
    assert "cd /srv/zhnews" in command and ".venv/bin/zhnews scheduled" in command
    command = command.replace("cd /srv/zhnews", f"cd {tmp_path}").replace(".venv/bin/zhnews scheduled", "echo started")
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "logs" / "cron.log").read_text().startswith("started")


def test_the_status_line_counts_the_rows_of_a_run_a_killed_night_left(tmp_path: Path):
    """A night killed after its crawl left a run the next night builds: the next status line said rows=0
    (it counted its own run's rows only, none here: nothing new was crawled), a zero-yield night to a monitor."""
    layout = DataLayout(tmp_path / "data")
    subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", "--sample", "--data-dir", str(layout.root),
                    "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=300, check=True)
    result = subprocess.run(scheduled(layout.root), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rows=49" in layout.scheduled_status.read_text(encoding="utf-8").split()
