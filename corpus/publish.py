"""Publish the dataset folder to the Hugging Face Hub: only what the Hub does not have, in one commit.

Data files (`data/<period>/<run>.parquet`) are immutable: one the Hub has is never uploaded again,
and one the Hub has with other content is an error, not an overwrite. A file the ledger retired (it
was rewritten without revised or withdrawn rows, `corpus/build.py`) is deleted from the Hub in the
commit that adds its replacement; a data file on the Hub the ledger never listed is an error. The
card and the files beside it (changelog, thresholds, figures) go in the same commit whenever they
changed. A commit is all or nothing on the Hub, so a publish killed at any point leaves the Hub as it
was; running the same command again completes it, and LFS objects that reached the Hub before the kill
are not sent again (the Hub's batch answer leaves them out). After the commit, what held withdrawn rows
is purged from the Hub's history (`corpus/hub_history.py`); a publish stopped before that purge is
finished leaves it to the next one. Transient errors (5xx, 429, a dropped
connection) are retried with exponential backoff, within one budget of waiting (`max_wait`): a Hub
that rate-limits with `Retry-After: 3600` would otherwise hold the dataset's lock for hours (the Hub
client waits out every Retry-After itself); past the budget the publish stops as busy (`HubBusy`,
exit 75), saying when to try again, with nothing committed. The commit runs in a child process
(`corpus/child_call.py`): the client uploads on threads of its own, which only killing their process
stops. The token comes from `HF_TOKEN` or the login store,
through `huggingface_hub`; it is never printed or logged here.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

from corpus.child_call import call_in_child
from corpus.deadline import deadline
from corpus.files import exclusive, write_json
from corpus.layout import DatasetLayout
from corpus.ledger import LEGACY_SUPERSEDED, REWRITE_MARK, Ledger, load_ledger

DATA_DIR = "data/"
# folders every build draws anew: a file of ours there that the build no longer writes leaves the Hub too
DRAWN_DIRS = ("clusters/", "sample/", "figures/")
RETRIES = 5
BACKOFF_SECONDS = 2.0
MAX_WAIT_SECONDS = 600.0  # the whole publish, waits included
T = TypeVar("T")


class PublishError(RuntimeError):
    """The Hub holds something that publishing must not overwrite, or refused for good."""


@dataclass
class PublishPlan:
    repo_id: str
    new_data: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the card and the files beside it
    deleted: list[str] = field(default_factory=list)  # retired data files (and a superseded.json of old)
    unchanged: int = 0
    held_withdrawn: set[str] = field(default_factory=set)  # data files that held withdrawn rows (the ledger's)
    kept: set[str] = field(default_factory=set)  # sha256 of the LFS files the head holds after the commit
    purged: list[str] = field(default_factory=list)  # versions purged from the history: "path (sha256…)"

    @property
    def files(self) -> list[str]:
        return self.new_data + self.changed

    @property
    def runs(self) -> list[str]:
        return sorted({Path(path).stem for path in self.new_data if REWRITE_MARK not in path})

    @property
    def message(self) -> str:
        parts = [f"Publish run{'s' if len(self.runs) > 1 else ''} {', '.join(self.runs)}"] if self.runs else []
        rewritten = sum(1 for path in self.deleted if path.startswith(DATA_DIR))
        if rewritten:
            parts.append(f"rewrite {rewritten} file(s) without revised or withdrawn rows")
        return "; ".join(parts) or "Update the dataset card"

    def render(self, dry_run: bool) -> str:
        lines = self._commit_lines(dry_run)
        if self.purged:
            lines.append(f"  {'to be ' if dry_run else ''}purged from the Hub's history: {len(self.purged)} earlier "
                         "version(s) of files that held withdrawn rows (revisions that held them no longer serve them)")
            lines += [f"  x {version}" for version in self.purged]
        return "\n".join(lines)

    def _commit_lines(self, dry_run: bool) -> list[str]:
        verb = "would upload" if dry_run else "uploaded"
        if not self.files and not self.deleted:
            return [f"publish {self.repo_id}: up to date ({self.unchanged} files on the Hub)"]
        lines = [f"publish {self.repo_id}: {verb} {len(self.new_data)} data file(s) and {len(self.changed)} other "
                 f"file(s), deleting {len(self.deleted)}, in one commit: {self.message!r}; {self.unchanged} "
                 "already on the Hub"]
        return lines + [f"  + {path}" for path in self.files] + [f"  - {path}" for path in self.deleted]


def _local_files(dataset: DatasetLayout, ledger: Ledger) -> dict[str, Path]:
    """Every file of the dataset folder a consumer needs (dot files are our own bookkeeping): of the data
    files, those the ledger lists (a killed build may have left others)."""
    return {dataset.relative(path): path for path in sorted(dataset.root.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(dataset.root).parts)
            and (not dataset.relative(path).startswith(DATA_DIR) or dataset.relative(path) in ledger.live)}


class Digests:
    """The sha256 and git blob id of each local file, remembered across publishes by its size and
    modification time (`DatasetLayout.digests`), as rsync trusts them: data files are immutable and
    written by renaming, so after a year of nightly runs a publish reads only the files that are new,
    not every gigabyte already on the Hub."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, dict[str, object]] = {}
        try:
            self.known = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            pass
        except ValueError:  # damaged (by hand?): only a memory, so every file is hashed again
            print(f"publish: {path} is not valid JSON; hashing every file again")
        self.read = 0  # files hashed by this publish

    def of(self, relative: str, path: Path) -> dict[str, object]:
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        known = self.known.get(relative)
        if isinstance(known, dict) and known.get("stamp") == stamp:
            return known
        # the blob id is git's: sha1 of "blob <size>\0" and the content
        sha256, blob = hashlib.sha256(), hashlib.sha1(f"blob {stat.st_size}\0".encode())
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                sha256.update(chunk)
                blob.update(chunk)
        self.known[relative] = {"stamp": stamp, "sha256": sha256.hexdigest(), "blob_id": blob.hexdigest()}
        self.read += 1
        return self.known[relative]

    def save(self) -> None:
        if self.read:
            write_json(self.path, self.known)


