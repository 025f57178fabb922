"""Guards for batch worker processes: a time limit per document, and an exit when the
main process dies.

The time limit raises `DocumentTimeout` in the stage running (pure Python stops there):
in a process's main thread by a wall-clock alarm (SIGALRM), in other threads (Dask runs
tasks in worker threads, where no signal arrives) by a timer thread that sends the
exception to the document's thread (`PyThreadState_SetAsyncExc`). Code that holds the
interpreter (one long regular-expression match) sees neither, so a worker process whose
death is handled (a pool worker, a Dask worker under a nanny) also gets a CPU-time limit a
few times larger: the kernel kills it, the pool (or Dask) notices, and the batch reports the
document failed.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

DEFAULT_TIMEOUT = 600.0  # seconds per document: generous, 1 MB of text takes a minute or two
HARD_LIMIT_FACTOR = 3  # CPU seconds allowed per wall-clock second of the time limit
PARENT_POLL_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

_hard_limits = False  # set in worker processes only: the kernel may kill them


class DocumentTimeout(Exception):
    """A document took longer than its time limit."""


def become_worker() -> None:
    """Make this process a batch worker: it exits when its parent does (a `kill -9` of
    the main process leaves no orphans), and documents get the hard CPU limit too."""
    enable_hard_limits()
    parent = multiprocessing.parent_process()
    parent_pid = parent.pid if parent is not None else os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # Everywhere (and for a parent that died before prctl above): poll the parent id.
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()


def enable_hard_limits() -> None:
    """Give documents the hard CPU limit in this process: only for a process whose death
    is noticed and handled (it ends the whole process)."""
    global _hard_limits
    _hard_limits = True


def _exit_when_orphaned(parent_pid: int | None) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(1)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `DocumentTimeout` in the body after `seconds` of wall-clock time (None: no
    limit): by SIGALRM in the main thread where it exists, else from a timer thread."""
    if seconds is None or seconds <= 0:
        yield
        return
    can_alarm = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not can_alarm:
        # The hard limit is left last: only once no timeout can arrive any more.
        hard_limit = seconds * HARD_LIMIT_FACTOR if _hard_limits else None
        with _cpu_limit(hard_limit), _ThreadTimeout(seconds):
            yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with _cpu_limit(seconds * HARD_LIMIT_FACTOR if _hard_limits else None):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _ThreadTimeout:
    """Raise `DocumentTimeout` in the entering thread after `seconds`, from a timer thread.
    The exception arrives when that thread next runs Python bytecode. The exit stops the
    timer under a lock, so no exception can arrive after it; if the time ran out before
    the body ended, the exit raises `DocumentTimeout` itself (a pending one is withdrawn),
    so the outcome is the same however the timing falls."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.thread_id = threading.get_ident()
        self.lock = threading.Lock()
        self.expired = False
        self.finished = False
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def __enter__(self) -> None:
        self.timer.start()

    def __exit__(self, *exc_info: object) -> None:
        self.timer.cancel()
        with self.lock:
            self.finished = True
            expired = self.expired
        if expired:
            _send_exception(self.thread_id, None)  # withdraw it if not yet delivered
            raise DocumentTimeout

    def _expire(self) -> None:
        with self.lock:
            if not self.finished:
                self.expired = True
                _send_exception(self.thread_id, DocumentTimeout)


def _send_exception(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread at its next bytecode (None: withdraw a pending one)."""
    pythonapi = getattr(ctypes, "pythonapi", None)
    if pythonapi is None:  # not CPython: only the hard limit applies
        return
    argument = None if exception is None else ctypes.py_object(exception)
    pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), argument)


@contextlib.contextmanager
def _cpu_limit(seconds: float | None) -> Iterator[None]:
    """A soft RLIMIT_CPU `seconds` above what the process has used: past it the kernel
    sends SIGXCPU, whose default action ends the process."""
    try:
        import resource
    except ImportError:  # not on Windows
        resource = None  # type: ignore[assignment]
    if seconds is None or resource is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    used = resource.getrusage(resource.RUSAGE_SELF)
    limit = math.ceil(used.ru_utime + used.ru_stime + seconds)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
