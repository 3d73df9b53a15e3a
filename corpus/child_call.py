"""A call that can always be stopped: it runs in a child process, which is killed when the caller stops
waiting (a deadline's alarm, SIGTERM, Ctrl-C).

Why: a library that works on threads of its own cannot be interrupted. The Hub client uploads LFS files
on a thread pool that sleeps out a Retry-After and waits on a stalled upload with no timeout; an
exception in the main thread then waits for those threads, and so does the interpreter's exit, holding
the dataset's lock for hours. This module imports nothing of ours.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class ChildCallError(RuntimeError):
    """The call in the child gave no answer that could be handed back as it was."""


class ChildDied(ChildCallError):
    """The child ended without an answer (killed from outside, out of memory)."""


class ChildFailed(ChildCallError):
    """The child raised an exception that does not cross processes; its type and message."""


def call_in_child(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a fresh interpreter (spawned: no lock or thread of ours is inherited); its
    result, or its exception raised here. `function` and its arguments must pickle. Whatever stops the
    wait here kills the child first."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sending, os.getpid(), function, args), daemon=True)
    child.start()
    sending.close()
    try:
        try:
            outcome, value = receiving.recv()
        except EOFError:
            child.join()
            raise ChildDied(f"the process running {function.__name__} ended without an answer (exit status "
                            f"{child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()
    if outcome == "raised":
        raise value
    return value


def _run(answer: Connection, parent: int, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _die_with(parent)
    try:
        reply: tuple[str, Any] = ("returned", function(*args))
    except Exception as error:  # handed to the caller, as itself when it crosses processes whole
        try:
            pickle.loads(pickle.dumps(error))  # some dump and do not load (their __init__ wants more)
            reply = ("raised", error)
        except Exception:
            reply = ("raised", ChildFailed(f"{type(error).__name__}: {error}"))
    answer.send(reply)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, kill -9 included (Linux): an orphan would
    go on, a commit out of the dataset's lock among them. Elsewhere the parent's exit alone stops it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the kernel was told
        os._exit(1)
