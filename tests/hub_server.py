"""A test fixture: a small Hugging Face Hub on 127.0.0.1, speaking the part of the Hub HTTP API that the
stock `huggingface_hub` and `datasets` clients call to create a dataset repo, commit to it (inline and
LFS files) and read it back (tree, paths-info, revision, commits, resolve with Range), and to list and
permanently delete a repo's LFS files, with or without rewriting its history.

It keeps what it receives on disk (`root/objects/<sha256>`, shared by the repos of one server), one
snapshot per commit, and a request log the tests read. Listings (LFS files, commits) come a few items a
page, as the Hub pages them (a `Link: <…>; rel="next"` header), so every client read spans pages. Two
faults on demand: `fail(kind, times)` answers the next requests of a kind with 503, and
`stall_uploads()` holds every LFS upload until released, so a client can be killed mid-upload. The
clients must run with `HF_HUB_DISABLE_XET=1` (no xet CAS here). This is not a Hub: no auth, no pull
requests, datasets only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from serving import served

LFS_SUFFIXES = (".parquet", ".png", ".arrow")  # what preupload sends to LFS, as the Hub does for binaries
PAGE_SIZE = 3  # items per page of a listing: small, so that a client that reads only the first page is caught


@dataclass
class Blob:
    sha256: str
    size: int
    lfs: bool
    git_oid: str  # the git blob id: of the content, or of the LFS pointer file for an LFS file


def _git_oid(data: bytes) -> str:
    return hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()


def _lfs_blob(sha256: str, size: int) -> Blob:
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()
    return Blob(sha256, size, True, _git_oid(pointer))


def _commit_sha(parent: str, summary: str, files: dict[str, Blob]) -> str:
    return hashlib.sha1(f"{parent}{summary}{sorted((p, b.sha256) for p, b in files.items())}".encode()).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


@dataclass
class Repo:
    private: bool
    commits: list[tuple[str, str, dict[str, Blob]]] = field(default_factory=list)  # (sha, summary, files)
    pushed: dict[str, tuple[int, str]] = field(default_factory=dict)  # each LFS object sent: sha256 → size, when

    def snapshot(self, revision: str) -> tuple[str, dict[str, Blob]] | None:
        for sha, _, files in reversed(self.commits):
            if revision in ("main", sha):
                return sha, files
        return None

    def first_name(self, sha256: str) -> str | None:
        """The path of the oldest commit's file with this LFS object: the Hub's "possible filename"."""
        return next((path for _, _, files in self.commits for path, blob in sorted(files.items())
                     if blob.lfs and blob.sha256 == sha256), None)

    def rewrite_without(self, doomed: set[str]) -> None:
        """Every commit again without the files whose LFS object is in `doomed`: the commits from the
        first that held one get new ids (a parent's id is part of its child's), the earlier keep theirs."""
        rewritten, parent = [], ""
        for _, summary, files in self.commits:
            kept = {path: blob for path, blob in files.items() if not (blob.lfs and blob.sha256 in doomed)}
            parent = _commit_sha(parent, summary, kept)
            rewritten.append((parent, summary, kept))
        self.commits = rewritten


class HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.objects = root / "objects"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.endpoint = f"http://127.0.0.1:{self.server_address[1]}"
        self.repos: dict[str, Repo] = {}
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, int]] = []
        self.failures: Counter[str] = Counter()
        self.failure_answer: dict[str, tuple[int, dict[str, str]]] = {}
        self.release = threading.Event()
        self.release.set()

    # --- faults and inspection, for the tests -------------------------------------------------------
    def fail(self, kind: str, times: int, status: int = 503, retry_after: int | None = None) -> None:
        """Answer the next `times` requests of `kind` ("tree": reading the files, "commit", "preupload",
        "upload", "purge": a permanent deletion of LFS files) with `status` (503; or 429, rate limited,
        with a Retry-After of `retry_after` seconds)."""
        self.failures[kind] = times
        self.failure_answer[kind] = (status, {"Retry-After": str(retry_after)} if retry_after is not None else {})

    def stall_uploads(self) -> None:
        self.release.clear()

    def release_uploads(self) -> None:
        self.release.set()

    def files(self, repo_id: str) -> dict[str, bytes]:
        """The repo's files at main, with their contents."""
        snapshot = self.repos[repo_id].snapshot("main")
        assert snapshot is not None
        return {path: self.read(blob) for path, blob in snapshot[1].items()}

    def uploads(self) -> list[str]:
        """The sha256 of every LFS upload the server accepted, in order."""
        return [path.rsplit("/", 1)[1] for method, path, status in self.log
                if method == "PUT" and path.startswith("/lfs-upload/") and status == 200]

    def read(self, blob: Blob) -> bytes:
        return (self.objects / blob.sha256).read_bytes()

    def store(self, data: bytes, lfs: bool) -> Blob:
        digest = hashlib.sha256(data).hexdigest()
        target = self.objects / digest
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
        return _lfs_blob(digest, len(data)) if lfs else Blob(digest, len(data), False, _git_oid(data))

    def commit(self, repo: Repo, summary: str, files: dict[str, Blob]) -> str:
        sha = _commit_sha(repo.commits[-1][0] if repo.commits else "", summary, files)
        repo.commits.append((sha, summary, files))
        for blob in files.values():
            if blob.lfs:
                repo.pushed.setdefault(blob.sha256, (blob.size, _now()))
        return sha

    def delete_lfs(self, repo: Repo, doomed: set[str], rewrite_history: bool) -> None:
        """Delete these LFS objects for good: no revision serves them again. Rewriting the history also
        drops the files that pointed to them from every commit; without it, those files stay listed
        and fail to download."""
        for sha256 in doomed & set(repo.pushed):
            (self.objects / sha256).unlink(missing_ok=True)
            del repo.pushed[sha256]
        if rewrite_history:
            repo.rewrite_without(doomed)


