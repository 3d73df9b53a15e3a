"""`--engine ray`: processing and dedup as Ray tasks on real local clusters, checked against the local
engine's outputs byte for byte, with a worker killed mid-shard, and listening on loopback only.

Two clusters: one started with `ray start` as a user would (the commands attach with --address),
and the private one `RayExecutor` starts when given no address. Ray is an optional extra; `make
test` installs it.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import ray_faults
from processes import free_port, is_loopback, listening_addresses, marked_processes

from cleaning.config import ProcessConfig
from cleaning.dedup.index import SqliteDedupIndex
from cleaning.dedup.stage import deduplicate_records
from cleaning.run.executor import LocalExecutor
from cleaning.run.ray_executor import RAY_ENVIRONMENT, RayExecutor
from cleaning.run.run import process_run
from conftest import DEDUP, Crawl, zhnews
from corpus.layout import DataLayout

# as `RayExecutor` does, before Ray is imported (none of the above imports it): Ray reads them once
for _name, _value in RAY_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)
pytest.importorskip("ray", reason="Ray is an optional extra: pip install -e '.[ray]' (make test installs it)")

RAY = Path(sys.executable).with_name("ray")
MARKER = "ZHNEWS_TEST_RAY"


@dataclass
class Cluster:
    address: str
    env: dict[str, str]  # what a driver attaching to it needs (its HOME holds the auth token)
    marker: str  # NAME=VALUE in the environment of each of its processes


def _wait_gone(marker: str, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    token = uuid.uuid4().hex
    temp = Path(tempfile.mkdtemp(prefix="zr", dir="/tmp"))  # short: Ray's socket paths must fit 107 bytes
    env = {**os.environ, **RAY_ENVIRONMENT, "HOME": str(tmp_path_factory.mktemp("ray-home")), MARKER: token}
    port = free_port()
    # token authentication, as Ray 2.60 has it by default: the token under HOME, read by every driver
    subprocess.run([str(RAY), "get-auth-token", "--generate"], env=env, check=True, capture_output=True, timeout=60)
    subprocess.run([str(RAY), "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                    "--include-dashboard=false", "--num-cpus=2", "--object-store-memory=134217728",
                    "--disable-usage-stats", f"--temp-dir={temp}"],
                   env=env, check=True, capture_output=True, timeout=180)
    try:
        yield Cluster(f"127.0.0.1:{port}", env, f"{MARKER}={token}")
    finally:
        subprocess.run([str(RAY), "stop", "--force"], env=env, capture_output=True, timeout=120)
        left = _wait_gone(f"{MARKER}={token}")
        shutil.rmtree(temp, ignore_errors=True)
        assert not left, f"Ray processes left after `ray stop`: {left}"


def _copy_run(crawl: Crawl, data_dir: Path) -> DataLayout:
    shutil.copytree(crawl.raw, data_dir / "raw" / crawl.run_id)
    return DataLayout(data_dir)


def _outputs(data_dir: Path) -> dict[str, bytes]:
    """Every document file the stages wrote (kept, rejected, deduplicated), by relative path."""
    return {path.relative_to(data_dir).as_posix(): path.read_bytes()
            for area in ("docs", "rejects", "dedup") for path in sorted((data_dir / area).rglob("*.parquet"))}


@pytest.fixture(scope="module")
def local_outputs(first_crawl: Crawl, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample run processed and deduplicated by the local engine, through the commands."""
    data_dir = tmp_path_factory.mktemp("local") / "data"
    _copy_run(first_crawl, data_dir)
    zhnews("process", "--data-dir", str(data_dir), "--engine", "local", "--workers", "2", "--no-progress")
    zhnews("dedup", "--data-dir", str(data_dir), "--engine", "local", "--workers", "1", "--no-progress")
    outputs = _outputs(data_dir)
    assert any(name.startswith("dedup/") for name in outputs) and any("/near_text/" in n or "/exact_text/" in n
                                                                        for n in outputs)
    return outputs


