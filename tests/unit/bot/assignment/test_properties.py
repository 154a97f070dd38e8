"""Property tests: capacities, pins, optimality against an LP, determinism and stability."""

from __future__ import annotations

import dataclasses
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.assignment import AssignmentInput, Participant, assign
from tests.support.assignment_factories import crowded_instances, instances
from tests.support.lp_reference import lp_optimum, lp_raised_caps_optimum

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sizes(result) -> Counter:
    return Counter(pl.group_key for pl in result.placements.values())


@FAST
@given(instances())
def test_capacities_respected_except_pins_alone(inp: AssignmentInput) -> None:
    result = assign(inp)
    pins = Counter(inp.pinned.values())
    for g in inp.groups:
        assert _sizes(result)[g.key] <= max(g.max_size, pins[g.key])


@FAST
@given(instances())
def test_everyone_placed_once_unless_seats_run_out(inp: AssignmentInput) -> None:
    result = assign(inp)
    ids = {p.id for p in inp.participants}
    assert set(result.placements) | set(result.unplaced) == ids
    assert not set(result.placements) & set(result.unplaced)
    free = sum(max(0, g.max_size - Counter(inp.pinned.values())[g.key]) for g in inp.groups)
    assert len(result.unplaced) == max(0, len(ids) - len(inp.pinned) - free)


@FAST
@given(instances())
def test_pins_never_move(inp: AssignmentInput) -> None:
    result = assign(inp)
    for pid, g in inp.pinned.items():
        assert result.placements[pid].group_key == g


@FAST
@given(instances())
def test_rank_cost_equals_lp_optimum(inp: AssignmentInput) -> None:
    result = assign(inp)
    lp = lp_optimum(inp)
    if lp is None:  # hard caps infeasible: the solver relaxed them and said so
        assert any("relaxed" in note for note in result.report.notes)
        lp = lp_optimum(inp, org_caps=False)
        assert lp is not None
        assert result.report.rank_cost >= lp.rank_cost
        return
    assert result.report.rank_cost == lp.rank_cost


@FAST
@given(instances())
def test_org_caps_hold_when_feasible(inp: AssignmentInput) -> None:
    result = assign(inp)
    if inp.org_cap_share is None or lp_optimum(inp) is None:
        return
    org = {p.id: p.organisation for p in inp.participants}
    cells = Counter((pl.group_key, org[pid]) for pid, pl in result.placements.items())
    pinned_cells = Counter((g, org[pid]) for pid, g in inp.pinned.items())
    for g in inp.groups:
        cap = -(-inp.org_cap_share * g.max_size // 1)
        for o in set(org.values()):
            assert cells[(g.key, o)] <= max(cap, pinned_cells[(g.key, o)])


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(inp: AssignmentInput, rnd) -> None:
    shuffled = list(inp.participants)
    rnd.shuffle(shuffled)
    again = dataclasses.replace(inp, participants=tuple(shuffled))
    assert assign(inp).placements == assign(again).placements


@FAST
@given(instances())
def test_rerun_with_previous_moves_nobody(inp: AssignmentInput) -> None:
    first = assign(inp)
    previous = {pid: pl.group_key for pid, pl in first.placements.items()}
    rerun = assign(dataclasses.replace(inp, previous=previous, seed=inp.seed + 1))
    assert rerun.report.moved == 0
    assert rerun.report.rank_cost == first.report.rank_cost


@FAST
@given(instances(pins=False), st.integers(1, 4), st.data())
def test_late_joiners_keep_optimum_and_move_fewest(inp, n_late, data) -> None:
    first = assign(inp)
    previous = {pid: pl.group_key for pid, pl in first.placements.items()}
    keys = [g.key for g in inp.groups]
    late = tuple(
        Participant(
            f"late{i}",
            "Late AB",
            tuple(data.draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))),
        )
        for i in range(n_late)
    )
    grown = dataclasses.replace(inp, participants=inp.participants + late, previous=previous)
    stable = assign(grown)
    lp = lp_optimum(grown)
    if lp is None or stable.unplaced:
        return
    assert stable.report.rank_cost == lp.rank_cost
    assert stable.report.moved == lp.moves
    fresh = assign(dataclasses.replace(grown, previous={}))
    assert fresh.report.rank_cost == stable.report.rank_cost


@FAST
@given(instances(), st.data())
def test_any_previous_keeps_rank_optimum_with_fewest_moves(inp: AssignmentInput, data) -> None:
    keys = [g.key for g in inp.groups]
    previous = {
        p.id: data.draw(st.sampled_from(keys)) for p in inp.participants if data.draw(st.booleans())
    }
    inp = dataclasses.replace(inp, previous=previous)
    result = assign(inp)
    lp = lp_optimum(inp)
    if lp is None or result.unplaced:
        return
    assert result.report.rank_cost == lp.rank_cost
    moved = sum(
        1
        for pid, g in previous.items()
        if pid not in inp.pinned and result.placements[pid].group_key != g
    )
    assert moved == lp.moves


def _extra_seats(inp: AssignmentInput, result) -> int:
    """Seats above the organisation caps that the free (unpinned) people take."""
    org = {p.id: p.organisation for p in inp.participants}
    cells = Counter((pl.group_key, org[pid]) for pid, pl in result.placements.items()
                    if pid not in inp.pinned)  # fmt: skip
    pinned = Counter((g, org[pid]) for pid, g in inp.pinned.items())
    sizes = {g.key: g.max_size for g in inp.groups}
    return sum(
        max(0, n - max(0, -(-inp.org_cap_share * sizes[g] // 1) - pinned[(g, o)]))
        for (g, o), n in cells.items()
    )


@FAST
@given(st.one_of(crowded_instances(), instances()))
def test_raised_caps_use_fewest_extra_seats_then_the_rank_optimum(inp: AssignmentInput) -> None:
    """No placement with at most as many seats above the caps has a lower rank cost."""
    if inp.org_cap_share is None:
        return
    result = assign(inp)
    lp = lp_raised_caps_optimum(inp)
    assert _extra_seats(inp, result) == lp.extra_seats
    assert result.report.rank_cost == lp.rank_cost
    if lp.extra_seats:
        assert any("relaxed" in note for note in result.report.notes)