@contextmanager
def serve_test_hub(root: Path) -> Iterator[HubServer]:
    with served(HubServer(root), "test-hub") as hub:
        try:
            yield hub
        finally:
            hub.release_uploads()  # before the shutdown: no upload handler stays parked


_API = re.compile(r"^/api/datasets/(?P<repo>[^/]+/[^/]+)"
                  r"(?:/(?P<action>revision|tree|paths-info|preupload|commit|commits)/(?P<rev>[^/]+)(?:/(?P<path>.*))?)?$")
_LFS_FILES = re.compile(r"^/api/datasets/(?P<repo>[^/]+/[^/]+)/lfs-files(?P<batch>/batch)?$")
_RESOLVE = re.compile(r"^/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")
_BATCH = re.compile(r"^/datasets/(?P<repo>[^/]+/[^/]+)\.git/info/lfs/objects/batch$")


class _Handler(BaseHTTPRequestHandler):
    server: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read `server.log`."""

    # --- plumbing -------------------------------------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Any = None, headers: dict[str, str] | None = None,
              raw: bytes | None = None, head: bool = False) -> None:
        data = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if raw is None else "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)
        with self.server.lock:
            self.server.log.append((self.command, urlsplit(self.path).path, status))

    def _missing(self, code: str = "EntryNotFound", head: bool = False) -> None:
        self._send(404, {"error": code}, {"X-Error-Code": code}, head=head)

    def _failing(self, kind: str) -> bool:
        with self.server.lock:
            if self.server.failures[kind] > 0:
                self.server.failures[kind] -= 1
                return True
        return False

    def _send_failure(self, kind: str) -> None:
        status, headers = self.server.failure_answer.get(kind, (503, {}))
        self._send(status, {"error": "try again"}, headers)

    def _repo(self, repo_id: str) -> Repo | None:
        return self.server.repos.get(unquote(repo_id))

    def _page(self, items: list[Any], head: bool) -> None:
        """One page of a listing, from the `cursor` the previous page's Link header named."""
        url = urlsplit(self.path)
        start = int(parse_qs(url.query).get("cursor", ["0"])[0])
        end = start + PAGE_SIZE
        headers = {"Link": f'<{self.server.endpoint}{url.path}?cursor={end}>; rel="next"'} if end < len(items) else {}
        self._send(200, items[start:end], headers, head=head)

    # --- verbs ----------------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_GET(self) -> None:
        self._get(head=False)

    def _get(self, head: bool) -> None:
        url = urlsplit(self.path)
        if match := _RESOLVE.match(url.path):
            return self._resolve(match, head)
        if (match := _LFS_FILES.match(url.path)) and not match["batch"]:
            repo = self._repo(match["repo"])
            return self._missing("RepoNotFound", head) if repo is None else self._page(_lfs_files(repo), head)
        match = _API.match(url.path)
        if not match or match["action"] not in (None, "revision", "tree", "commits"):
            return self._missing("NotFound", head)
        if match["action"] == "tree" and self._failing("tree"):
            return self._send_failure("tree")
        repo = self._repo(match["repo"])
        if repo is None:
            return self._missing("RepoNotFound", head)
        snapshot = repo.snapshot(unquote(match["rev"] or "main"))
        if snapshot is None:
            return self._missing("RevisionNotFound", head)
        sha, files = snapshot
        if match["action"] == "commits":
            return self._page(_commits(repo, sha), head)
        if match["action"] == "tree":
            recursive = parse_qs(url.query).get("recursive", ["false"])[0].lower() == "true"
            entries = self._tree(files, unquote(match["path"] or "").strip("/"), recursive)
            return self._missing() if entries is None else self._send(200, entries, head=head)
        self._send(200, {"id": unquote(match["repo"]), "sha": sha, "private": repo.private, "disabled": False,
                         "siblings": [{"rfilename": path} for path in sorted(files)], "tags": [],
                         "lastModified": "2026-12-01T00:00:00.000Z"}, head=head)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path == "/api/repos/create":
            return self._create(json.loads(body))
        if url.path == "/api/validate-yaml":
            return self._send(200, {"errors": [], "warnings": []})
        if match := _BATCH.match(url.path):
            return self._batch(self._repo(match["repo"]), json.loads(body))
        if (match := _LFS_FILES.match(url.path)) and match["batch"]:
            return self._delete_lfs(self._repo(match["repo"]), json.loads(body))
        if url.path.startswith("/lfs-verify/"):
            oid = url.path.rsplit("/", 1)[1]
            return self._send(200 if (self.server.objects / oid).exists() else 404, {})
        match = _API.match(url.path)
        repo = self._repo(match["repo"]) if match else None
        if not match or repo is None:
            return self._missing("RepoNotFound")
        if match["action"] == "preupload":
            if self._failing("preupload"):
                return self._send_failure("preupload")
            files = json.loads(body)["files"]
            return self._send(200, {"files": [
                {"path": f["path"], "uploadMode": "lfs" if f["path"].endswith(LFS_SUFFIXES) else "regular",
                 "shouldIgnore": False, "oid": None} for f in files]})
        if match["action"] == "commit":
            if self._failing("commit"):
                return self._send_failure("commit")
            return self._commit(repo, unquote(match["repo"]), body)
        if match["action"] == "paths-info":
            snapshot = repo.snapshot(unquote(match["rev"]))
            if snapshot is None:
                return self._missing("RevisionNotFound")
            wanted = _paths_of(body, self.headers.get("Content-Type", ""))
            entries = []
            for path in wanted:
                if path in snapshot[1]:
                    entries.append(_file_entry(path, snapshot[1][path]))
                elif any(p.startswith(path.rstrip("/") + "/") for p in snapshot[1]):
                    entries.append({"type": "directory", "oid": "0" * 40, "path": path})
            return self._send(200, entries)
        self._missing("NotFound")

    def do_PUT(self) -> None:
        url = urlsplit(self.path)
        if not url.path.startswith("/lfs-upload/"):
            return self._missing("NotFound")
        if self._failing("upload"):
            self._body()
            return self._send_failure("upload")
        self.server.release.wait()  # a stalled upload: the client can be killed here
        data = self._body()
        oid = url.path.rsplit("/", 1)[1]
        if hashlib.sha256(data).hexdigest() != oid:
            return self._send(400, {"error": "sha256 mismatch"})
        self.server.store(data, lfs=True)
        self._send(200, {})

    # --- handlers -------------------------------------------------------------------------------------
    def _create(self, request: dict[str, Any]) -> None:
        repo_id = f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
        url = f"{self.server.endpoint}/datasets/{repo_id}"
        with self.server.lock:
            if repo_id in self.server.repos:
                return self._send(409, {"error": "You already created this dataset repo", "url": url})
            repo = Repo(private=bool(request.get("private")) or request.get("visibility") == "private")
            gitattributes = self.server.store(b"*.parquet filter=lfs diff=lfs merge=lfs -text\n", lfs=False)
            self.server.commit(repo, "initial commit", {".gitattributes": gitattributes})
            self.server.repos[repo_id] = repo
        self._send(200, {"url": url, "name": repo_id})

    def _batch(self, repo: Repo | None, request: dict[str, Any]) -> None:
        if repo is None:
            return self._missing("RepoNotFound")
        objects = []
        for item in request["objects"]:
            if request.get("operation", "upload") == "upload":
                with self.server.lock:  # the Hub lists what was sent to a repo, committed or not
                    repo.pushed.setdefault(item["oid"], (item["size"], _now()))
            entry = {"oid": item["oid"], "size": item["size"], "authenticated": True}
            if not (self.server.objects / item["oid"]).exists():
                entry["actions"] = {"upload": {"href": f"{self.server.endpoint}/lfs-upload/{item['oid']}"},
                                    "verify": {"href": f"{self.server.endpoint}/lfs-verify/{item['oid']}"}}
            objects.append(entry)
        self._send(200, {"transfer": "basic", "objects": objects}, {"Content-Type": "application/vnd.git-lfs+json"})

    def _delete_lfs(self, repo: Repo | None, request: dict[str, Any]) -> None:
        if repo is None:
            return self._missing("RepoNotFound")
        if self._failing("purge"):
            return self._send_failure("purge")
        deletions = request["deletions"]
        with self.server.lock:
            self.server.delete_lfs(repo, set(deletions["sha"]), bool(deletions.get("rewriteHistory")))
        self._send(200, None)

    def _commit(self, repo: Repo, repo_id: str, body: bytes) -> None:
        with self.server.lock:
            files = dict(repo.commits[-1][2])
            summary = ""
            for line in body.decode().splitlines():
                item = json.loads(line)
                key, value = item["key"], item["value"]
                if key == "header":
                    summary = value.get("summary", "")
                elif key == "file":
                    files[value["path"]] = self.server.store(base64.b64decode(value["content"]), lfs=False)
                elif key == "lfsFile":
                    if not (self.server.objects / value["oid"]).exists():
                        return self._send(400, {"error": f"LFS object {value['oid']} was never uploaded"})
                    files[value["path"]] = _lfs_blob(value["oid"], value["size"])
                elif key == "deletedFile":
                    files.pop(value["path"], None)
                elif key == "deletedFolder":
                    prefix = value["path"].rstrip("/") + "/"
                    files = {p: b for p, b in files.items() if not p.startswith(prefix)}
            sha = self.server.commit(repo, summary, files)
        self._send(200, {"commitUrl": f"{self.server.endpoint}/datasets/{repo_id}/commit/{sha}", "commitOid": sha,
                         "success": True, "pullRequestUrl": None})

    def _tree(self, files: dict[str, Blob], prefix: str, recursive: bool) -> list[dict[str, Any]] | None:
        base = prefix + "/" if prefix else ""
        entries: dict[str, dict[str, Any]] = {}
        for path, blob in sorted(files.items()):
            if not path.startswith(base):
                continue
            rest = path[len(base):].split("/")
            for depth in range(1, len(rest)):
                directory = base + "/".join(rest[:depth])
                if recursive or depth == 1:
                    entries.setdefault(directory, {"type": "directory", "oid": "0" * 40, "path": directory})
            if recursive or len(rest) == 1:
                entries[path] = _file_entry(path, blob)
        if prefix and not entries:
            return None
        return list(entries.values())

    def _resolve(self, match: re.Match[str], head: bool) -> None:
        repo = self._repo(match["repo"])
        snapshot = repo.snapshot(unquote(match["rev"])) if repo else None
        path = unquote(match["path"])
        if snapshot is None or path not in snapshot[1]:
            return self._missing(head=head)
        sha, files = snapshot
        blob = files[path]
        if not (self.server.objects / blob.sha256).exists():  # deleted for good, its pointer left in place
            return self._missing(head=head)
        data = self.server.read(blob)
        etag = blob.sha256 if blob.lfs else blob.git_oid
        headers = {"X-Repo-Commit": sha, "ETag": f'"{etag}"', "Accept-Ranges": "bytes"}
        if blob.lfs:
            headers.update({"X-Linked-Etag": f'"{blob.sha256}"', "X-Linked-Size": str(blob.size)})
        ranged = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
        if ranged:
            start = int(ranged[1])
            end = min(int(ranged[2]) if ranged[2] else blob.size - 1, blob.size - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
            return self._send(206, raw=data[start:end + 1], headers=headers, head=head)
        self._send(200, raw=data, headers=headers, head=head)


def _file_entry(path: str, blob: Blob) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "file", "oid": blob.git_oid, "size": blob.size, "path": path}
    if blob.lfs:
        entry["lfs"] = {"oid": blob.sha256, "size": blob.size, "pointerSize": 134}
    return entry