def _same(remote: object, digest: dict[str, object]) -> bool:
    """Does the Hub's tree entry hold this content? (LFS files by sha256, others by git id)"""
    lfs = getattr(remote, "lfs", None)
    if lfs is not None:
        return lfs.sha256 == digest["sha256"]
    return getattr(remote, "blob_id", None) == digest["blob_id"]


def plan_publish(remote: dict[str, object], dataset: DatasetLayout, repo_id: str) -> PublishPlan:
    """What to upload, given the Hub's files (path → tree entry)."""
    plan = PublishPlan(repo_id)
    ledger = load_ledger(dataset)
    local = _local_files(dataset, ledger)
    for relative in sorted(remote):
        if relative in ledger.retired or (relative not in local and (
                relative == LEGACY_SUPERSEDED or relative.startswith(DRAWN_DIRS))):
            plan.deleted.append(relative)
        elif relative.startswith(DATA_DIR) and relative not in ledger.live:
            raise PublishError(f"{repo_id} holds {relative}, a data file this dataset never had (was this folder "
                               "rebuilt? publish it to a new repo); nothing was published")
    digests = Digests(dataset.digests)
    plan.held_withdrawn = ledger.held_withdrawn
    # the head after the commit: the local files, and the Hub's files the commit neither deletes nor replaces
    plan.kept = {entry.lfs.sha256 for relative, entry in remote.items()  # type: ignore[attr-defined]
                 if relative not in plan.deleted and relative not in local and getattr(entry, "lfs", None) is not None}
    for relative, path in local.items():
        digest = digests.of(relative, path)  # a new file too: the next publish need not read it
        plan.kept.add(str(digest["sha256"]))
        if relative in remote and _same(remote[relative], digest):
            plan.unchanged += 1
        elif relative.startswith(DATA_DIR) and relative in remote:
            raise PublishError(f"{repo_id} holds {relative} with other content than {path}: published data files "
                               "are never overwritten (was this folder rebuilt? publish it to a new repo)")
        elif relative.startswith(DATA_DIR):
            plan.new_data.append(relative)
        else:
            plan.changed.append(relative)
    digests.save()
    return plan


def check_card(dataset: DatasetLayout, repo_id: str) -> None:
    """PublishError unless the card was drawn from the dataset's ledger (a build or withdrawal killed
    between the two leaves them apart) and for `repo_id`: its loading examples name the repo of
    dataset.yaml, or the local folder without one, and a consumer copies them as they are."""
    drawn = json.loads(dataset.card_inputs.read_text("utf-8")) if dataset.card_inputs.exists() else {}
    if drawn.get("ledger_entries") != len(load_ledger(dataset).entries):
        raise PublishError(f"the card in {dataset.root} was not drawn from its ledger (a build or withdrawal was "
                           "interrupted, or it was built by an older zhnews): run `zhnews build`, then publish")
    if drawn.get("repo_id") != repo_id:
        named = drawn.get("repo_id") or f"the local folder {dataset.root}"
        raise PublishError(f"the card's loading examples name {named}, not {repo_id}: set `repo_id: {repo_id}` in "
                           "the data folder's dataset.yaml and run `zhnews build` (it redraws the card), then publish")


