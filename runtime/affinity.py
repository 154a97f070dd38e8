"""Keeping one process's threads on one core.

A Python process runs Python on one core at a time (one GIL), however many threads it has. When
its threads are spread over two cores, every hand-over of the GIL (a request thread back from its
socket, a worker woken by a kick) wakes a thread on the other core and moves the interpreter's
data between the cores' caches. The rehearsal (about 30 threads that hand the lock over some
40,000 times) on 2 cores (docs/bench-rehearsal.md, 2 December 2026), idle: 6.3-6.8 s (6.5-7.1 s
of CPU) spread over both cores, 5.5-6.0 s (5.4-5.9 s of CPU) on one; with both cores kept busy by
other work, 10.7-12.2 s spread and 6.0-7.9 s on one core. Linux only (sched_setaffinity);
elsewhere it does nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

_PROCESSOR_FIELD = 36  # /proc/.../stat field 39 ("processor"), counted after the ")" of field 2


def current_cpu() -> int | None:
    """The core the calling thread runs on now (None where /proc does not say)."""
    try:
        stat = Path("/proc/thread-self/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[_PROCESSOR_FIELD])
    except (OSError, ValueError, IndexError):
        return None


def _threads() -> list[int]:
    try:
        return [int(tid) for tid in os.listdir("/proc/self/task")]
    except OSError:
        return [0]  # the calling thread


def _pin(threads: list[int], cores: set[int]) -> None:
    for tid in threads:
        # a thread that ended meanwhile, or a core a container took away: leave it as it is
        with contextlib.suppress(OSError):
            os.sched_setaffinity(tid, cores)


@contextlib.contextmanager
def one_core(enabled: bool = True) -> Iterator[int | None]:
    """Run this process's threads, those running now and those started inside the block, on one
    of the cores it may use: the one it runs on now (the scheduler just chose it). Yields that
    core, or None when there is nothing to do (disabled, one core, no sched_setaffinity).
    Afterwards the threads still running may use every core they could before."""
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else set()
    if not enabled or len(allowed) < 2:
        yield None
        return
    cpu = current_cpu()
    core = cpu if cpu in allowed else min(allowed)
    _pin(_threads(), {core})
    try:
        yield core
    finally:
        _pin(_threads(), allowed)
