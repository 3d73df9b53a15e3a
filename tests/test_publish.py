"""`zhnews publish` against a real HTTP server speaking the Hub API (tests/hub_server.py), through the
stock `huggingface_hub` and `datasets` clients, each in its own process with HF_ENDPOINT pointing at it."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from articles import ARTICLE, page
from hub_server import HubServer

from cleaning.config import ProcessConfig
from cleaning.dedup.stage import dedup_runs
from cleaning.run.run import process_run
from conftest import DEDUP, REPO
from corpus.build import build_dataset
from corpus.layout import DataLayout, DatasetLayout
from crawler.warc import RotatingWarcWriter

TOKEN = "hf_zhnewsTESTtoken0123456789secret"
REPO_ID = "zhnews/corpus"


def crawled_run(layout: DataLayout, run: str, day: str, articles: int = 6) -> None:
    """A run archived on `day` (its crawl period is that month), processed and deduplicated, in a data
    folder whose dataset.yaml names the repo the tests publish to (the card's loading examples name it)."""
    if not layout.dataset_config.exists():
        layout.root.mkdir(parents=True, exist_ok=True)
        layout.dataset_config.write_text(f"repo_id: {REPO_ID}\n", encoding="utf-8")
    writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-s", 1 << 30)
    for i in range(articles):
        writer.write(url=f"http://news.example.cn/{run}/t{day.replace('-', '')}_{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page(i, run),
                     request_method="GET", request_headers=[],
                     extra_fields={**ARTICLE, "WARC-Date": f"{day}T08:00:00Z"})
    writer.close()
    process_run(layout, run, ProcessConfig(), progress=False)
    dedup_runs(layout, [run], DEDUP, progress=False)


def client_env(hub: HubServer, home: Path) -> dict[str, str]:
    return {**os.environ, "HF_ENDPOINT": hub.endpoint, "HF_HUB_DISABLE_XET": "1", "HF_TOKEN": TOKEN,
            "HF_HOME": str(home), "HF_HUB_DISABLE_TELEMETRY": "1", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


def zhnews(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


LOAD = """
import json, sys, datasets
name, config, streaming = sys.argv[1], sys.argv[2] or None, sys.argv[3] == "1"
rows = datasets.load_dataset(name, config, split="train", streaming=streaming)
print(json.dumps(sorted((row["id"], row["crawl_run"], row["text"]) for row in rows), ensure_ascii=False))
"""


def hub_rows(env: dict[str, str], config: str = "", streaming: bool = False) -> list[list[str]]:
    result = subprocess.run([sys.executable, "-c", LOAD, REPO_ID, config, "1" if streaming else "0"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def local_rows(layout: DataLayout, period: str | None = None) -> list[list[str]]:
    paths = sorted(layout.dataset.glob(f"data/{period or '*'}/*.parquet"))
    return sorted([row["id"], row["crawl_run"], row["text"]] for path in paths
                  for row in pq.read_table(path, columns=["id", "crawl_run", "text"]).to_pylist())


def test_publish_two_periods_round_trip_and_the_second_uploads_nothing_old(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    first = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert first.returncode == 0, first.stderr
    assert "Publish run run-a" in first.stdout and "data/2026-10/run-a.parquet" in first.stdout
    period_a = {path: data for path, data in hub.files(REPO_ID).items() if path.startswith("data/2026-10/")}
    assert hub_rows(env) == local_rows(layout)  # cached now: the second load must not serve these rows
    uploads_before = len(hub.uploads())

    crawled_run(layout, "run-b", "2026-11-03")
    build_dataset(layout, progress=False)
    second = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert second.returncode == 0, second.stderr
    new_uploads = hub.uploads()[uploads_before:]
    local = {p: (layout.dataset / p).read_bytes() for p in (path.relative_to(layout.dataset).as_posix()
                                                             for path in layout.dataset.rglob("*") if path.is_file())
             if not p.startswith(".")}
    assert {p: d for p, d in hub.files(REPO_ID).items() if p != ".gitattributes"} == local
    assert not {hashlib.sha256(data).hexdigest() for data in period_a.values()} & set(new_uploads), \
        "the second publish sent a file of period A again"
    summaries = [summary for sha, summary, files in hub.repos[REPO_ID].commits]
    assert summaries[-2:] == ["Publish run run-a", "Publish run run-b"]

    assert hub_rows(env) == local_rows(layout)
    assert hub_rows(env, "2026-10") == local_rows(layout, "2026-10")
    assert hub_rows(env, streaming=True) == local_rows(layout)
    for result in (first, second):
        assert TOKEN not in result.stdout + result.stderr
    assert zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root)).stdout.startswith(
        f"publish {REPO_ID}: up to date")


def test_dry_run_lists_the_plan_and_touches_nothing(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    result = zhnews(client_env(hub, tmp_path / "hf-home"), "publish", "--repo-id", REPO_ID, "--dry-run",
                    "--data-dir", str(layout.root))
    assert result.returncode == 0, result.stderr
    assert "would upload 1 data file(s)" in result.stdout and "'Publish run run-a'" in result.stdout
    assert REPO_ID not in hub.repos and all(method in ("GET", "HEAD") for method, _, _ in hub.log)


def test_transient_errors_are_retried(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    hub.fail("commit", 2)
    result = zhnews(client_env(hub, tmp_path / "hf-home"), "publish", "--repo-id", REPO_ID,
                    "--data-dir", str(layout.root), timeout=180)
    assert result.returncode == 0, result.stderr
    commits = [status for method, path, status in hub.log if method == "POST" and "/commit/" in path]
    assert commits == [503, 503, 200] and "retrying" in result.stdout
    assert "data/2026-10/run-a.parquet" in hub.files(REPO_ID)




def test_a_card_that_names_another_place_is_not_published(hub: HubServer, tmp_path: Path):
    """The card's loading examples name dataset.yaml's repo_id, or the local folder without one: published
    elsewhere, every example a consumer copies would fail (and show the operator's paths)."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    layout.dataset_config.unlink()  # no repo_id: the card shows how to load the local folder
    build_dataset(layout, progress=False)
    env = client_env(hub, tmp_path / "hf-home")
    for dataset_yaml in ("", "repo_id: someone/else\n"):
        layout.dataset_config.write_text(dataset_yaml, encoding="utf-8")
        build_dataset(layout, progress=False)
        result = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
        assert result.returncode == 1 and f"repo_id: {REPO_ID}" in result.stderr, result.stdout + result.stderr
        assert REPO_ID not in hub.repos
    layout.dataset_config.write_text(f"repo_id: {REPO_ID}\n", encoding="utf-8")
    build_dataset(layout, progress=False)
    assert zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root)).returncode == 0
    card = hub.files(REPO_ID)["README.md"].decode("utf-8")
    assert f'load_dataset("{REPO_ID}"' in card and str(tmp_path) not in card

class _EchoingRefusal(BaseHTTPRequestHandler):
    """A gateway that refuses every request and echoes the request's headers in its error body, as some
    proxies and misconfigured endpoints do: the token comes back inside the error publish reports."""

    def _refuse(self) -> None:
        body = json.dumps({"error": f"Invalid token {self.headers.get('Authorization')}"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_token_is_never_printed_even_when_the_hub_echoes_it(tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingRefusal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {**os.environ, "HF_ENDPOINT": f"http://127.0.0.1:{server.server_port}", "HF_HUB_DISABLE_XET": "1",
               "HF_TOKEN": TOKEN, "HF_HOME": str(tmp_path / "hf-home"), "NO_PROXY": "127.0.0.1"}
        result = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing was published" in result.stderr and "Invalid token" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert TOKEN[3:] not in result.stdout + result.stderr


def test_a_hub_that_rate_limits_the_first_request_is_busy_not_unreachable(hub: HubServer, tmp_path: Path):
    """Reading the repo is the first request, and the only one on a night with nothing new: the Hub
    client sleeps out its Retry-After, and the publish must end as busy (75), not as a Hub that never answered."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    hub.fail("tree", 100, status=429, retry_after=3600)
    result = zhnews(client_env(hub, tmp_path / "hf-home"), "publish", "--repo-id", REPO_ID, "--max-wait", "4",
                    "--data-dir", str(layout.root), timeout=120)
    assert result.returncode == 75 and "nothing was committed" in result.stderr, result.stdout + result.stderr


def test_an_unreachable_hub_is_a_failure_not_busy(tmp_path: Path):
    """Connection refused until the retries would outlast --max-wait: the endpoint is wrong or down, which
    an operator must hear of (status 1), not a rate limit to wait out (75, which a timer counts as done)."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    with socket.socket() as closed:  # a port nobody listens on: bound, never listening
        closed.bind(("127.0.0.1", 0))
        env = {**os.environ, "HF_ENDPOINT": f"http://127.0.0.1:{closed.getsockname()[1]}",
               "HF_HUB_DISABLE_XET": "1", "HF_TOKEN": TOKEN, "HF_HOME": str(tmp_path / "hf-home")}
        started = time.monotonic()
        result = zhnews(env, "publish", "--repo-id", REPO_ID, "--max-wait", "5", "--data-dir", str(layout.root))
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing was published" in result.stderr and "HF_ENDPOINT" in result.stderr
    assert "Traceback" not in result.stderr

def publishing_held_in_upload(hub: HubServer, layout: DataLayout, env: dict[str, str]) -> subprocess.Popen[str]:
    """A publish, started with the Hub's uploads stalled, once the Hub holds its upload."""
    hub.stall_uploads()
    victim = subprocess.Popen([sys.executable, "-m", "corpus.cli", "publish", "--repo-id", REPO_ID, "--data-dir",
                               str(layout.root)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    deadline = time.monotonic() + 60
    while not any(method == "POST" and "objects/batch" in path for method, path, _ in hub.log):
        assert time.monotonic() < deadline and victim.poll() is None, "the publish never reached the upload"
        time.sleep(0.1)
    time.sleep(0.5)  # the upload is now held by the server
    return victim


def test_a_publish_killed_mid_upload_is_completed_by_the_next(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    crawled_run(layout, "run-a", "2026-10-05")
    crawled_run(layout, "run-b", "2026-11-03")
    build_dataset(layout, progress=False)
    victim = publishing_held_in_upload(hub, layout, env)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    hub.release_uploads()
    assert "data/2026-10/run-a.parquet" not in hub.files(REPO_ID), "nothing is published by a killed commit"
    again = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert again.returncode == 0, again.stderr
    published = sorted(path for path in hub.files(REPO_ID) if path.startswith("data/"))
    assert published == ["data/2026-10/run-a.parquet", "data/2026-11/run-b.parquet"]
    assert hub_rows(env) == local_rows(layout)


def published_run(hub: HubServer, tmp_path: Path) -> tuple[DataLayout, dict[str, str], Path]:
    """One run crawled, built and published: the layout, the client's environment, its data file."""
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    assert zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root)).returncode == 0
    (data_file,) = layout.dataset.glob("data/*/*.parquet")
    return layout, env, data_file


def test_a_data_file_the_hub_holds_with_other_content_is_never_overwritten(hub: HubServer, tmp_path: Path):
    layout, env, data_file = published_run(hub, tmp_path)
    table = pq.read_table(data_file)
    pq.write_table(table.slice(1), data_file)  # a rebuilt folder: same name, other rows
    result = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert result.returncode == 1 and "never overwritten" in result.stderr


def test_a_file_once_hashed_is_not_read_again_until_its_size_or_time_changes(hub: HubServer, tmp_path: Path):
    """A nightly publish must not re-read every published gigabyte: a file is known by its size and
    modification time. Shown by a change that keeps both (unseen) and one that does not (refused)."""
    layout, env, data_file = published_run(hub, tmp_path)
    stat = data_file.stat()
    data = bytearray(data_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    data_file.write_bytes(bytes(data))
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    unseen = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert unseen.returncode == 0 and unseen.stdout.startswith(f"publish {REPO_ID}: up to date"), unseen.stderr
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    refused = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert refused.returncode == 1 and "never overwritten" in refused.stderr
    DatasetLayout(layout.dataset).digests.write_text("{not json", encoding="utf-8")  # only a memory: rebuilt
    damaged = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert damaged.returncode == 1 and "hashing every file again" in damaged.stdout
    assert "never overwritten" in damaged.stderr


@pytest.mark.parametrize("kind", ["commit", "preupload", "upload"])
def test_a_hub_that_asks_for_an_hour_is_told_to_try_later_not_waited_for(hub: HubServer, tmp_path: Path, kind: str):
    """429 with Retry-After: 3600: publish does not wait it out (the Hub client would, on some calls,
    an hour a retry), exits 75 (busy) within --max-wait saying when to retry, commits nothing, and
    releases the dataset so the night's build is not held up."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    hub.fail(kind, 100, status=429, retry_after=3600)
    started = time.monotonic()
    result = zhnews(client_env(hub, tmp_path / "hf-home"), "publish", "--repo-id", REPO_ID, "--max-wait", "3",
                    "--data-dir", str(layout.root), timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 75, result.stdout + result.stderr
    assert "try again" in result.stderr and "Traceback" not in result.stderr
    assert "Retry-After 3600s" in result.stderr or "past --max-wait 3s" in result.stderr, result.stderr
    assert "data/2026-10/run-a.parquet" not in hub.files(REPO_ID)
    build = zhnews(client_env(hub, tmp_path / "hf-home"), "build", "--data-dir", str(layout.root))
    assert build.returncode == 0, build.stderr  # the dataset lock was released


def test_a_stalled_upload_is_given_up_within_max_wait_and_leaves_nothing_running(hub: HubServer, tmp_path: Path):
    """The Hub client uploads LFS files on threads of its own, which wait on a stalled upload with no
    timeout: the budget's alarm stopped the main thread, which then waited for them, the dataset locked."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    crawled_run(layout, "run-b", "2026-11-03")
    build_dataset(layout, progress=False)
    hub.stall_uploads()
    started = time.monotonic()
    result = zhnews(client_env(hub, tmp_path / "hf-home"), "publish", "--repo-id", REPO_ID, "--max-wait", "5",
                    "--data-dir", str(layout.root), timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 75 and "nothing was committed" in result.stderr, result.stdout + result.stderr
    build = zhnews(client_env(hub, tmp_path / "hf-home"), "build", "--data-dir", str(layout.root))
    assert build.returncode == 0, build.stderr  # the dataset lock was released
    hub.release_uploads()
    time.sleep(1)  # a commit left running would land now
    assert REPO_ID not in hub.repos or not any(path.startswith("data/") for path in hub.files(REPO_ID))


def test_a_sigterm_mid_upload_ends_the_publish_at_once(hub: HubServer, tmp_path: Path):
    from test_kill import children_of

    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    crawled_run(layout, "run-b", "2026-11-03")
    build_dataset(layout, progress=False)
    victim = publishing_held_in_upload(hub, layout, client_env(hub, tmp_path / "hf-home"))
    helpers = children_of(victim.pid)
    assert helpers, "the commit runs in a process of its own"
    victim.send_signal(signal.SIGTERM)
    try:
        victim.wait(timeout=20)
    finally:
        hub.release_uploads()
    assert victim.returncode == 143, victim.stderr.read() if victim.stderr else ""
    time.sleep(1)
    assert not [pid for pid in helpers if running(pid)], "a process of the publish is left"
    assert REPO_ID not in hub.repos or not any(path.startswith("data/") for path in hub.files(REPO_ID))


def running(pid: int) -> bool:
    """Alive, not a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("HF_ENDPOINT", "http://127.0.0.1:99999", "HF_ENDPOINT 'http://127.0.0.1:99999' is no URL"),
    ("HF_ENDPOINT", "http://[::1", "is no URL"),
    ("HF_ENDPOINT", "127.0.0.1:18991", "is no http(s) URL with a host"),  # retried for a minute
    ("HF_ENDPOINT", "https://proxy:s3cret/Pw@hub.example:8443", "'https://***@hub.example:8443' is no URL"),
    ("HF_TOKEN", TOKEN + "\u201d", "holds a character no token has"),  # a quote pasted with it
    ("HF_TOKEN", TOKEN[:10] + " " + TOKEN[10:], "holds a character no token has"),
])
def test_a_mistyped_endpoint_or_token_is_one_line_at_once(setting: str, value: str, said: str, tmp_path: Path):
    """They were tracebacks (a ValueError on importing the Hub client, a UnicodeEncodeError from the HTTP
    client), or a minute of retries; the token is still never printed."""
    layout = DataLayout(tmp_path / "data")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    env = {**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": TOKEN, "HF_HOME": str(tmp_path / "hf-home"),
           setting: value}
    started = time.monotonic()
    result = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert TOKEN[3:] not in result.stdout + result.stderr and "s3cret" not in result.stderr


def test_a_commit_process_killed_from_outside_is_one_line_and_the_next_publish_completes(
        hub: HubServer, tmp_path: Path):
    """The OOM killer takes the commit's process: the publish ended in a ChildDied traceback."""
    from test_kill import children_of

    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    crawled_run(layout, "run-a", "2026-10-05")
    build_dataset(layout, progress=False)
    victim = publishing_held_in_upload(hub, layout, env)
    commit = [pid for pid in children_of(victim.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert commit, "the commit runs in a process of its own"
    os.kill(commit[0], signal.SIGKILL)
    try:
        _, err = victim.communicate(timeout=60)
    finally:
        hub.release_uploads()
    assert victim.returncode == 1 and "Traceback" not in err and "publish again" in err, err
    again = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert again.returncode == 0, again.stderr
    assert "data/2026-10/run-a.parquet" in hub.files(REPO_ID)
