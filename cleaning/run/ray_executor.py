"""Shard jobs as Ray tasks: `--engine ray`, for re-processing more WARCs than one machine gets through.

The same function the local pool runs becomes one Ray task per job, so every output is the one the
local engine writes, and a re-run skips what the markers say is done. A task whose worker dies (kill
-9, an OOM kill) is retried by Ray on another worker; it left no partial file under a final name
(outputs are renamed into place when complete), so the retry starts clean.

Without `--address` a private cluster is started on first use and stopped by `close` (one per
command). It listens on 127.0.0.1 only: on Linux Ray binds every interface unless
`RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0` (measured, Ray 2.60). With `--address` the command attaches to
a running cluster, whose every node must have this project installed and see the data folder at the
same absolute path (a shared disk). Usage statistics, the dashboard and the log forwarding from
workers are off. Token authentication, on by default since Ray 2.60, stays on: a private cluster
gets a token of its own unless `RAY_AUTH_TOKEN` is set (without one its GCS server does not start,
and Ray only says so after a timeout); attaching uses the cluster's, from `~/.ray/auth_token` or
`RAY_AUTH_TOKEN`, as Ray's own tools do; a head that does not answer, or refuses, and an address that
answers but is no head's (it does not speak gRPC), is one line at once.
A RAY_ADDRESS in the environment does not make the private cluster an attachment, and Ray's signal
handlers do not replace the command's (a SIGTERM exits 143 and stops the private cluster).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from cleaning.run.executor import worker_killed

Job = TypeVar("Job")
Result = TypeVar("Result")

# Ray redoes a task whose worker died; a task that raised is not retried (it would raise again)
TASK_RETRIES = 2
# set before Ray is imported: it reads them once, and the processes it starts inherit them
RAY_ENVIRONMENT = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # with the node address below: listen on loopback only
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_AUTH_MODE": "token",  # attaching to a cluster started with Ray's default (token) auth
    # a task its memory monitor killed is retried forever by default: one page too big for the node, and
    # the command never ends (a cluster attached to keeps its own setting)
    "RAY_task_oom_retries": str(TASK_RETRIES),
}
LOOPBACK = "127.0.0.1"
# jobs and results are small: paths and configuration, or for dedup a batch's shingle sets (4 bytes a
# character of its 512 texts, a few MB); a small object store is enough
OBJECT_STORE_BYTES = 128 * 1024 * 1024


def import_ray(private: bool = False) -> Any:
    """Ray, with our environment. For a private cluster the loopback switch is forced: a value left
    in the environment must not open it to the network."""
    for name, value in RAY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if private:
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    try:
        import ray
    except ImportError:
        raise SystemExit("--engine ray needs Ray: pip install -e '.[ray]'") from None
    return ray


class RayExecutor:
    """Jobs as Ray tasks on the cluster at `address` (`workers` becomes its CPUs once attached), or on
    a loopback-only cluster of `workers` CPUs started on first use and stopped by `close`."""

    def __init__(self, address: str | None = None, workers: int = 1) -> None:
        self.address, self.workers = address, max(1, workers)
        self._ray: Any = None

    def _connect(self) -> Any:
        if self._ray is None:
            ray = import_ray(private=not self.address)
            quiet = {"log_to_driver": False, "logging_level": "WARNING", "configure_logging": True}
            # ray.init sets SIGTERM (and Ctrl-C) handlers of its own, which exit 15 and leave its agents
            # running: the command's own stay, so a SIGTERM ends it with 143 and `close` stops the cluster
            handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
            try:
                if self.address:
                    self._attach(ray, quiet)
                else:
                    # one token per process (the cluster's processes inherit it, Ray's driver reads it
                    # once), unless the user gave one; "local": a RAY_ADDRESS in the environment (`ray job
                    # submit` sets one) must not turn the private cluster into an attachment
                    os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
                    ray.init(address="local", num_cpus=self.workers, include_dashboard=False,
                             object_store_memory=OBJECT_STORE_BYTES, _node_ip_address=LOOPBACK, **quiet)
            finally:
                for signum, handler in handlers.items():
                    signal.signal(signum, handler)
            self._ray = ray
        return self._ray

    def _attach(self, ray: Any, quiet: dict[str, Any]) -> None:
        """Attach to the cluster at `address`. A head that is down took Ray 20 retries of 40 s to give up:
        a HOST:PORT that does not answer is said at once; Ray's own refusals (a wrong token) in one line."""
        host, _, port = self.address.rpartition(":")  # type: ignore[union-attr]
        if host and port.isdigit():
            try:
                grpc = _answers_grpc(host.strip("[]"), int(port))
            except OSError as error:
                raise ConnectionError(f"no Ray cluster answers at {self.address} ({error})") from None
            if not grpc:  # a web server, the dashboard's 8265: Ray would try for 13.7 minutes
                raise ConnectionError(f"{self.address} answers, but not as a Ray cluster's head (its GCS port, "
                                      "which `ray start --head` prints; not the dashboard's)")
        try:
            ray.init(address=self.address, **quiet)
        except Exception as error:  # Ray's own kinds: connection, authentication, version mismatch
            reason = " ".join(str(error).split())[:300] or type(error).__name__
            raise ConnectionError(f"cannot attach to the Ray cluster at {self.address}: {reason}") from None
        self.workers = max(1, int(ray.cluster_resources().get("CPU", self.workers)))  # its CPUs

    def _submit(self, function: Callable[[Job], Any], jobs: Sequence[Job]) -> list[Any]:
        """One task per job. The function travels with each (Ray takes only plain functions as
        tasks, and ours may be a partial); it is a reference to our code, a few bytes."""
        task = self._connect().remote(max_retries=TASK_RETRIES, retry_exceptions=False)(_apply)
        return [task.remote(function, job) for job in jobs]

    def run(self, function: Callable[[Job], Any], jobs: Sequence[Job], on_done: Callable[[], None]) -> None:
        if not jobs:
            return
        pending = self._submit(function, jobs)
        try:
            while pending:
                done, pending = self._ray.wait(pending, num_returns=1)
                self._results(done[0])  # a task's exception surfaces here
                on_done()
        finally:
            for ref in pending:  # after a failure: the run stops, the rest is redone by the next run
                self._ray.cancel(ref)

    def map(self, function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
        if not jobs:
            return []
        submitted = self._submit(function, jobs)  # connects first
        return self._results(submitted)

    def _results(self, refs: Any) -> Any:
        """What the tasks returned. A job's own error is raised as itself (Ray's wrapper reads as the
        remote traceback: a dozen lines where the local engine says one); a worker Ray lost for good is
        the local engine's error for a killed worker."""
        errors = self._ray.exceptions
        try:
            return self._ray.get(refs)
        except errors.RayTaskError as error:
            if isinstance(error.cause, Exception):
                raise error.cause from RemoteTraceback(_ANSI_COLOUR.sub("", str(error)))
            raise
        except (errors.OutOfMemoryError, errors.WorkerCrashedError, errors.NodeDiedError) as error:
            raise worker_killed(f"Ray's {type(error).__name__}, after {TASK_RETRIES} retries") from None

    def close(self) -> None:
        """Stop the cluster this executor started; from one it attached to, only disconnect."""
        if self._ray is not None:
            self._ray.shutdown()
            self._ray = None


_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # Ray colours the task's name in its traceback text


class RemoteTraceback(Exception):
    """Where a job failed on its worker, as the text Ray sent back (a traceback does not travel): the
    cause behind the job's own error, shown with `-v` as the local engine's own traceback is."""

    def __str__(self) -> str:
        return str(self.args[0])


# what every HTTP/2 client sends first; a gRPC server (a Ray head's GCS) answers with a SETTINGS frame
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_SETTINGS_FRAME = 4


def _answers_grpc(host: str, port: int, seconds: float = 10) -> bool:
    """Does HOST:PORT speak gRPC, as a Ray head does? Over TLS (RAY_USE_TLS) it cannot be told here: yes.
    OSError when nothing answers."""
    with socket.create_connection((host, port), timeout=seconds) as connection:
        if os.environ.get("RAY_USE_TLS", "0").lower() in ("1", "true"):
            return True
        connection.sendall(_HTTP2_PREFACE)
        header = b""
        try:
            while len(header) < 9:  # a frame's header: length (3 bytes), type, flags, stream (4)
                chunk = connection.recv(9 - len(header))
                if not chunk:
                    break
                header += chunk
        except (TimeoutError, ConnectionResetError):
            return False
    return len(header) == 9 and header[3] == _SETTINGS_FRAME


def _apply(function: Callable[[Job], Result], job: Job) -> Result:
    return function(job)
