"""A crawl fleet: two real Scrapyd servers on 127.0.0.1 crawl the sample sites' profiles, deployed
and scheduled by `zhnews crawl --scrapyd`, into a shared archive (a folder, and an S3 bucket on a
moto server started here); what they archive matches a local crawl of the same sites."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from processes import free_port, is_loopback, listening_addresses, marked_processes
from warcio.archiveiterator import ArchiveIterator

from conftest import REPO, crawl, sample_profiles, zhnews
from crawler.fleet import ScrapydNode, assign, build_egg, site_run
from crawler.sample_site import SampleSites

pytest.importorskip("scrapyd", reason="the fleet needs Scrapyd: pip install -e '.[fleet]' (make test installs it)")

BIN = Path(sys.executable).parent
MARKER = "ZHNEWS_TEST_FLEET"
S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
BUCKET = "zhnews-fleet"


def _wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _start_scrapyd(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A Scrapyd server working in `folder`, on a free loopback port; the process and its URL."""
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {folder}/eggs\n"
        f"logs_dir = {folder}/logs\nitems_dir =\ndbs_dir = {folder}/dbs\nmax_proc = 2\n"
        "poll_interval = 0.5\n")
    process = subprocess.Popen([str(BIN / "scrapyd")], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}"


@dataclass
class Fleet:
    nodes: list[str]  # URLs
    folders: list[Path]  # each node's working folder (its data/ is under it)
    marker: str
    s3_endpoint: str


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    token = uuid.uuid4().hex
    env = {**os.environ, MARKER: token, **S3_ENV}
    processes = []
    try:
        s3_port = free_port()
        processes.append(subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        s3_endpoint = f"http://127.0.0.1:{s3_port}"
        env["FSSPEC_S3_ENDPOINT_URL"] = s3_endpoint  # the nodes' own configuration, as a fleet's would be
        nodes, folders = [], []
        for number in range(2):
            folder = tmp_path_factory.mktemp(f"scrapyd{number}")
            process, url = _start_scrapyd(folder, env)
            processes.append(process)
            nodes.append(url)
            folders.append(folder)
        for url in [s3_endpoint, *(f"{node}/daemonstatus.json" for node in nodes)]:
            _wait_http(url)
        yield Fleet(nodes, folders, f"{MARKER}={token}", s3_endpoint)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.fixture
def s3_env(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process reads the bucket as the nodes write it."""
    import fsspec

    for name, value in {**S3_ENV, "FSSPEC_S3_ENDPOINT_URL": fleet.s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    fsspec.config.set_conf_env(fsspec.config.conf)  # fsspec reads FSSPEC_* once, at import
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    if not fs.exists(BUCKET):
        fs.mkdir(BUCKET)


def _responses(files: list[tuple[str, bytes]]) -> set[tuple[str, str, str]]:
    """(site, URL, status) of every response the WARC files hold."""
    found = set()
    for _, data in files:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response":
                headers = record.rec_headers
                found.add((headers.get_header("Zhnews-Site"), headers.get_header("WARC-Target-URI"),
                           record.http_headers.get_statuscode()))
    return found


def _archived(archive: str, run: str) -> list[tuple[str, bytes]]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(archive, skip_instance_cache=True)
    return [(path, fs.cat_file(path)) for path in sorted(fs.find(f"{root}/raw/{run}")) if path.endswith(".warc.gz")]


@pytest.mark.parametrize("archive_kind", ["folder", "s3"])
def test_a_fleet_crawl_archives_what_a_local_crawl_archives(archive_kind: str, fleet: Fleet, s3_env: None,
                                                            sample_sites: SampleSites, tmp_path: Path):
    (tmp_path / "local").mkdir()
    local = crawl(sample_sites, tmp_path / "local" / "data", "local1")
    expected = _responses([(str(p), p.read_bytes()) for p in sorted(local.raw.glob("*.warc.gz"))])
    assert len(expected) > 40
    archive = str(tmp_path / "shared") if archive_kind == "folder" else f"s3://{BUCKET}/{uuid.uuid4().hex}"
    run = f"fleet-{archive_kind}"
    result = subprocess.run(
        [sys.executable, "-m", "corpus.cli", "crawl", "--scrapyd", ",".join(fleet.nodes),
         *sample_profiles(sample_sites, tmp_path), "--archive", archive, "--run-id", run, "--wait",
         # a crawl state of its own: the nodes crawled these sites for the other case (a re-crawl skips)
         "--node-data-dir", f"data-{archive_kind}", "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, **S3_ENV, "FSSPEC_S3_ENDPOINT_URL": fleet.s3_endpoint})
    assert result.returncode == 0, result.stdout + result.stderr
    fetched: set[tuple[str, str, str]] = set()
    for site in ("sample-a", "sample-b"):
        fetched |= _responses(_archived(archive, site_run(run, site)))
    assert fetched == expected  # the same URLs with the same statuses, per site
    if archive_kind == "folder":
        assert not list((tmp_path / "shared").glob("incoming/*")), "a run stayed half-arrived"
    # the processing side takes the runs from the archive, whole, and processes them as a local crawl's
    pulled = zhnews("pull", "--archive", archive, "--data-dir", str(tmp_path / "processing"))
    assert pulled.stdout.startswith("pull: 2 run(s)")
    zhnews("process", "--data-dir", str(tmp_path / "processing"), "--workers", "1", "--no-progress")
    kept = [path for path in (tmp_path / "processing" / "docs").rglob("*.parquet")]
    assert {path.parent.name for path in kept} == {site_run(run, "sample-a"), site_run(run, "sample-b")}
    pages = sorted(n for path in kept for n in pq.read_table(path, columns=["pages"])["pages"].to_pylist() if n > 1)
    assert pages == [2, 3], "the paginated articles arrive whole: their pages file travels with the run"
    assert zhnews("pull", "--archive", archive, "--data-dir", str(tmp_path / "processing")).stdout.startswith(
        "pull: 0 run(s)")  # pulled once
    # `zhnews status` lists each node's jobs, and whether their runs arrived
    status = zhnews("status", "--scrapyd", ",".join(fleet.nodes), "--archive", archive).stdout
    ours = [line for line in status.splitlines() if f"{run}." in line]
    assert len(ours) == 2 and all("finished" in line and line.endswith(" archived") for line in ours), status
    assert all(ScrapydNode(url).name in status for url in fleet.nodes)
    elsewhere = zhnews("status", "--scrapyd", ",".join(fleet.nodes), "--archive", str(tmp_path / "empty")).stdout
    assert all(line.endswith("NOT archived") for line in elsewhere.splitlines() if f"{run}." in line)
    # each site was crawled on the node the assignment gives it, and only there
    placed = assign(["sample-a", "sample-b"], [ScrapydNode(url).name for url in fleet.nodes])
    for url, folder in zip(fleet.nodes, fleet.folders):
        ran = {path.name for path in (folder / f"data-{archive_kind}" / "raw").glob(f"{run}.*")}
        assert ran == {site_run(run, site) for site, node in placed.items() if node == ScrapydNode(url).name}


def test_the_egg_is_deployed_once_per_version(fleet: Fleet):
    version, egg = build_egg()
    assert build_egg() == (version, egg)  # the same code, the same egg: the version is its content
    node = ScrapydNode(fleet.nodes[0])
    node.deploy(version, egg)  # a crawl may have deployed it already
    assert version in node.versions()
    assert node.deploy(version, egg) is False


def test_fleet_servers_listen_on_loopback_only(fleet: Fleet):
    addresses = listening_addresses(marked_processes(fleet.marker))
    assert len(addresses) >= 1 and all(is_loopback(address) for address in addresses), addresses


def test_adding_or_removing_a_node_moves_only_the_sites_it_must():
    sites = [f"site{i}" for i in range(300)]
    nodes = [f"http://10.0.0.{i}:6800" for i in range(4)]
    before = assign(sites, nodes)
    assert len(set(before.values())) == 4 and max(list(before.values()).count(n) for n in nodes) < 110
    grown = assign(sites, [*nodes, "http://10.0.0.9:6800"])
    moved = {site for site in sites if grown[site] != before[site]}
    assert moved and all(grown[site] == "http://10.0.0.9:6800" for site in moved)
    assert len(moved) < 100  # about a fifth
    shrunk = assign(sites, nodes[1:])
    assert {site for site in sites if shrunk[site] != before[site]} == {s for s in sites if before[s] == nodes[0]}


def test_an_archive_takes_runs_of_one_site_only(sample_sites: SampleSites, tmp_path: Path):
    """A run arrives in the archive whole, once: two sites crawled into one run would each claim it."""
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "crawl", *sample_profiles(sample_sites, tmp_path),
                             "--data-dir", str(tmp_path / "data"), "--set", f"ZHNEWS_ARCHIVE_URL={tmp_path / 'shared'}",
                             "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "archives runs of one site" in result.stderr
    assert not (tmp_path / "shared").exists() and not (tmp_path / "data" / "raw").exists()  # refused before it began


def test_a_site_whose_crawl_fails_on_a_node_fails_the_fleet_crawl(fleet: Fleet, sample_sites: SampleSites,
                                                                   tmp_path: Path):
    """A job Scrapyd runs wrote no crawl report: a site whose crawl failed (its server down) arrived as a
    whole run and `--wait` exited 0, while the same sites crawled here fail with exit 1. Each archived
    run now holds its site's report, and `--wait` reads it."""
    from test_hostile import profile

    down = profile(type("Down", (), {"base_url": f"http://127.0.0.1:{free_port()}"})(), tmp_path / "down",
                   name="down")
    archive, run = str(tmp_path / "shared"), "fleet-down"
    result = subprocess.run(
        [sys.executable, "-m", "corpus.cli", "crawl", "--scrapyd", ",".join(fleet.nodes),
         *sample_profiles(sample_sites, tmp_path)[:2], "--site", str(down), "--archive", archive, "--run-id", run,
         "--wait", "--node-data-dir", "data-down", "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = {line.split(":")[0].strip(): line for line in result.stdout.splitlines() if f"{run}." in line}
    assert "FAILED (unreachable)" in lines[site_run(run, "down")], result.stdout
    assert "FAILED" not in lines[site_run(run, "sample-a")], result.stdout
    zhnews("pull", "--archive", archive, "--data-dir", str(tmp_path / "processing"))
    report = (tmp_path / "processing" / "raw" / site_run(run, "sample-a") / "crawl.json").read_text(encoding="utf-8")
    assert '"outcome": "ok"' in report and '"articles": 44' in report, report


def test_status_of_a_node_nothing_was_deployed_to_is_an_empty_node(tmp_path: Path):
    """Scrapyd answers "project 'zhnews' not found" to listjobs before the first deploy: `status` called
    such a node unreachable and exited 1, though it answered."""
    process, url = _start_scrapyd(tmp_path, dict(os.environ))
    try:
        _wait_http(f"{url}/daemonstatus.json")
        result = subprocess.run([sys.executable, "-m", "corpus.cli", "status", "--scrapyd", url], cwd=REPO,
                                capture_output=True, text=True, timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{ScrapydNode(url).name}: 0 pending, 0 running, 0 finished", result.stdout
