"""Counting requests in flight: what the inbox worker and the profile prefill ask about."""

from __future__ import annotations

import threading

from workers.load import QUIET_AT, RUSH_PER_S, RequestLoad


def test_quiet_until_several_requests_wait_at_once():
    load = RequestLoad()
    with load.request():
        assert load.in_flight == 1 and load.quiet()
        with load.request(), load.request():
            assert load.in_flight == QUIET_AT + 1 and not load.quiet()
    assert load.in_flight == 0


def test_many_arrivals_within_a_second_are_a_rush_even_one_at_a_time():
    load = RequestLoad()
    for _ in range(RUSH_PER_S):
        with load.request():
            pass
    assert load.in_flight == 0 and not load.quiet()


def test_arrivals_are_timed_by_the_apps_clock():
    """The rehearsal runs people who arrive days apart in a fraction of a second: no rush."""
    moment = [0.0]
    load = RequestLoad(lambda: moment[0])
    for _ in range(RUSH_PER_S * 2):
        moment[0] += 3600.0
        with load.request():
            pass
    assert load.quiet()
    for _ in range(RUSH_PER_S):  # a frozen clock (the benchmark's): all at one moment
        with load.request():
            pass
    assert not load.quiet()


def test_wait_idle_returns_when_the_last_request_is_answered():
    load = RequestLoad()
    answered = threading.Event()
    entered = threading.Event()

    def request() -> None:
        with load.request():
            entered.set()
            answered.wait()

    thread = threading.Thread(target=request)
    thread.start()
    entered.wait()
    assert load.wait_idle(0.0) is False  # still in flight, no waiting asked for
    answered.set()
    assert load.wait_idle(30.0) is True
    thread.join()


def test_arrivals_acknowledged_elsewhere_count_toward_a_rush():
    """The inbox process hears of the app's submissions as kicks, never as requests of its own."""
    load = RequestLoad()
    for _ in range(RUSH_PER_S - 1):
        load.arrived()
    assert load.quiet()
    load.arrived()
    assert load.in_flight == 0 and not load.quiet()
