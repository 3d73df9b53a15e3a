"""Atomic writes: a writer killed with kill -9 leaves a temporary file; the next writer of the same
path removes it, and never one of a writer that is still alive. And the time files record is UTC."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from corpus.files import atomic_path


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_write_removes_what_a_killed_writer_left(tmp_path: Path):
    target = tmp_path / "data" / "run1.parquet"
    target.parent.mkdir()
    killed = target.with_name(f".{target.name}.tmp-{dead_pid()}")
    alive = target.with_name(f".{target.name}.tmp-{os.getppid()}")  # a writer still at work
    other = target.with_name(f".other.parquet.tmp-{dead_pid()}")  # another file's: not ours to judge
    for path in (killed, alive, other):
        path.write_bytes(b"half a file")
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert not killed.exists() and alive.exists() and other.exists()


def test_the_stamp_files_record_is_utc_whatever_the_local_zone():
    """A crawler in Beijing writes the same WARC-Date, state and ledger times as one in UTC."""
    code = "import time; time.tzset(); from corpus.files import utc_stamp; print(utc_stamp())"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    printed = subprocess.run([sys.executable, "-c", code], env={**os.environ, "TZ": "Asia/Shanghai"},
                             capture_output=True, text=True, check=True).stdout.strip()
    after = datetime.now(timezone.utc)
    stamped = datetime.strptime(printed, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= stamped <= after
