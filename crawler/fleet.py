"""A crawl fleet on Scrapyd: the project as an egg, one job per site, each site on a node of its own.

- **Deploy.** The egg holds the crawl's two packages (with the bundled site profiles) and the entry point
  Scrapyd reads the settings module from. It is built here with `zipfile`, byte for byte the same for
  the same code, so its version is a hash of its content: a node is deployed to only when it lacks
  that version (`addversion.json`), and every job names it (`_version`).
- **Assign.** Each site goes to the node that scores highest for it (rendezvous hashing). Adding a
  node moves only the sites the new node now wins (about 1/n of them); removing one moves only its
  own sites. A moved site's crawl state stays on its old node, so its first crawl on the new one
  fetches every article again, once (not incremental), unless the fleet shares one state store.
- **Schedule.** One job per site (`schedule.json`): the spider's arguments are the profile and its
  variables; the settings name the job's run (`<run>.<site>`: one crawl process per run, so runs
  never mix writers), the node's data folder and the shared archive (`ZHNEWS_ARCHIVE_URL`).
- **Status.** `listjobs.json` of each node; our job ids are the runs they write.

The Scrapyd API is plain HTTP with JSON answers; a node URL may carry `user:password@` (Scrapyd's
basic auth), which is sent as a header and never printed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.crawl_report import CrawlReport, SiteOutcome
from corpus.layout import archive_run
from crawler.urls import http_url_problem

PROJECT = "zhnews"
SPIDER = "news"
PACKAGES = ("crawler", "corpus")  # what a crawl imports; processing code changes no crawl
_PACKAGE_SUFFIXES = (".py", ".yaml")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed: the same code gives the same egg, hence the same version


class FleetError(RuntimeError):
    """A Scrapyd node refused or could not be reached: the message names the node and why."""


class ProjectNotDeployed(FleetError):
    """The node answered, but has never been given this project (Scrapyd says so by message only)."""


def build_egg() -> tuple[str, bytes]:
    """(version, egg bytes) of the code this process runs."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(path for package in PACKAGES for path in (root / package).rglob("*")
                   if path.suffix in _PACKAGE_SUFFIXES and "__pycache__" not in path.parts)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    version = f"r{digest.hexdigest()[:12]}"
    metadata = {
        "EGG-INFO/PKG-INFO": f"Metadata-Version: 2.1\nName: {PROJECT}\nVersion: {version}\n",
        "EGG-INFO/entry_points.txt": "[scrapy]\nsettings = crawler.settings\n",
        "EGG-INFO/top_level.txt": "\n".join(PACKAGES) + "\n",
        "EGG-INFO/zip-safe": "\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as egg:
        for name, text in metadata.items():
            egg.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text)
        for path in files:
            egg.writestr(zipfile.ZipInfo(path.relative_to(root).as_posix(), _ZIP_TIME), path.read_bytes())
    return version, buffer.getvalue()


def assign(sites: list[str], nodes: list[str]) -> dict[str, str]:
    """site → node: the node with the highest score for the site (stable as the fleet changes)."""
    if not nodes:
        raise ValueError("a fleet needs at least one Scrapyd node")

    def score(node: str, site: str) -> bytes:
        return hashlib.blake2b(f"{node}\n{site}".encode(), digest_size=8).digest()

    return {site: max(nodes, key=lambda node: score(node, site)) for site in sites}


@dataclass(frozen=True)
class ScrapydNode:
    """One Scrapyd server, by URL (`http[s]://[user:password@]host[:port][/path]`)."""

    url: str = field(repr=False)  # it may hold a password

    @property
    def name(self) -> str:
        """The URL without credentials (and with its port): how the node is shown, what sites are
        assigned by, and where requests go."""
        parts = urllib.parse.urlsplit(self.url)
        host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
        port = parts.port or {"https": 443}.get(parts.scheme, 80)
        return f"{parts.scheme}://{host}:{port}{parts.path.rstrip('/')}"

    def _request(self, endpoint: str, fields: list[tuple[str, str]] | None = None,
                 files: dict[str, bytes] | None = None, timeout: float = 60) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(self.url)
        headers = {}
        if parts.username:
            secret = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
        url = f"{self.name}/{endpoint}"
        data = None
        if files:
            data, headers["Content-Type"] = _multipart(fields or [], files)
        elif fields is not None:
            data = urllib.parse.urlencode(fields).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise FleetError(f"Scrapyd node {self.name}: {endpoint} failed: {error}") from None
        if answer.get("status") != "ok":
            message = answer.get("message") or answer
            error = ProjectNotDeployed if message == f"project '{PROJECT}' not found" else FleetError
            raise error(f"Scrapyd node {self.name}: {endpoint} answered {message}")
        return answer

    def versions(self) -> list[str]:
        return self._request(f"listversions.json?project={PROJECT}")["versions"]

    def deploy(self, version: str, egg: bytes) -> bool:
        """Add the egg unless the node has this version already; True if it was added."""
        if version in self.versions():
            return False
        self._request("addversion.json", [("project", PROJECT), ("version", version)], {"egg": egg})
        return True

    def schedule(self, job: str, version: str, arguments: dict[str, str], settings: dict[str, str]) -> str:
        fields = [("project", PROJECT), ("spider", SPIDER), ("jobid", job), ("_version", version),
                  *arguments.items(), *(("setting", f"{name}={value}") for name, value in settings.items())]
        return self._request("schedule.json", fields)["jobid"]

    def jobs(self) -> dict[str, list[dict[str, Any]]]:
        """"pending", "running" and "finished" → the node's jobs of this project."""
        try:
            answer = self._request(f"listjobs.json?project={PROJECT}")
        except ProjectNotDeployed:  # nothing deployed there yet, so no jobs
            answer = {}
        return {state: answer.get(state, []) for state in ("pending", "running", "finished")}


