"""Seeded synthetic events: Zipf group popularity, organisations favouring different groups."""

from __future__ import annotations

import math

import numpy as np

from bot.assignment import AssignmentInput, Group, Participant

ORG_NAMES = (
    "Skellefteå kommun", "Umeå universitet", "Luleå tekniska universitet", "Region Västerbotten",
    "Northvolt", "Boliden", "Skellefteå Kraft", "SLU", "Trafikverket", "Länsstyrelsen",
)  # fmt: skip


def make_event(
    n_people: int,
    n_groups: int,
    *,
    n_orgs: int,
    seed: int,
    org_cap_share: float | None = 0.4,
    slack: float = 1.1,
) -> AssignmentInput:
    """Build one instance; 3 % list nothing, 12 % list one or two groups, the rest three."""
    rng = np.random.default_rng(seed)
    orgs = [ORG_NAMES[k] if k < len(ORG_NAMES) else f"Org {k:03d}" for k in range(n_orgs)]
    org_weight = 1.0 / np.arange(1, n_orgs + 1) ** 0.8
    org_of = rng.choice(n_orgs, size=n_people, p=org_weight / org_weight.sum())
    zipf = 1.0 / np.arange(1, n_groups + 1) ** 1.0
    global_order = rng.permutation(n_groups)
    popularity = np.empty((n_orgs, n_groups))
    for k in range(n_orgs):
        own = np.empty(n_groups)
        own[rng.permutation(n_groups)] = zipf
        shared = np.empty(n_groups)
        shared[global_order] = zipf
        mix = 0.5 * shared + 0.5 * own
        popularity[k] = mix / mix.sum()
    lengths = rng.choice([0, 1, 2, 3], size=n_people, p=[0.03, 0.05, 0.07, 0.85])
    people = []
    for i in range(n_people):
        k = int(org_of[i])
        picks = rng.choice(n_groups, size=int(lengths[i]), replace=False, p=popularity[k])
        people.append(Participant(f"p{i:05d}", orgs[k], tuple(f"g{g:03d}" for g in picks)))
    max_size = math.ceil(slack * n_people / n_groups)
    groups = tuple(
        Group(f"g{g:03d}", f"Grupp {g}", min_size=max(3, max_size // 4), max_size=max_size)
        for g in range(n_groups)
    )
    return AssignmentInput(
        participants=tuple(people), groups=groups, org_cap_share=org_cap_share, seed=seed
    )