def _transient(error: Exception) -> bool:
    from huggingface_hub.errors import HfHubHTTPError

    if isinstance(error, HfHubHTTPError):
        status = error.response.status_code if error.response is not None else None
        return status is None or status >= 500 or status == 429
    return isinstance(error, (OSError, *transport_errors()))  # connection reset or refused, timeouts


@cache
def transport_errors() -> tuple[type[Exception], ...]:
    """The Hub client's connection-level errors (refused, reset, timed out): its HTTP library's own
    classes, which are not OSErrors, whichever of httpx and httpx2 this huggingface_hub uses."""
    found = []
    for library in ("httpx2", "httpx"):
        with suppress(ImportError):
            found.append(importlib.import_module(library).TransportError)
    return tuple(found)


class HubBusy(Exception):
    """The Hub asked us to wait longer than the publish may: try again later (exit 75), at `retry_at`
    (a time.time()) when the Hub said when; `committed` when it happened after the commit (in the purge)."""

    def __init__(self, message: str, retry_at: float | None = None, committed: bool = False) -> None:
        super().__init__(message)
        self.retry_at = retry_at
        self.committed = committed

    def __reduce__(self) -> tuple[type[HubBusy], tuple[str, float | None, bool]]:  # it crosses processes whole
        return HubBusy, (str(self), self.retry_at, self.committed)


def _retry_after(error: Exception) -> float | None:
    from huggingface_hub.errors import HfHubHTTPError

    if isinstance(error, HfHubHTTPError) and error.response is not None:
        value = error.response.headers.get("Retry-After", "")
        return float(value) if value.isdigit() else None
    return None


class HubUnreachable(Exception):
    """The Hub never answered within the publish's time: its endpoint is down or wrong (a failure to
    report, not a busy Hub to wait for). Not an OSError: the HTTP library would take one raised mid-connect
    for its own connection error, and retry it."""


def _budget(seconds: float, answered: Callable[[], bool]) -> AbstractContextManager[None]:
    """Stop after `seconds`: the Hub client sleeps out a Retry-After, and retries a refused connection,
    on its own, out of our hands otherwise. HubBusy once the Hub has answered (it is there, and keeps us
    waiting); HubUnreachable while it never has."""
    def stop() -> Exception:
        if answered():
            return HubBusy(f"the Hub kept us waiting (rate-limited or unavailable) past --max-wait {seconds:.0f}s")
        return HubUnreachable(f"no answer from the Hub within --max-wait {seconds:.0f}s (is HF_ENDPOINT right, "
                              "and the network up?)")

    return deadline(seconds, stop)


def with_retries(call: Callable[[], T], what: str, retries: int = RETRIES, backoff: float = BACKOFF_SECONDS,
                 deadline: float | None = None) -> T:
    """`call()`, retried on transient errors with exponential backoff; the last error is raised. A wait
    the Hub asks for (Retry-After) that would end past `deadline` (a monotonic time) is HubBusy now."""
    for attempt in range(retries + 1):
        try:
            return call()
        except Exception as error:  # sorted out by _transient: anything else is raised at once
            asked = _retry_after(error)
            if asked is not None and deadline is not None and time.monotonic() + asked > deadline:
                raise HubBusy(f"the Hub rate-limits this repository (Retry-After {asked:.0f}s)",
                              time.time() + asked) from None
            if attempt == retries or not _transient(error):
                raise
            delay = max(backoff * 2**attempt, asked or 0)
            print(f"publish: {what} failed ({type(error).__name__}), retrying in {delay:.0f}s")
            time.sleep(delay)
    raise AssertionError("unreachable")


def _knock(api: object) -> None:
    """One request the Hub client does not retry: any answer, an error status or a rate limit too,
    shows the Hub is there (a wait past --max-wait is then busy); no answer is a failure to report. The
    client's own calls would sleep out a Retry-After inside, where the two cannot be told apart."""
    from huggingface_hub.utils import get_session

    get_session().head(api.endpoint, timeout=30)  # type: ignore[attr-defined]


