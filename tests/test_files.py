"""Atomic writes: a writer killed with kill -9 leaves a temporary file; the next writer of the same
path removes it, and never one of a writer that is still alive."""

from __future__ import annotations

import os
import subprocess
import sys
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