def nodes_from(urls: str) -> list[ScrapydNode]:
    """The nodes of a `--scrapyd URL[,URL...]` option; ValueError, naming no password, for a URL that is
    not a node's, or none at all."""
    nodes = []
    for url in (url.strip() for url in urls.split(",")):
        if not url:
            continue
        if http_url_problem(url):  # shown from its last "@" on: what a password may hold stays unsaid
            raise ValueError(f"{url.rpartition('@')[2]!r} is no Scrapyd URL: http(s)://[user:password@]host[:port] "
                             "(a password's / ? # @ written %2F %3F %23 %40)")
        nodes.append(ScrapydNode(url))
    if not nodes:
        raise ValueError("a fleet needs at least one Scrapyd node URL")
    return nodes


def _multipart(fields: list[tuple[str, str]], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "zhnews" + hashlib.sha256(b"".join(files.values())).hexdigest()[:24]
    body = io.BytesIO()
    for name, value in fields:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.egg"\r\n'
                   "Content-Type: application/octet-stream\r\n\r\n".encode())
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass(frozen=True)
class FleetJob:
    site: str
    node: str  # its name
    run: str  # the run the job writes, also its Scrapyd job id


def site_run(run: str, site: str) -> str:
    """The run one site's job writes; a site name never holds a dot (crawler/profile.py)."""
    return f"{run}.{site}"


def site_of(job_run: str) -> str | None:
    """The site a fleet job's run crawls (None for another kind of job)."""
    run, dot, site = job_run.rpartition(".")
    return site if dot and run else None


def schedule_fleet(nodes: list[ScrapydNode], sites: dict[str, dict[str, str]], run: str,
                   settings: dict[str, str], on_scheduled: Callable[[FleetJob], None] = lambda job: None,
                   ) -> tuple[list[FleetJob], list[str]]:
    """Deploy where needed, then one job per site: `sites` maps a site's name to its spider arguments
    (`profile` and its variables); `on_scheduled` hears of each job as it is scheduled (a node that
    fails later must not hide the jobs already running). Returns the jobs and the nodes deployed to."""
    archive = settings["ZHNEWS_ARCHIVE_URL"]
    if taken := [site for site in sorted(sites) if in_archive(archive, site_run(run, site))]:
        raise FleetError(f"run {run} is in {archive} already for {', '.join(taken)}: runs are written once")
    version, egg = build_egg()
    by_name = {node.name: node for node in nodes}
    deployed = [node.name for node in nodes if node.deploy(version, egg)]
    jobs = []
    for site, node_name in sorted(assign(sorted(sites), sorted(by_name)).items()):
        job_run = site_run(run, site)
        by_name[node_name].schedule(job_run, version, sites[site], {**settings, "ZHNEWS_RUN_ID": job_run})
        jobs.append(FleetJob(site, node_name, job_run))
        on_scheduled(jobs[-1])
    return jobs, deployed


def in_archive(archive_url: str, run: str) -> bool:
    """Whether the archive has anything of the run, whole or arriving."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(archive_url)
    return fs.exists(archive_run(root, run)) or fs.exists(archive_run(root, run, arriving=True))


def arrived(archive_url: str, run: str, site: str) -> bool:
    """Whether the run is whole in the shared archive (its site profile is copied last)."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(archive_url)
    return fs.exists(f"{archive_run(root, run)}/sites/{site}.json")


def archived_outcome(archive_url: str, run: str, site: str) -> SiteOutcome | None:
    """How the site's crawl ended, as the node wrote it into the archived run (None: no report)."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(archive_url)
    path = f"{archive_run(root, run)}/crawl.json"
    if not fs.exists(path):
        return None
    return CrawlReport.from_json(fs.cat_file(path).decode("utf-8")).sites.get(site)


def job_states(nodes: list[ScrapydNode]) -> dict[str, dict[str, str]]:
    """node name → job id → pending, running or finished (a job id listed twice, an old finished job
    and a new one, is as live as its live entry)."""
    states: dict[str, dict[str, str]] = {}
    for node in nodes:
        listed = node.jobs()
        states[node.name] = {job["id"]: state for state in ("finished", "running", "pending") for job in listed[state]}
    return states


def wait_for(nodes: list[ScrapydNode], jobs: list[FleetJob], poll_seconds: float = 1.0,
             failed_polls: int = 30) -> dict[str, str]:
    """Poll until no job is pending or running; job run → its last state. A job its node no longer
    lists ("lost": Scrapyd was restarted, which forgets its queue) is not waited for; a node that does
    not answer `failed_polls` times in a row ends the wait with its error."""
    failures = 0
    while True:
        try:
            states = job_states(nodes)
        except FleetError:
            failures += 1
            if failures >= failed_polls:
                raise
            time.sleep(poll_seconds)
            continue
        failures = 0
        last = {job.run: states.get(job.node, {}).get(job.run, "lost") for job in jobs}
        if not any(state in ("pending", "running") for state in last.values()):
            return last
        time.sleep(poll_seconds)
