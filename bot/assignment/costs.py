"""The documented objective: rank costs and the integer scaling of the tie-break levels."""

from __future__ import annotations

from dataclasses import dataclass

RANK_COSTS: dict[int, int] = {1: 1, 2: 4, 3: 9}
UNLISTED_COST = 100
NO_PREFERENCE_COST = 0
NOISE_RANK_STEPS = 3
MAX_LOTTERY_WEIGHT = 1024
# OR-Tools scales unit costs by the node count; measured, it refuses max_cost * nodes above
# about 3.8e18 (BAD_COST_RANGE), so stay at 2**60 (1.15e18).
_COST_BUDGET = 2**60


def rank_cost(rank: int | None, has_preferences: bool) -> int:
    """Primary cost of a placement: rank squared, steep for unlisted, flat for no preference."""
    if not has_preferences:
        return NO_PREFERENCE_COST
    return UNLISTED_COST if rank is None else RANK_COSTS[rank]


def noise_step(rank: int | None, has_preferences: bool) -> int:
    """Rank position used by the lottery tie-break (0 for a first choice)."""
    if not has_preferences:
        return 0
    return NOISE_RANK_STEPS if rank is None else rank - 1


@dataclass(frozen=True, slots=True)
class CostScale:
    """Integer weights making rank cost >> moves >> lottery noise (strictly lexicographic)."""

    rank_unit: int
    move_unit: int
    lottery_max: int

    @classmethod
    def for_size(
        cls, n_free: int, n_previous: int, n_nodes: int, *, headroom: int = 1
    ) -> CostScale:
        """Largest lottery range that keeps every level strict and the costs inside int64
        (`headroom`: a multiple of the rank unit some arc costs, e.g. seats above a cap)."""
        per_unit_budget = _COST_BUDGET // ((UNLISTED_COST + 1) * (n_nodes + 1) * headroom)
        lottery = MAX_LOTTERY_WEIGHT
        while lottery > 0 and cls._build(n_free, n_previous, lottery).rank_unit > per_unit_budget:
            lottery //= 2
        return cls._build(n_free, n_previous, lottery)

    @classmethod
    def _build(cls, n_free: int, n_previous: int, lottery: int) -> CostScale:
        # Per person the noise is at most (NOISE_RANK_STEPS + 2) * lottery: the lottery arc,
        # the fallback group noise and the "seat above the group's minimum" step.
        noise_total = (NOISE_RANK_STEPS + 2) * lottery * max(n_free, 1)
        move_unit = noise_total + 1
        rank_unit = move_unit * (n_previous + 1) + noise_total + 1
        return cls(rank_unit=rank_unit, move_unit=move_unit, lottery_max=lottery)
