"""Synthetic participants for the rehearsal: Swedish names, the partners' organisations, and
group preferences skewed the way real ones are (a few popular groups, each organisation leaning
towards its own)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.events.schema import EventDefinition

FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Anders",
    "Emma",
    "Per",
    "Elin",
    "Nils",
    "Ida",
    "Olof",
    "Linnea",
    "Mikael",
    "Frida",
    "Jonas",
    "Hanna",
    "Gustav",
    "Maja",
    "Oskar",
    "Ebba",
    "Viktor",
    "Tove",
    "Henrik",
    "Alva",
    "Magnus",
    "Sofia",
    "Axel",
]
LAST = [
    "Lindström",
    "Nilsson",
    "Johansson",
    "Karlsson",
    "Öberg",
    "Lundberg",
    "Berglund",
    "Sjöberg",
    "Holmgren",
    "Marklund",
    "Nordin",
    "Wikström",
    "Åström",
    "Burman",
    "Renström",
    "Granberg",
    "Lindgren",
    "Ekman",
    "Stenberg",
    "Forsberg",
]
ROLES = [
    "Lärare",
    "Rektor",
    "Socionom",
    "Sjuksköterska",
    "Utvecklingsledare",
    "Forskare",
    "Universitetslektor",
    "Enhetschef",
    "Strateg",
    "Doktorand",
    "Projektledare",
]


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    organisation: str
    role: str
    preferences: tuple[str, ...]
    arrives_at: float  # 0..1: when in the registration window they register
    edits_groups: bool
    cancels: bool


def make_people(definition: EventDefinition, count: int, seed: int) -> list[Person]:
    """count people, ordered by arrival; reproducible for a seed."""
    rng = random.Random(seed)
    organisations = definition.partners or ["Organisation A", "Organisation B"]
    keys = [g.key for g in definition.groups]
    people = []
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        # each organisation favours a different rotation of the groups (Zipf-like weights)
        shift = organisations.index(organisation) * max(1, len(keys) // len(organisations))
        order = keys[shift:] + keys[:shift]
        weights = [1 / (rank + 1) for rank in range(len(order))]
        choices: list[str] = []
        wanted = rng.choice([1, 2, 2, 3, 3, 3])
        while len(choices) < min(wanted, len(order), definition.registration.max_choices):
            pick = rng.choices(order, weights)[0]
            if pick not in choices:
                choices.append(pick)
        people.append(
            Person(
                user_id=f"U{index + 1:08d}",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                organisation=organisation,
                role=rng.choice(ROLES),
                preferences=tuple(choices),
                arrives_at=rng.random(),
                edits_groups=rng.random() < 0.08,
                cancels=rng.random() < 0.05,
            )
        )
    return sorted(people, key=lambda p: p.arrives_at)
