"""Tests of the quality report, the explanations and the FCFS baseline."""

from __future__ import annotations

import pytest

from bot.assignment import (
    AssignmentInput,
    Participant,
    Placement,
    Reason,
    explain,
    first_come_first_served,
)
from bot.assignment.report import blau
from tests.support.assignment_factories import groups_of


def test_blau_index() -> None:
    assert blau({}) == 0.0
    assert blau({"A": 4}) == 0.0
    assert blau({"A": 1, "B": 1}) == pytest.approx(0.5)
    assert blau({"A": 1, "B": 1, "C": 1, "D": 1}) == pytest.approx(0.75)


def test_explain_in_swedish_and_english() -> None:
    person = Participant("p", "Umeå universitet", ("g0", "g1"))
    placement = Placement("p", "g1", 2, Reason.SECOND_CHOICE_FIRST_FULL)
    assert (
        explain(placement, person) == "Ditt förstahandsval var fullt; du fick ditt andrahandsval."
    )
    assert explain(placement, person, "en") == (
        "Your first choice was full; you got your second choice."
    )
    for reason in Reason:
        assert explain(Placement("p", "g0", None, reason), person, "sv")
        assert explain(Placement("p", "g0", None, reason), person, "en")
    with pytest.raises(ValueError):
        explain(placement, person, "de")


def test_fcfs_baseline_respects_capacity_and_seed() -> None:
    people = tuple(Participant(f"p{i}", "X", ("g0", "g1")) for i in range(8))
    inp = AssignmentInput(participants=people, groups=groups_of(3, 3, 3))
    first = first_come_first_served(inp, order_seed=1)
    assert first.placements == first_come_first_served(inp, order_seed=1).placements
    sizes = [s.size for s in first.report.groups]
    assert sizes == [3, 3, 2]
    assert first.report.rank_profile == {"1": 3, "2": 3, "3": 0, "unlisted": 2}
    assert first.report.baseline is None


def test_explain_refuses_a_mismatched_participant() -> None:
    placement = Placement("p", "g0", 1, Reason.FIRST_CHOICE)
    with pytest.raises(ValueError):
        explain(placement, Participant("q", "X", ("g0",)))
