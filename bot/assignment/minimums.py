"""Groups short of their minimum size, with a merge or cancel suggestion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.assignment.models import Group, Participant


class Suggestion(StrEnum):
    """What coordinators could do with a group that is too small."""

    MERGE = "MERGE"
    CANCEL = "CANCEL"


@dataclass(frozen=True, slots=True)
class MinimumShortfall:
    """A group below its minimum and the suggested remedy."""

    group_key: str
    size: int
    min_size: int
    suggestion: Suggestion
    merge_into: str | None
    text: str


def find_shortfalls(
    groups: Sequence[Group],
    members: Mapping[str, list[Participant]],
) -> list[MinimumShortfall]:
    """Suggest merging into the group its members co-list most, or cancelling (then re-run)."""
    sizes = {g.key: len(members.get(g.key, [])) for g in groups}
    by_key = {g.key: g for g in groups}
    shortfalls = []
    for g in groups:
        size = sizes[g.key]
        if size >= g.min_size:
            continue
        co_listed = Counter(
            other for p in members.get(g.key, []) for other in p.preferences if other != g.key
        )
        target = next(
            (
                k
                for k, _ in sorted(co_listed.items(), key=lambda kv: (-kv[1], kv[0]))
                if sizes[k] + size <= by_key[k].max_size
            ),
            None,
        )
        if target is not None and size > 0:
            text = (
                f"{g.key} has {size} of at least {g.min_size}: merge into {target}, "
                f"the group its members list most often and which has room."
            )
            shortfalls.append(
                MinimumShortfall(g.key, size, g.min_size, Suggestion.MERGE, target, text)
            )
        else:
            text = (
                f"{g.key} has {size} of at least {g.min_size}: cancel it and re-run; "
                f"its members then get their next choices."
            )
            shortfalls.append(
                MinimumShortfall(g.key, size, g.min_size, Suggestion.CANCEL, None, text)
            )
    return shortfalls
