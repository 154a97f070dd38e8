"""Derive the machine-readable reason for each placement from the final group state."""

from __future__ import annotations

from collections.abc import Set

from bot.assignment.models import Participant, Placement, Reason


def placement_for(
    participant: Participant,
    group_key: str,
    pinned: bool,
    capped_cells: Set[tuple[str, str]],
) -> Placement:
    """Build the placement; at the optimum every earlier choice was full or org-capped."""
    rank = participant.rank_of(group_key)
    pid = participant.id
    if pinned:
        return Placement(pid, group_key, rank, Reason.PINNED)
    if not participant.preferences:
        return Placement(pid, group_key, None, Reason.NO_PREFERENCE)
    if rank is None:
        return Placement(pid, group_key, None, Reason.CHOICES_FULL)
    if rank == 1:
        return Placement(pid, group_key, 1, Reason.FIRST_CHOICE)
    earlier = participant.preferences[: rank - 1]
    # An organisation at its cap is the binding reason even if the group is also full.
    org_capped = any((g, participant.organisation) in capped_cells for g in earlier)
    if rank == 2:
        reason = Reason.SECOND_CHOICE_ORG_CAP if org_capped else Reason.SECOND_CHOICE_FIRST_FULL
    else:
        reason = Reason.THIRD_CHOICE_ORG_CAP if org_capped else Reason.THIRD_CHOICE_EARLIER_FULL
    return Placement(pid, group_key, rank, reason)
