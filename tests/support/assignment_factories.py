"""Hypothesis strategies and small builders shared by the assignment tests."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.assignment import AssignmentInput, Group, Participant


def groups_of(*sizes: int, min_size: int = 0) -> tuple[Group, ...]:
    """Groups g0, g1, ... with the given maximum sizes."""
    return tuple(
        Group(f"g{i}", f"Group {i}", min_size=min(min_size, s), max_size=s)
        for i, s in enumerate(sizes)
    )


@st.composite
def instances(draw: st.DrawFn, *, pins: bool = True, caps: bool = True) -> AssignmentInput:
    """Small random events: 1-6 groups, 0-24 people from 1-4 organisations."""
    n_groups = draw(st.integers(1, 6))
    groups = tuple(
        Group(f"g{i}", f"G{i}", min_size=draw(st.integers(0, 3)), max_size=draw(st.integers(3, 8)))
        for i in range(n_groups)
    )
    keys = [g.key for g in groups]
    n = draw(st.integers(0, 24))
    people = []
    for i in range(n):
        prefs = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
        org = draw(st.sampled_from(["Skellefteå kommun", "Umeå universitet", "LTU", "Region"]))
        people.append(Participant(f"p{i:02d}", org, tuple(prefs)))
    pinned = {}
    if pins and people:
        for p in draw(st.lists(st.sampled_from(people), max_size=3, unique=True)):
            pinned[p.id] = draw(st.sampled_from(keys))
    share = draw(st.sampled_from([None, 0.5, 0.7])) if caps else None
    return AssignmentInput(
        participants=tuple(people),
        groups=groups,
        org_cap_share=share,
        seed=draw(st.integers(0, 2**16)),
        pinned=pinned,
    )


@st.composite
def crowded_instances(draw: st.DrawFn) -> AssignmentInput:
    """Events where one organisation has more people than the organisation caps can seat, so
    the caps must be raised (the case the engine handles inside its one optimisation)."""
    n_groups = draw(st.integers(1, 4))
    groups = tuple(
        Group(f"g{i}", f"G{i}", min_size=draw(st.integers(0, 2)), max_size=draw(st.integers(3, 8)))
        for i in range(n_groups)
    )
    keys = [g.key for g in groups]
    seats = sum(g.max_size for g in groups)
    n = draw(st.integers(max(1, seats // 2), seats))
    big = draw(st.integers(-(-n * 3 // 4), n))  # at least three quarters from one organisation
    people = []
    for i in range(n):
        prefs = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
        org = "Stora kommunen" if i < big else draw(st.sampled_from(["Umeå universitet", "LTU"]))
        people.append(Participant(f"p{i:02d}", org, tuple(prefs)))
    pinned = {}
    for p in draw(st.lists(st.sampled_from(people), max_size=2, unique=True)):
        pinned[p.id] = draw(st.sampled_from(keys))
    return AssignmentInput(
        participants=tuple(people),
        groups=groups,
        org_cap_share=draw(st.sampled_from([0.3, 0.5])),
        seed=draw(st.integers(0, 2**16)),
        pinned=pinned,
    )
