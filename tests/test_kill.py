"""Killed at any moment, then run again: nothing lost, nothing duplicated, no process left behind.

Each test starts the real command in a subprocess, kills it (SIGKILL as the OOM killer does, SIGTERM
as cron's `timeout` does) while it works, and runs the same command again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from articles import ARTICLE, page

from conftest import REPO
from corpus.layout import DataLayout
from crawler.warc import RotatingWarcWriter

SHARDS, PER_SHARD = 4, 60


def write_run(layout: DataLayout, run: str) -> None:
    for shard in range(SHARDS):
        writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-s{shard}", 1 << 30)
        for i in range(PER_SHARD):
            n = shard * PER_SHARD + i
            writer.write(url=f"http://news.example.cn/news/202611/t20261101_{n}.html", status=200, reason="OK",
                         response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page(n),
                         request_method="GET", request_headers=[], extra_fields=ARTICLE)
        writer.close()


def children_of(pid: int) -> set[int]:
    """Every live descendant of `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    live = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            live.add(pid)
    return live


def zhnews(*args: str, quiet: bool = False) -> subprocess.Popen[str]:
    """The real command; `quiet` for a victim (orphaned workers would hold captured pipes open)."""
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, text=True,
                            stdout=output, stderr=output)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_killed_process_leaves_no_worker_and_the_next_one_finishes(tmp_path: Path, kill: signal.Signals):
    layout = DataLayout(tmp_path / "data")
    write_run(layout, "run1")
    victim = zhnews("process", "--data-dir", str(layout.root), "--workers", "2", "--no-progress", quiet=True)
    deadline, workers = time.monotonic() + 60, set()
    while time.monotonic() < deadline and victim.poll() is None:
        workers = children_of(victim.pid)
        if len(workers) >= 2 and list(layout.work("run1").glob("*.arrow")):
            break  # workers are busy and have written something: a kill now interrupts real work
        time.sleep(0.05)
    assert victim.poll() is None, "process finished before it could be killed: make the run bigger"
    os.kill(victim.pid, kill)
    victim.wait(timeout=30)
    deadline = time.monotonic() + 15
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(workers), "worker processes outlived the killed `zhnews process`"

    again = zhnews("process", "--data-dir", str(layout.root), "--workers", "2", "--no-progress")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "skipped" not in out
    urls = [url for path in layout.run_docs("run1") for url in pq.read_table(path, columns=["url"])["url"].to_pylist()]
    assert len(urls) == len(set(urls)) == SHARDS * PER_SHARD


def kill_and_run_again(command: str, layout: DataLayout, delay: float, kill: signal.Signals) -> None:
    """Start `zhnews COMMAND`, kill it after `delay` seconds (if still running), then run it to the end."""
    victim = zhnews(command, "--data-dir", str(layout.root), "--no-progress", quiet=True)
    time.sleep(delay)
    if victim.poll() is None:
        os.kill(victim.pid, kill)
    victim.wait(timeout=30)
    again = zhnews(command, "--data-dir", str(layout.root), "--no-progress")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err


def processed_runs(layout: DataLayout, runs: list[str]) -> None:
    """Runs of 20 distinct articles each, crawled and processed."""
    from cleaning.config import ProcessConfig
    from cleaning.run.run import process_run

    for run in runs:
        writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-s", 1 << 30)
        for i in range(20):
            writer.write(url=f"http://news.example.cn/{run}/t20261101_{i}.html", status=200, reason="OK",
                         response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page(i, run),
                         request_method="GET", request_headers=[], extra_fields=ARTICLE)
        writer.close()
        process_run(layout, run, ProcessConfig(), progress=False)


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_dedup_killed_at_several_points_is_completed_by_the_next(tmp_path: Path, kill: signal.Signals):
    import shutil
    import sqlite3

    source = DataLayout(tmp_path / "source")
    runs = [f"run{n}" for n in range(6)]
    processed_runs(source, runs)
    for delay in (0.6, 1.0, 1.4, 1.8, 2.4):  # start-up takes most of a second; then a run every few tenths
        layout = DataLayout(tmp_path / f"killed-{delay}")
        shutil.copytree(source.root, layout.root)
        kill_and_run_again("dedup", layout, delay, kill)
        assert all(layout.dedup_stats(run).exists() for run in runs)
        index = sqlite3.connect(layout.dedup_index)
        assert index.execute("SELECT COUNT(*), COUNT(DISTINCT run) FROM docs").fetchone() == (20 * len(runs), 6)
        assert index.execute("SELECT COUNT(*) FROM runs").fetchone() == (len(runs),), "each run indexed once"
        index.close()
        kept = sum(pq.read_metadata(layout.dedup_docs(run)).num_rows for run in runs)
        assert kept == 20 * len(runs) and not list(layout.root.rglob(".*.tmp-*"))


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_build_killed_at_several_points_is_completed_by_the_next(tmp_path: Path, kill: signal.Signals):
    import json
    import shutil

    import datasets

    from cleaning.dedup.stage import dedup_runs
    from conftest import DEDUP

    source = DataLayout(tmp_path / "source")
    runs = [f"run{n}" for n in range(6)]
    processed_runs(source, runs)
    dedup_runs(source, runs, DEDUP, progress=False)
    for delay in (0.8, 1.4, 2.0, 2.6, 3.2):  # from start-up to the last file: each kill lands somewhere else
        layout = DataLayout(tmp_path / f"killed-{delay}")
        shutil.copytree(source.root, layout.root)
        kill_and_run_again("build", layout, delay, kill)
        changelog = json.loads((layout.dataset / "changelog.json").read_text(encoding="utf-8"))
        assert sorted(entry["run"] for entry in changelog) == runs, "each run published exactly once"
        files = sorted(path.stem for path in layout.dataset.glob("data/*/*.parquet"))
        assert files == runs and not list(layout.dataset.rglob(".*.tmp-*")), "one file per run, no leftovers"
        rows = datasets.load_dataset(str(layout.dataset), split="train")
        assert rows.num_rows == len(set(rows["id"])) == 20 * len(runs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_workers_busy_with_a_stalled_page(tmp_path: Path):
    """SIGTERM ends a process whose worker is deep in one page (a step that does not return): the
    pool's workers are stopped at once, not waited for."""
    from test_process_steps import article

    layout = DataLayout(tmp_path / "data")
    for shard in range(2):
        writer = RotatingWarcWriter(layout.run_dir("run1"), f"run1-s{shard}", 1 << 30)
        for i in range(shard * 5, shard * 5 + 5):
            writer.write(url=f"http://news.example.cn/news/202611/t20261101_{i}.html", status=200, reason="OK",
                         response_headers=[("Content-Type", "text/html; charset=utf-8")], body=article(i).encode(),
                         request_method="GET", request_headers=[], extra_fields=ARTICLE)
        writer.close()
    driver = (f"import signal, sys; sys.path.insert(0, {str(REPO / 'tests')!r})\n"
              "from pathlib import Path\nfrom cleaning.config import ProcessConfig\n"
              "from cleaning.run.executor import LocalExecutor\nfrom cleaning.run.run import process_run\n"
              "from corpus.layout import DataLayout\n"
              "signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))  # as the CLI does\n"
              "executor = LocalExecutor(2)\n"
              "try:\n"
              f"    process_run(DataLayout(Path({str(layout.root)!r})), 'run1', ProcessConfig("
              "pipeline='test_process_steps.stalling_steps', page_timeout_seconds=300), executor, progress=False)\n"
              "finally:\n    executor.close()\n")
    victim = subprocess.Popen([sys.executable, "-c", driver], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 60, set()
    first_phase_done = layout.phase_marker("run1", "run1-s0-00000", 1)
    while time.monotonic() < deadline and not first_phase_done.exists():
        workers = children_of(victim.pid) or workers
        time.sleep(0.1)
    time.sleep(1)  # the other shard's worker is now asleep in page 7, for a minute
    assert victim.poll() is None and workers
    os.kill(victim.pid, signal.SIGTERM)
    started = time.monotonic()
    assert victim.wait(timeout=40) == 143
    assert time.monotonic() - started < 20, "the stalled worker was waited for"
    deadline = time.monotonic() + 10
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(workers), "a worker outlived the terminated process"


def test_a_process_killed_before_its_run_summary_is_completed_by_the_next(tmp_path: Path):
    """The window between the last shard's stats and the run's summary: every shard is done, but
    without the summary dedup never takes the run and build only says to process it first. The next
    `zhnews process` must write the summary, and the run must go on to dedup."""
    layout = DataLayout(tmp_path / "data")
    writer = RotatingWarcWriter(layout.run_dir("run1"), "run1-s", 1 << 30)
    for i in range(10):
        writer.write(url=f"http://news.example.cn/run1/t20261101_{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page(i, "run1"),
                     request_method="GET", request_headers=[], extra_fields=ARTICLE)
    writer.close()
    victim = (  # the real process_run, killed as SIGKILL would at the moment it writes the summary
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import corpus.run_stats\n"
        "corpus.run_stats.RunSummary.write = lambda self, path: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from cleaning.run.run import process_run\n"
        "from corpus.layout import DataLayout\n"
        f"process_run(DataLayout(Path({str(layout.root)!r})), 'run1', progress=False)\n"
    )
    killed = subprocess.run([sys.executable, "-c", victim], cwd=REPO)
    assert killed.returncode == -signal.SIGKILL
    assert not layout.run_summary("run1").exists() and layout.shard_done("run1", layout.shards("run1")[0])

    for command in ("process", "dedup"):
        again = zhnews(command, "--data-dir", str(layout.root), "--no-progress")
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
    assert layout.run_summary("run1").exists(), "the next process wrote the run's summary"
    assert pq.read_metadata(layout.dedup_docs("run1")).num_rows == 10, "and the run went on to dedup"


def _killed_at_once(job: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does to a worker


def test_a_worker_killed_mid_job_is_one_line_that_says_to_run_again():
    """A pool worker killed by the OOM killer (or kill -9) ended the command with a 27-line
    BrokenProcessPool traceback and no word that a re-run resumes; it is an OSError the CLI says in one line."""
    from cleaning.run.executor import LocalExecutor

    executor = LocalExecutor(2)
    for call in (lambda: executor.run(_killed_at_once, [1, 2], lambda: None),
                 lambda: executor.map(_killed_at_once, [1, 2])):
        with pytest.raises(ChildProcessError, match="a worker process was killed"):
            call()
