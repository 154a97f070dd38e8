"""Unit tests of assign(): reasons, pins, capacity, organisation caps and minimums."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.assignment import AssignmentInput, Group, Participant, Reason, assign
from bot.assignment.minimums import Suggestion
from bot.assignment.network import lottery_weights
from tests.support.assignment_factories import groups_of


def _input(people, groups, **kwargs) -> AssignmentInput:
    return AssignmentInput(participants=tuple(people), groups=tuple(groups), **kwargs)


def test_everyone_gets_first_choice_when_there_is_room() -> None:
    people = [Participant(f"p{i}", "A", ("g0", "g1")) for i in range(3)]
    result = assign(_input(people, groups_of(5, 5)))
    assert {pl.reason for pl in result.placements.values()} == {Reason.FIRST_CHOICE}
    assert result.report.share_first == 1.0


def test_full_first_choice_gives_second_choice_with_reason() -> None:
    people = [Participant(f"p{i}", f"org{i}", ("g0", "g1", "g2")) for i in range(4)]
    result = assign(_input(people, groups_of(2, 1, 5)))
    reasons = Counter(pl.reason for pl in result.placements.values())
    assert reasons == {
        Reason.FIRST_CHOICE: 2,
        Reason.SECOND_CHOICE_FIRST_FULL: 1,
        Reason.THIRD_CHOICE_EARLIER_FULL: 1,
    }
    assert result.report.rank_profile == {"1": 2, "2": 1, "3": 1, "unlisted": 0}
    assert result.report.worst_rank == 3


def test_rank_optimum_beats_serial_order() -> None:
    # a takes g0 (its only choice); b gets g1. A serial order starting with b fails a.
    people = [Participant("a", "X", ("g0",)), Participant("b", "Y", ("g0", "g1"))]
    result = assign(_input(people, groups_of(1, 1)))
    assert result.placements["a"].group_key == "g0"
    assert result.placements["b"].group_key == "g1"
    assert result.report.outside_choices == []


def test_no_preference_and_choices_full_are_reported() -> None:
    people = [
        Participant("a", "X", ("g0",)),
        Participant("b", "Y", ("g0",)),
        Participant("c", "Z", ()),
    ]
    result = assign(_input(people, groups_of(1, 2)))
    assert result.report.no_preference == ["c"]
    assert len(result.report.outside_choices) == 1
    loser = result.report.outside_choices[0]
    assert result.placements[loser].reason is Reason.CHOICES_FULL
    assert result.placements["c"].reason is Reason.NO_PREFERENCE


def test_pins_count_toward_capacity_and_overfull_pins_are_reported() -> None:
    people = [Participant(f"p{i}", "X", ("g0",)) for i in range(4)]
    pinned = {"p0": "g0", "p1": "g0", "p2": "g0"}
    result = assign(_input(people, groups_of(2, 5), pinned=pinned))
    assert all(result.placements[p].reason is Reason.PINNED for p in pinned)
    assert result.placements["p3"].group_key == "g1"
    assert any("above its maximum" in note for note in result.report.notes)


def test_unplaced_only_when_seats_run_out() -> None:
    people = [Participant(f"p{i}", "X", ("g0",)) for i in range(5)]
    result = assign(_input(people, groups_of(2, 1)))
    assert len(result.unplaced) == 2
    assert len(result.placements) == 3
    assert any("not enough seats" in note for note in result.report.notes)


def test_org_cap_mixes_groups() -> None:
    people = [Participant(f"a{i}", "Skellefteå kommun", ("g0", "g1")) for i in range(6)]
    people += [Participant(f"b{i}", "Umeå universitet", ("g1", "g0")) for i in range(6)]
    result = assign(_input(people, groups_of(6, 6), org_cap_share=0.5))
    for stats in result.report.groups:
        assert stats.org_counts == {"Skellefteå kommun": 3, "Umeå universitet": 3}
        assert stats.relative_blau == pytest.approx(1.0)
    reasons = Counter(pl.reason for pl in result.placements.values())
    assert reasons[Reason.SECOND_CHOICE_ORG_CAP] == 6
    assert result.report.notes == []
    baseline = result.report.baseline
    assert baseline is not None and baseline.min_relative_blau == 0.0


def test_org_cap_relaxes_gracefully_when_one_org_dominates() -> None:
    people = [Participant(f"a{i}", "Big", ("g0",)) for i in range(9)]
    people += [Participant("b0", "Small", ("g0",))]
    result = assign(_input(people, groups_of(5, 5), org_cap_share=0.5))
    assert not result.unplaced
    big = [s.org_counts.get("Big", 0) for s in result.report.groups]
    assert sorted(big) == [4, 5]  # spread: the excess is shared, not piled into one group
    assert any("relaxed for Big" in note for note in result.report.notes)


def test_group_under_minimum_suggests_merge() -> None:
    people = [Participant(f"p{i}", "X", ("g0", "g1")) for i in range(2)]
    people += [Participant(f"q{i}", "Y", ("g1",)) for i in range(4)]
    groups = [
        Group("g0", "Vätgas", min_size=4, max_size=10),
        Group("g1", "Skog", min_size=0, max_size=10),
    ]
    report = assign(_input(people, groups)).report
    (short,) = report.under_minimum
    assert (short.group_key, short.size, short.suggestion, short.merge_into) == (
        "g0",
        2,
        Suggestion.MERGE,
        "g1",
    )


def test_group_under_minimum_without_room_suggests_cancel() -> None:
    people = [Participant("p0", "X", ("g0", "g1")), Participant("p1", "Y", ("g1",))]
    groups = [Group("g0", "A", min_size=3, max_size=5), Group("g1", "B", max_size=1)]
    (short,) = assign(_input(people, groups)).report.under_minimum
    assert short.suggestion is Suggestion.CANCEL


def test_unknown_preferences_are_ignored_and_noted() -> None:
    people = [Participant("p0", "X", ("gone", "g0"))]
    result = assign(_input(people, groups_of(1)))
    assert result.placements["p0"].group_key == "g0"
    assert any("gone" in note for note in result.report.notes)


def test_seed_breaks_ties_not_input_order() -> None:
    people = [Participant(f"p{i}", f"o{i}", ("g0", "g1")) for i in range(10)]
    winners = set()
    for seed in range(6):
        result = assign(_input(people, groups_of(1, 9), seed=seed))
        winners |= {pid for pid, pl in result.placements.items() if pl.group_key == "g0"}
    assert len(winners) > 1


def test_input_validation() -> None:
    with pytest.raises(ValueError):
        Participant("p", "X", ("g0", "g0"))
    with pytest.raises(ValueError):
        Group("g", "G", min_size=3, max_size=2)
    with pytest.raises(ValueError):
        _input([Participant("p", "X")], groups_of(1), pinned={"p": "nope"})
    with pytest.raises(ValueError):
        _input([Participant("p", "X")], groups_of(1), org_cap_share=1.5)


def test_empty_event() -> None:
    result = assign(_input([], groups_of(3)))
    assert result.placements == {} and result.unplaced == []
    assert result.report.share_first == 1.0


def test_people_without_preference_fill_groups_up_to_their_minimum() -> None:
    people = [Participant(f"p{i}", "X", ()) for i in range(6)]
    groups = [
        Group("g0", "A", min_size=0, max_size=10),
        Group("g1", "B", min_size=4, max_size=10),
        Group("g2", "C", min_size=2, max_size=10),
    ]
    result = assign(_input(people, groups, seed=3))
    sizes = Counter(pl.group_key for pl in result.placements.values())
    assert sizes["g1"] >= 4 and sizes["g2"] >= 2
    assert result.report.under_minimum == []


def test_caps_hold_for_people_placed_outside_their_choices() -> None:
    # Nobody lists anything, so no cap cell is built up front; the re-solve must add them.
    people = [Participant(f"x{i}", "X", ()) for i in range(4)]
    people += [Participant(f"y{i}", "Y", ()) for i in range(4)]
    for seed in range(5):
        result = assign(_input(people, groups_of(4, 4), org_cap_share=0.5, seed=seed))
        for stats in result.report.groups:
            assert stats.org_counts == {"X": 2, "Y": 2}


def test_pins_and_previous_for_cancelled_people_are_ignored() -> None:
    people = [Participant("p0", "X", ("g0",))]
    result = assign(_input(people, groups_of(2), pinned={"gone": "g0"}, previous={"old": "g0"}))
    assert result.placements["p0"].group_key == "g0"
    assert result.report.moved == 0
    assert any("gone" in note for note in result.report.notes)


def test_lottery_decides_who_gets_the_last_first_choice_seat() -> None:
    people = [Participant("anna", "X", ("g0", "g1")), Participant("bo", "Y", ("g0", "g1"))]
    for seed in range(8):
        result = assign(_input(people, groups_of(1, 1), seed=seed))
        weights = lottery_weights(["anna", "bo"], seed, 1024)
        winner = max(weights, key=lambda pid: weights[pid])
        assert result.placements[winner].reason is Reason.FIRST_CHOICE
