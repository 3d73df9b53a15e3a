"""A fault for a Ray worker: the first job to run is killed (SIGKILL, as an OOM killer would) just
before its first output would be renamed into place, with the file written in full under its
temporary name. Shipped to the workers by value: they cannot import the tests."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any


def killed_before_first_output(flag: Path, function: Callable[[Any], Any], job: Any) -> Any:
    try:
        with open(flag, "x") as handle:  # only the first job anywhere gets to write the flag
            handle.write(str(os.getpid()))
    except FileExistsError:
        return function(job)
    rename = os.replace

    def dying_rename(source: Any, target: Any) -> None:
        if str(target).endswith(".parquet"):
            os.kill(os.getpid(), signal.SIGKILL)
        rename(source, target)

    os.replace = dying_rename  # in this worker only, which dies with it
    return function(job)


def damaged(job: Any) -> Any:
    """A job that meets a damaged file, as a stage does: its own error, which names the way out."""
    from corpus.files import DamagedFile

    raise DamagedFile(Path(f"/data/work/run/{job}.arrow"), "not an Arrow file", "delete it and run again")


def out_of_memory(job: Any) -> Any:
    """A job that outgrows its node: Ray's memory monitor (set low by the test) kills its worker while it
    holds a GiB, long enough for the monitor to look."""
    import time

    hog = bytearray(1 << 30)  # written through (zeroed), so resident
    time.sleep(3)
    return len(hog)
