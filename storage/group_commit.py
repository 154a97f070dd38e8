"""Group commit: small writes from many threads committed together, in the order they came.

In a deadline rush every acknowledgement writes one row (the inbox) and must not answer before
that row is committed. One transaction each means one BEGIN/COMMIT, one pool checkout and (on
SQLite) one turn of the write lock per request. Here the first writer to arrive leads: it
takes every write queued meanwhile and runs them in one transaction; the writers that came
while it committed wait, and the first of them leads the next group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

T = TypeVar("T")


class _Write(Generic[T]):
    __slots__ = ("work", "wake", "lead", "finished", "result", "error")

    def __init__(self, work: Callable[[Connection], T]) -> None:
        self.work = work
        self.wake = threading.Event()  # set when finished, or when made the next leader
        self.lead = False
        self.finished = False
        self.result: T | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """`begin`: a new write transaction on a Connection (commit on success, else roll back)."""

    def __init__(self, begin: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._begin = begin
        self._lock = threading.Lock()
        self._queue: list[_Write[Any]] = []
        self._leading = False

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run work(connection) in a transaction shared with the writes queued beside it; return
        once it is committed. If any write of the group fails, all of the group raise (nothing
        of it is committed)."""
        write: _Write[T] = _Write(work)
        with self._lock:
            self._queue.append(write)
            if not self._leading:
                self._leading = write.lead = True
        if not write.lead:
            write.wake.wait()
        if not write.finished:  # made the leader of the next group
            self._lead()
        if write.error is not None:
            raise write.error
        return write.result  # type: ignore[return-value]

    def _lead(self) -> None:
        with self._lock:
            group, self._queue = self._queue, []
        error: BaseException | None = None
        try:
            with self._begin() as connection:
                for write in group:
                    write.result = write.work(connection)
        except BaseException as exc:  # every write of the group is rolled back
            error = exc
        with self._lock:
            for write in group:
                write.error = error
                write.finished = True
                write.wake.set()
            if self._queue:  # came while this group committed: the first of them leads next
                following = self._queue[0]
                following.lead = True
                following.wake.set()
            else:
                self._leading = False