def _remote_files(api: object, repo_id: str) -> dict[str, object] | None:
    """The Hub's files of the repo (path → tree entry), or None when there is no such repo."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        entries = list(api.list_repo_tree(repo_id, repo_type="dataset", recursive=True))  # type: ignore[attr-defined]
    except RepositoryNotFoundError:
        return None
    return {entry.path: entry for entry in entries if hasattr(entry, "size")}


def _purge_history(api: object, plan: PublishPlan, dry_run: bool, backoff: float, deadline: float) -> list[str]:
    """Delete for good what held withdrawn rows from the Hub's history (`corpus/hub_history.py`), or with
    `dry_run` only find it; each attempt reads the Hub afresh. The versions deleted, as "path (sha256…)"."""
    from corpus.hub_history import withdrawn_versions

    if not plan.held_withdrawn:
        return []  # no withdrawal ever took a row out of a file: no history to look through

    def attempt() -> list[str]:
        doomed = withdrawn_versions(api, plan.repo_id, plan.held_withdrawn, plan.kept)  # type: ignore[arg-type]
        if doomed and not dry_run:
            api.permanently_delete_lfs_files(plan.repo_id, doomed, rewrite_history=True,  # type: ignore[attr-defined]
                                             repo_type="dataset")
        return [f"{item.filename} ({item.file_oid[:12]}…)" for item in doomed]

    return with_retries(attempt, "purging withdrawn rows from the history", backoff=backoff, deadline=deadline)


def _purge_after_commit(api: object, plan: PublishPlan, backoff: float, deadline: float) -> list[str]:
    """`_purge_history` once the commit is made: a refusal says the commit stands and what to do."""
    from huggingface_hub.errors import HfHubHTTPError

    try:
        return _purge_history(api, plan, False, backoff, deadline)
    except HubBusy as error:
        raise HubBusy(f"{error}, purging the withdrawn rows from its history", error.retry_at, committed=True) from None
    except (HfHubHTTPError, OSError, *transport_errors()) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PublishError(f"the commit is on the Hub, but purging the withdrawn rows from its history failed "
                           f"({reason}); run `zhnews publish` again to finish it") from None


def publish(dataset_dir: Path, repo_id: str, private: bool = False, dry_run: bool = False,
            backoff: float = BACKOFF_SECONDS, max_wait: float = MAX_WAIT_SECONDS) -> PublishPlan:
    """Upload what the Hub lacks, under the dataset's lock (a build cannot change files mid-publish),
    within `max_wait` seconds (HubBusy past them)."""
    from huggingface_hub import HfApi
    from huggingface_hub.utils import are_progress_bars_disabled

    dataset = DatasetLayout(dataset_dir)
    if not dataset.card.exists():
        raise PublishError(f"no dataset at {dataset_dir} (run `zhnews build` first)")
    api = HfApi()
    deadline = time.monotonic() + max_wait
    answered = False
    with exclusive(dataset.lock, f"dataset {dataset.root}", "zhnews publish"), _budget(max_wait, lambda: answered):
        check_card(dataset, repo_id)  # before the Hub is asked anything, or a repo created
        with_retries(lambda: _knock(api), "reaching the Hub", backoff=backoff, deadline=deadline)
        answered = True
        remote = with_retries(lambda: _remote_files(api, repo_id), "reading the repo", backoff=backoff,
                              deadline=deadline)
        if dry_run:
            plan = plan_publish(remote or {}, dataset, repo_id)
            plan.purged = _purge_history(api, plan, True, backoff, deadline) if remote is not None else []
            return plan
        if remote is None:
            with_retries(lambda: api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True),
                         "creating the repo", backoff=backoff, deadline=deadline)
            remote = with_retries(lambda: _remote_files(api, repo_id), "reading the repo", backoff=backoff,
                              deadline=deadline) or {}
        plan = plan_publish(remote, dataset, repo_id)
        if plan.files or plan.deleted:
            # in a child process: the client uploads on threads of its own, which neither the budget's alarm
            # nor a SIGTERM could stop (they wait out a Retry-After, or a stalled upload, for hours)
            call_in_child(_commit, repo_id, [(path, str(dataset.root / path)) for path in plan.files], plan.deleted,
                          plan.message, backoff, deadline, are_progress_bars_disabled())
        plan.purged = _purge_after_commit(api, plan, backoff, deadline)
        return plan


def _commit(repo_id: str, additions: list[tuple[str, str]], deletions: list[str], message: str, backoff: float,
            deadline: float, quiet: bool) -> None:
    """Add the files (path in the repo, local path) and delete `deletions` in one commit, retried within
    `deadline` (a monotonic time: one clock for every process of the machine)."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
    from huggingface_hub.utils import disable_progress_bars

    if quiet:
        disable_progress_bars()
    operations: list[object] = [CommitOperationAdd(path_in_repo=path, path_or_fileobj=local)
                                for path, local in additions]
    operations += [CommitOperationDelete(path_in_repo=path) for path in deletions]
    with_retries(lambda: HfApi().create_commit(repo_id, operations, commit_message=message, repo_type="dataset"),
                 "the commit", backoff=backoff, deadline=deadline)
