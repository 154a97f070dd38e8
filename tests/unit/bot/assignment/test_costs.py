"""The integer scaling keeps the objective's levels strictly ordered and inside OR-Tools' range."""

from __future__ import annotations

import pytest

from bot.assignment.costs import NOISE_RANK_STEPS, UNLISTED_COST, CostScale

OR_TOOLS_LIMIT = 3.7e18  # measured: max unit cost * node count above this is BAD_COST_RANGE


@pytest.mark.parametrize(
    ("n_free", "n_previous", "n_nodes"),
    [(10, 0, 30), (500, 500, 600), (20_000, 0, 33_000), (20_000, 19_800, 33_000)],
)
def test_levels_are_strict_and_fit(n_free: int, n_previous: int, n_nodes: int) -> None:
    scale = CostScale.for_size(n_free, n_previous, n_nodes)
    noise_total = (NOISE_RANK_STEPS + 2) * scale.lottery_max * n_free
    assert scale.move_unit > noise_total
    assert scale.rank_unit > n_previous * scale.move_unit + noise_total
    assert (UNLISTED_COST + 1) * scale.rank_unit * (n_nodes + 1) < OR_TOOLS_LIMIT
    assert scale.lottery_max >= 64  # the lottery still separates people at these sizes
