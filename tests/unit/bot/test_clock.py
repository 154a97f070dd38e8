"""The simulated clock travels to a child process as a clock of its own."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

from bot.clock import SimulatedClock


def test_a_pickled_simulated_clock_is_a_copy_at_that_moment():
    clock = SimulatedClock(datetime(2021, 4, 1, 8, 0, tzinfo=UTC))
    copy = pickle.loads(pickle.dumps(clock))
    assert copy.now() == clock.now()
    clock.advance(timedelta(hours=1))
    assert copy.now() == datetime(2021, 4, 1, 8, 0, tzinfo=UTC)
    copy.set(datetime(2021, 4, 2, tzinfo=UTC))  # and it moves on its own
    assert copy.now() == datetime(2021, 4, 2, tzinfo=UTC)
