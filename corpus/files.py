"""Atomic file output, and locks: a killed run never leaves half a file under a final name, and two
overlapping runs (a nightly job that runs long) never write the same output. Reading the state and
ledger files back: a damaged one is a `DamagedFile`, whose message names the file and the way out,
never a bare traceback."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class DamagedFile(Exception):
    """A state or ledger file that cannot be read: the message says which, and what to do about it."""

    def __init__(self, path: Path, problem: str, way_out: str) -> None:
        super().__init__(f"{path} is damaged ({problem}): {way_out}")
        self.parts = (path, problem, way_out)

    def __reduce__(self) -> tuple[type[DamagedFile], tuple[Path, str, str]]:
        return type(self), self.parts  # it crosses from a worker process


def check_parquet(path: Path, way_out: str) -> None:
    """DamagedFile unless `path` ends as a parquet file does (its footer read: a file cut short, by a
    power cut or a full disk, fails here instead of as a bare pyarrow error in a stage)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise DamagedFile(path, f"not a whole parquet file: {str(error)[:80]}", way_out) from None


def read_json(path: Path, way_out: str) -> Any:
    """The JSON in `path`; DamagedFile (naming `way_out`) when it is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        raise DamagedFile(path, f"not JSON: {str(error)[:80]}", way_out) from None


# how long opening a SQLite file waits out other processes' locks (two crawls starting at once)
SQLITE_LOCK_WAIT_SECONDS = 60.0


def when_unlocked(db: sqlite3.Connection, statement: str, wait: float = SQLITE_LOCK_WAIT_SECONDS) -> None:
    """Run `statement`, retrying while another process holds the database: SQLite answers some
    statements (switching to WAL, a schema change) with "database is locked" at once, without waiting
    the connection's timeout, when another connection is switching or writing at the same moment."""
    deadline = time.monotonic() + wait
    while True:
        try:
            db.executescript(statement)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_sqlite(path: Path, way_out: str, **options: Any) -> sqlite3.Connection:
    """A connection to the SQLite file `path`, checked to be one (SQLite itself says so only at the
    first query); DamagedFile otherwise. A missing file is created, with its folder. A file another
    process holds locked is waited for, never taken for damaged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, **options)
    try:
        when_unlocked(db, "SELECT count(*) FROM sqlite_master")
    except sqlite3.OperationalError as error:
        db.close()
        if "locked" in str(error):
            raise
        raise DamagedFile(path, f"not a readable SQLite database: {error}", way_out) from None
    except sqlite3.DatabaseError as error:
        db.close()
        raise DamagedFile(path, f"not a readable SQLite database: {error}", way_out) from None
    return db


def utc_stamp() -> str:
    """Now, as every file of ours records a time (WARC-Date, the crawl state, the ledger, a withdrawal,
    the nightly job's status): UTC to the second, ISO 8601 with Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def temporary_sibling(path: Path) -> Path:
    """Where this process writes `path` before renaming it into place. Siblings that writers killed
    with kill -9 left behind (their pid is gone) are removed first: nobody else would."""
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        pid = stale.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling of `path`; rename it over `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path: Path, data: Any, readable: bool = True) -> None:
    """Write `data` atomically; indented unless `readable` is False: json indents with its pure-Python
    encoder, several times slower than its C one on a large file nobody reads (a phase's hand-over)."""
    with atomic_path(path) as tmp:
        text = json.dumps(data, ensure_ascii=False, indent=2 if readable else None, sort_keys=True)
        tmp.write_text(text + "\n", encoding="utf-8")


# The exit status of a command that found its work locked by another: "try again later" (EX_TEMPFAIL).
EXIT_BUSY = 75


class Busy(RuntimeError):
    """Another process holds the lock: the message says on what, and which process."""


@contextmanager
def exclusive(lock_file: Path, what: str, by: str) -> Iterator[None]:
    """Hold an advisory lock on `lock_file` for the block, or raise Busy at once, naming the holder.

    `what` names the resource ("crawl run X"), `by` the job holding it ("a crawl", "zhnews process").
    The kernel drops the lock when the holder dies, so a killed run never leaves a stale lock (as long
    as no child inherited the descriptor: see `cleaning/run/executor.py`).
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Busy(f"{what} is in use by {holder} ({lock_file}); wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{by} (pid {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
