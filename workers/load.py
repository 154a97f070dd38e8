"""How many Slack requests are waiting for their acknowledgement right now.

Acknowledgements are what Slack times (3 s, and a person watches the spinner); background work
(the inbox worker, the profile look-up before a form) asks here whether it would compete with
them for the CPU (one GIL) and SQLite's write lock."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET_AT = 2  # at most this many requests in flight (the asking one among them) and
RUSH_PER_S = 10  # fewer arrivals than this in the last second: not a rush


class RequestLoad:
    """`seconds`: the clock arrivals are timed by (the app's clock, so a rehearsal's people who
    arrive days apart in its simulated time are no rush however fast it runs them)."""

    def __init__(self, seconds: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._in_flight = 0
        self._changed = threading.Condition()
        self._arrivals: deque[float] = deque(maxlen=RUSH_PER_S)

    @contextmanager
    def request(self) -> Iterator[None]:
        """Count one request from its arrival to its acknowledgement."""
        with self._changed:
            self._in_flight += 1
            self._arrivals.append(self._seconds())
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._changed.notify_all()

    def arrived(self) -> None:
        """Count an arrival acknowledged elsewhere (the app's process, for the inbox process)."""
        with self._changed:
            self._arrivals.append(self._seconds())

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def quiet(self) -> bool:
        """Few requests in flight and few arriving: extra work now costs nobody a slower answer."""
        arrivals = self._arrivals
        recent = len(arrivals) == RUSH_PER_S and self._seconds() - arrivals[0] < 1.0
        return self._in_flight <= QUIET_AT and not recent

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no request is in flight, at most timeout seconds; True if idle."""
        give_up = time.monotonic() + timeout
        with self._changed:
            while self._in_flight > 0:
                remaining = give_up - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True
