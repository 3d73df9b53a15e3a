"""Where shard jobs run: the seam between the runner and an execution engine.

The runner hands an executor a function and its jobs and learns only that each finished: what a job
found reaches the runner through the files it wrote (`corpus/layout.py`), so an engine that runs jobs
on other machines needs nothing else. `LocalExecutor` is the embedded default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol, TypeVar

Job = TypeVar("Job")
# shards are independent: one worker per core, but not more than four (each holds a page tree or two)
DEFAULT_WORKERS = min(4, os.cpu_count() or 1)


class Executor(Protocol):
    def run(self, function: Callable[[Job], Any], jobs: Sequence[Job], on_done: Callable[[], None]) -> None:
        """Run `function(job)` for every job, calling `on_done` after each; raise if one fails."""


class LocalExecutor:
    """This process for one worker, else a pool of worker processes on this machine."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def run(self, function: Callable[[Job], Any], jobs: Sequence[Job], on_done: Callable[[], None]) -> None:
        if self.workers == 1:
            for job in jobs:
                function(job)
                on_done()
            return
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            for future in as_completed([pool.submit(function, job) for job in jobs]):
                future.result()  # a worker's exception surfaces here
                on_done()
