"""Shared fixtures: the sample sites served on 127.0.0.1, and one real crawl → process → dedup → build.

The crawl runs as `python -m corpus.cli crawl` in a subprocess (Scrapy's reactor runs once per
process), exactly as a user runs it; processing and building run in-process.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hub_server import HubServer, serve_test_hub

from cleaning.config import ProcessConfig, load_thresholds
from cleaning.dedup.stage import dedup_runs
from cleaning.run.executor import LocalExecutor
from cleaning.run.run import process_run
from corpus.build import build_dataset
from corpus.layout import DataLayout
from crawler.profile import SITES_DIR
from crawler.sample_site import SampleSites, serve_sample_sites

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_sites() -> SampleSites:
    with serve_sample_sites() as sites:
        yield sites


def sample_profiles(sites: SampleSites, folder: Path) -> list[str]:
    """The bundled sample profiles with this session's ports filled in, as --site arguments."""
    arguments = []
    for key, base_url in (("a", sites.base_url_a), ("b", sites.base_url_b)):
        text = (SITES_DIR / f"sample-{key}.yaml").read_text(encoding="utf-8").replace("${base_url}", base_url)
        path = folder / f"sample-{key}.yaml"
        path.write_text(text, encoding="utf-8")
        arguments += ["--site", str(path)]
    return arguments


def zhnews(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, check=True)


@dataclass
class Crawl:
    data_dir: Path
    run_id: str
    output: str
    requests: dict[str, list[tuple[str, str, int]]]  # site key → the server's request log

    @property
    def raw(self) -> Path:
        return self.data_dir / "raw" / self.run_id


def crawl(sites: SampleSites, data_dir: Path, run_id: str, *extra: str) -> Crawl:
    for server in sites.servers.values():
        server.reset_stats()
    result = zhnews("crawl", *sample_profiles(sites, data_dir.parent), "--data-dir", str(data_dir),
                    "--run-id", run_id, "--no-progress", *extra)
    logs = {key: server.request_log for key, server in sites.servers.items()}
    return Crawl(data_dir, run_id, result.stdout, logs)


@pytest.fixture(scope="session")
def first_crawl(sample_sites: SampleSites, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl(sample_sites, tmp_path_factory.mktemp("pipeline") / "data", "run1")


@pytest.fixture(scope="session")
def processed(first_crawl: Crawl) -> Crawl:
    layout = DataLayout(first_crawl.data_dir)
    executor = LocalExecutor(2)
    try:
        process_run(layout, first_crawl.run_id, ProcessConfig(), executor, progress=False)
    finally:
        executor.close()
    dedup_runs(layout, [first_crawl.run_id], DEDUP, progress=False)
    build_dataset(layout, progress=False)
    return first_crawl


DEDUP = load_thresholds()["dedup"]


def process_dedup_build(layout: DataLayout, run_id: str) -> None:
    """The stages after a crawl, in-process, as `zhnews process`, `dedup` and `build` run them."""
    process_run(layout, run_id, ProcessConfig(), progress=False)
    dedup_runs(layout, [run_id], DEDUP, progress=False)
    build_dataset(layout, progress=False)


@pytest.fixture
def hub(tmp_path: Path) -> HubServer:
    """A test Hub of our own (tests/hub_server.py), serving on 127.0.0.1 for one test."""
    with serve_test_hub(tmp_path / "hub") as server:
        yield server