def _on_ray(cluster: Cluster, *args: str) -> str:
    """A command with `--engine ray` on the cluster; its stdout, or a failure showing its stderr."""
    result = subprocess.run([sys.executable, "-m", "corpus.cli", *args, "--engine", "ray", "--address",
                             cluster.address, "--no-progress"], env=cluster.env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_process_and_dedup_on_ray_write_the_local_engines_files(first_crawl: Crawl, cluster: Cluster,
                                                               local_outputs: dict[str, bytes], tmp_path: Path):
    data_dir = tmp_path / "data"
    layout = _copy_run(first_crawl, data_dir)
    for stage in ("process", "dedup"):
        _on_ray(cluster, stage, "--data-dir", str(data_dir))
    assert _outputs(data_dir) == local_outputs  # the same files, byte for byte: documents and clusters
    assert all(layout.shard_done(first_crawl.run_id, warc) for warc in layout.shards(first_crawl.run_id))
    # a re-run finds every shard done and writes nothing
    again = _on_ray(cluster, "process", "--data-dir", str(data_dir), "--run", first_crawl.run_id)
    assert "0 shard(s) processed" in again


def test_cluster_started_with_ray_start_listens_on_loopback_only(cluster: Cluster):
    addresses = listening_addresses(marked_processes(cluster.marker))
    assert addresses, "no listening socket found for the cluster's processes"
    assert all(is_loopback(address) for address in addresses), addresses


class _KillingFirstWorker(RayExecutor):
    """Ray as the commands use it, but the first job's worker is killed before its first output."""

    def __init__(self, address: str, flag: Path) -> None:
        super().__init__(address)
        self.flag = flag

    def run(self, function, jobs, on_done) -> None:
        super().run(functools.partial(ray_faults.killed_before_first_output, self.flag, function), jobs, on_done)


@pytest.fixture
def attached(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Cluster:
    """This process as a driver of the cluster (it reads the auth token under HOME)."""
    import ray.cloudpickle

    monkeypatch.setenv("HOME", cluster.env["HOME"])
    for name, value in RAY_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    ray.cloudpickle.register_pickle_by_value(ray_faults)
    return cluster


def test_a_worker_killed_mid_shard_leaves_no_partial_output_and_its_shard_is_redone(
        first_crawl: Crawl, attached: Cluster, local_outputs: dict[str, bytes], tmp_path: Path):
    data_dir = tmp_path / "data"
    layout = _copy_run(first_crawl, data_dir)
    flag = tmp_path / "killed"
    executor = _KillingFirstWorker(attached.address, flag)
    try:
        process_run(layout, first_crawl.run_id, ProcessConfig(), executor, progress=False)
    finally:
        executor.close()
    victim = int(flag.read_text())
    assert not Path(f"/proc/{victim}").exists(), "the worker was not killed"
    assert not list(data_dir.rglob("*.tmp-*")), "a partial file was left behind"
    processed = {name: data for name, data in _outputs(data_dir).items() if not name.startswith("dedup/")}
    assert processed == {name: data for name, data in local_outputs.items()
                         if name.startswith(("docs/", "rejects/")) and "/dedup.parquet" not in name}


def _reprints(count: int) -> list[dict]:
    """Records in several batches with copies across batches: the clusters depend on every batch."""
    stories = ["".join(chr(0x4E00 + (i * 7919 + j * 104729) % 20000) for j in range(300)) for i in range(count // 3)]
    records = []
    for i in range(count):
        text = stories[i % len(stories)]
        if i % 2:
            text = text[: 250 + i % 40] + "编辑 李明" * (i % 3)
        records.append({"id": f"id{i}", "url": f"https://example.cn/{i}.html", "text": text,
                        "crawled_at": "2026-12-01T00:00:00Z", "crawl_run": "r1", "char_count": len(text),
                        "published_at": None})
    return records


def test_dedup_hashing_on_ray_and_on_a_pool_gives_the_local_engines_clusters(
        attached: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import cleaning.dedup.layers

    monkeypatch.setattr(cleaning.dedup.layers, "SKETCH_BATCH", 100)  # 15 batches: several rounds of jobs
    records = _reprints(1500)
    decisions = []
    for executor in (LocalExecutor(1), LocalExecutor(2), RayExecutor(attached.address)):
        try:
            index = SqliteDedupIndex(tmp_path / f"{len(decisions)}.sqlite")
            decision = deduplicate_records(records, "r1", index, DEDUP, executor=executor)
            index.close()
        finally:
            executor.close()
        decisions.append(decision)
    local, pool, on_ray = decisions
    assert len(local.rejected) > 100
    for other in (pool, on_ray):
        assert other.kept == local.kept and other.rejected == local.rejected


# a driver that starts a private cluster, runs tasks on it, says so, and waits for a line to close it
_DRIVER = """
import sys
from cleaning.run.ray_executor import RayExecutor
executor = RayExecutor(workers=2)
print(executor.map(abs, [-1, -2, -3]), flush=True)
sys.stdin.readline()
executor.close()
"""


@pytest.mark.parametrize("ending", ["closed", "killed"])
def test_a_private_cluster_listens_on_loopback_only_and_stops_with_its_driver(ending: str, tmp_path: Path):
    """Closed: `close` stops it. Killed (kill -9 of the driver): Ray's processes notice and stop by
    themselves: its GCS and raylet at once, its two agents within about a minute (measured)."""
    token = uuid.uuid4().hex
    # the driver's environment without ours: `RayExecutor` itself must make the cluster loopback-only
    env = {name: value for name, value in os.environ.items() if name not in RAY_ENVIRONMENT}
    env.update({"HOME": str(tmp_path), MARKER: token})
    env.pop("RAY_AUTH_TOKEN", None)
    driver = subprocess.Popen([sys.executable, "-c", _DRIVER], cwd=Path(__file__).parents[1], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert driver.stdout.readline().strip() == "[1, 2, 3]", driver.stderr.read()
        addresses = listening_addresses(marked_processes(f"{MARKER}={token}"))
        assert addresses and all(is_loopback(address) for address in addresses), addresses
        if ending == "closed":
            driver.communicate("\n", timeout=60)
            assert driver.returncode == 0
        else:
            driver.kill()
            driver.wait()
    finally:
        if driver.poll() is None:
            driver.kill()
    left = _wait_gone(f"{MARKER}={token}", seconds=20 if ending == "closed" else 120)
    assert not left, f"the private cluster left processes behind ({ending}): {left}"


def test_a_sigterm_ends_a_command_on_its_private_cluster_with_143_and_stops_the_cluster(
        first_crawl: Crawl, tmp_path: Path):
    """`ray.init` put its own SIGTERM handler in place of ours: the command exited 15 or 1 (Ray's C++
    dump) instead of 143, and the cluster's agents outlived it for a minute and more. And a RAY_ADDRESS
    left in the environment (Ray sets it for `ray job submit`) made the private cluster a traceback."""
    token = uuid.uuid4().hex
    data_dir = tmp_path / "data"
    _copy_run(first_crawl, data_dir)
    env = {**os.environ, "HOME": str(tmp_path), MARKER: token, "RAY_ADDRESS": f"127.0.0.1:{free_port()}"}
    env.pop("RAY_AUTH_TOKEN", None)
    command = subprocess.Popen([sys.executable, "-m", "corpus.cli", "process", "--engine", "ray", "--workers", "1",
                                "--data-dir", str(data_dir), "--no-progress"], cwd=Path(__file__).parents[1],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not any((data_dir / "stats").rglob("*.json")):  # a shard is done: the cluster is working
            assert command.poll() is None, command.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no shard was processed on the private cluster"
            time.sleep(0.2)
        command.send_signal(signal.SIGTERM)
        _, err = command.communicate(timeout=60)
    finally:
        if command.poll() is None:
            command.kill()
    # 143 from our handler; or, in 2 runs of 6 with the other core busy, the signal's own end (-15), with
    # nothing on stderr and the cluster stopped all the same, which a shell, cron or systemd reports as 143
    # too (why is not known yet: see the commit). Ray's own handlers' 15 or 1 are the defect tested here.
    assert command.returncode in (143, -signal.SIGTERM), err[-3000:]
    left = _wait_gone(f"{MARKER}={token}", seconds=30)
    assert not left, f"the private cluster left processes behind: {left}"


def test_attaching_to_a_port_that_is_no_ray_head_fails_at_once_in_one_line(first_crawl: Crawl, tmp_path: Path):
    """An address that answers, but not as a Ray head (a web server, the dashboard's port), passed the
    check for a head that is down, and Ray then tried for 13.7 minutes (measured) with 61 lines of warnings."""
    import http.server
    import threading

    data_dir = tmp_path / "data"
    _copy_run(first_crawl, data_dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "corpus.cli", "process", "--engine", "ray", "--address",
                                 f"127.0.0.1:{server.server_address[1]}", "--data-dir", str(data_dir), "--no-progress"],
                                cwd=Path(__file__).parents[1], capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 60
    assert result.returncode == 1 and "answers, but not as a Ray cluster's head" in result.stderr, result.stderr[-3000:]
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_attaching_to_a_head_that_is_down_fails_at_once_in_one_line(first_crawl: Crawl, tmp_path: Path):
    """Ray retried 20 times, 40 s each (13.7 minutes, measured), then failed; a refusal was a traceback."""
    data_dir = tmp_path / "data"
    _copy_run(first_crawl, data_dir)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "process", "--engine", "ray", "--address",
                             f"127.0.0.1:{free_port()}", "--data-dir", str(data_dir), "--no-progress"],
                            cwd=Path(__file__).parents[1], capture_output=True, text=True, timeout=300)
    assert time.monotonic() - started < 60
    assert result.returncode == 1 and "no Ray cluster answers at 127.0.0.1:" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_a_jobs_own_error_comes_back_as_itself(attached: Cluster):
    """An error a job raised on Ray (a damaged phase file, a full disk) came back as Ray's RayTaskError,
    whose text is the remote traceback: 11-15 lines where the local engine prints one."""
    from corpus.files import DamagedFile

    executor = RayExecutor(attached.address)
    try:
        with pytest.raises(DamagedFile, match="not an Arrow file") as raised:
            executor.run(ray_faults.damaged, ["a"], lambda: None)
        assert "Traceback" not in str(raised.value) and "ray::" not in str(raised.value)
        # where it failed stays behind it, for `-v` and a bug report: the job's own line on the worker
        assert "in damaged" in "".join(traceback.format_exception(raised.value))
        with pytest.raises(DamagedFile, match="not an Arrow file"):
            executor.map(ray_faults.damaged, ["a", "b"])
    finally:
        executor.close()


def test_a_job_killed_for_memory_is_retried_a_few_times_then_fails(tmp_path: Path):
    """Ray retries a task its memory monitor killed forever by default (task_oom_retries): the command
    never ended (a reviewer's run: killed by `timeout` after 159 s, 15 lines "infinite oom retries")."""
    script = ("import sys, ray_faults\nfrom cleaning.run.ray_executor import RayExecutor\n"
              "executor = RayExecutor(workers=1)\n"
              "try:\n    executor.map(ray_faults.out_of_memory, [1, 2])\n"
              "except ChildProcessError as error:\n    print('lost:', error)\n"
              "finally:\n    executor.close()\n")
    meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    total, available = (int(meminfo[key].split()[0]) * 1024 for key in ("MemTotal", "MemAvailable"))
    # the node's use now, plus half the GiB the job takes: whatever the machine's size, the job crosses it
    threshold = min(0.99, 1 - available / total + (1 << 29) / total)
    env = {**os.environ, "RAY_memory_usage_threshold": f"{threshold:.4f}", "RAY_memory_monitor_refresh_ms": "50",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(Path(__file__).parents[1])])}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=240)
    assert "lost: a worker process was killed" in result.stdout, result.stdout[-2000:] + result.stderr[-3000:]
