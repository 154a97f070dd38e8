"""runtime/affinity.py: the threads of a block run on one core, and get every core back after."""

from __future__ import annotations

import os
import threading

import pytest

from runtime.affinity import current_cpu, one_core

ALLOWED = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else set()
needs_two_cores = pytest.mark.skipif(
    len(ALLOWED) < 2, reason="pinning to one core needs a process that may use two or more"
)


def _affinity_in_thread() -> set[int]:
    seen: list[set[int]] = []

    def look() -> None:
        seen.append(os.sched_getaffinity(0))  # pid 0: the calling thread, on Linux

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen[0]


@needs_two_cores
def test_threads_running_and_started_inside_share_one_allowed_core() -> None:
    waiting = threading.Event()
    seen_by_old: list[set[int]] = []

    def old_thread() -> None:  # running before the block: pinned too
        waiting.wait()
        seen_by_old.append(os.sched_getaffinity(0))

    old = threading.Thread(target=old_thread)
    old.start()
    with one_core() as core:
        assert core in ALLOWED
        assert os.sched_getaffinity(0) == {core}
        assert _affinity_in_thread() == {core}
        waiting.set()
        old.join()
    assert seen_by_old == [{core}]
    assert os.sched_getaffinity(0) == ALLOWED
    assert _affinity_in_thread() == ALLOWED


@needs_two_cores
def test_the_core_is_the_one_the_process_runs_on() -> None:
    with one_core() as core:
        assert current_cpu() == core  # pinned there, so still there


@pytest.mark.skipif(not ALLOWED, reason="no sched_getaffinity here (Linux only)")
def test_disabled_or_single_core_changes_nothing() -> None:
    with one_core(enabled=False) as core:
        assert core is None
        assert os.sched_getaffinity(0) == ALLOWED
        assert _affinity_in_thread() == ALLOWED


@needs_two_cores
def test_affinity_is_given_back_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), one_core():
        raise RuntimeError("the rehearsal failed")
    assert os.sched_getaffinity(0) == ALLOWED
