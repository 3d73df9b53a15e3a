"""Where shard jobs run: the seam between the runner and an execution engine.

The runner hands an executor a function and its jobs and learns only that each finished: what a job
found reaches the runner through the files it wrote (`corpus/layout.py`), so an engine that runs jobs
on other machines needs nothing else. `map` is for work whose results are small and wanted in
memory, in order (dedup's signatures). `LocalExecutor` is the embedded default; `RayExecutor`
(`cleaning/run/ray_executor.py`) runs the same functions as Ray tasks. `make_executor` picks one by
the `--engine` name.

A killed `zhnews process` (kill -9, an OOM kill, cron's `timeout`) must leave nothing behind: its pool
workers are *spawned*, not forked, so they never inherit the run's lock (a forked worker kept the
flock after its parent died, and every later run was "busy"), and each asks the kernel to kill it
when its parent dies.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
ENGINES = ("local", "ray")
# shards are independent: one worker per core, but not more than four (each holds a page tree or two)
DEFAULT_WORKERS = min(4, os.cpu_count() or 1)


class Executor(Protocol):
    workers: int  # how many jobs run at once

    def run(self, function: Callable[[Job], Any], jobs: Sequence[Job], on_done: Callable[[], None]) -> None:
        """Run `function(job)` for every job, calling `on_done` after each; raise if one fails."""

    def map(self, function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
        """`function(job)` of every job, in the jobs' order; raise if one fails."""

    def close(self) -> None:
        """Release the workers; whoever made the executor calls it, once done with it (one executor
        serves every run of a command)."""


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when `parent` dies (Linux); exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request above was in place
        os._exit(1)


def worker_killed(how: str = "out of memory, or kill -9") -> ChildProcessError:
    """A worker the kernel killed (out of memory) or someone did: what it wrote is temporary files, so the
    CLI's line for an OSError applies ("what was done before is kept, run it again")."""
    return ChildProcessError(f"a worker process was killed in the middle of a job ({how})")


class LocalExecutor:
    """This process for one worker, else a pool of worker processes on this machine, started on first
    use and kept for every phase of the run (a spawned worker takes a second to import its libraries)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, function: Callable[[Job], Any], jobs: Sequence[Job], on_done: Callable[[], None]) -> None:
        if self.workers == 1:
            for job in jobs:
                function(job)
                on_done()
            return
        if not jobs:  # a phase with nothing left to do starts no pool
            return
        try:
            for future in as_completed([self._workers().submit(function, job) for job in jobs]):
                future.result()  # a worker's exception surfaces here
                on_done()
        except BrokenProcessPool:
            self._stop_workers()
            raise worker_killed() from None
        except BaseException:
            self._stop_workers()
            raise

    def map(self, function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
        if self.workers == 1 or len(jobs) < 2:
            return [function(job) for job in jobs]
        try:
            return list(self._workers().map(function, jobs))
        except BrokenProcessPool:
            self._stop_workers()
            raise worker_killed() from None
        except BaseException:
            self._stop_workers()
            raise

    def _stop_workers(self) -> None:
        """A job failed, or we were told to stop (SIGTERM, Ctrl-C): the other workers are stopped now,
        not waited for. A worker deep in one page would hold the command for as long as the page takes;
        what a stopped worker had written is temporary files the next run replaces."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop its workers before Python 3.14's terminate_workers
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            spawn = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, spawn, initializer=die_with_parent,
                                             initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def make_executor(engine: str = "local", workers: int = DEFAULT_WORKERS, address: str | None = None) -> Executor:
    """The executor an `--engine` name stands for; Ray is imported only when asked for."""
    if engine == "local":
        if address:
            raise ValueError("--address is for --engine ray (the local engine runs on this machine)")
        return LocalExecutor(workers)
    if engine == "ray":
        from cleaning.run.ray_executor import RayExecutor

        return RayExecutor(address, workers)
    raise ValueError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