def _lfs_files(repo: Repo) -> list[dict[str, Any]]:
    """The Hub's LFS file items (huggingface_hub's LFSFileInfo): `fileOid` is the sha256, `oid` the git id
    of the pointer; an object no commit names (an upload never committed) has no filename."""
    items = []
    for sha256, (size, pushed_at) in sorted(repo.pushed.items(), key=lambda item: item[1][1]):
        item = {"fileOid": sha256, "oid": _lfs_blob(sha256, size).git_oid, "size": size, "pushedAt": pushed_at,
                "ref": "refs/heads/main"}
        if (name := repo.first_name(sha256)) is not None:
            item["filename"] = name
        items.append(item)
    return items


def _commits(repo: Repo, head: str) -> list[dict[str, Any]]:
    """The commits from `head` back to the first, newest first, as the Hub lists them."""
    shas = [sha for sha, _, _ in repo.commits]
    return [{"id": sha, "title": summary, "message": "", "authors": [{"user": "zhnews"}],
             "date": "2026-12-01T00:00:00.000Z"} for sha, summary, _ in reversed(repo.commits[:shas.index(head) + 1])]


def _paths_of(body: bytes, content_type: str) -> list[str]:
    if "json" in content_type:
        return list(json.loads(body).get("paths", []))
    return [unquote(p) for p in parse_qs(body.decode()).get("paths", [])]
