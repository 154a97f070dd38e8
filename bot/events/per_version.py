"""Values made from one version of an event definition (a validated form, a serialised piece of
a calendar file), kept while that very definition object is in use: the definition cache makes a
new object for each version, so an edited event is never served a stale value."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from bot.events.schema import EventDefinition

V = TypeVar("V")


class PerVersion(Generic[V]):
    def __init__(self, limit: int = 64) -> None:
        self._limit = limit
        self._items: dict[tuple[int, Hashable], tuple[EventDefinition, V]] = {}
        self._lock = threading.Lock()

    def get(self, definition: EventDefinition, key: Hashable, make: Callable[[], V]) -> V:
        """The value for (this definition object, key); made by make() the first time."""
        slot = (id(definition), key)
        cached = self._items.get(slot)
        if cached is not None and cached[0] is definition:  # the very object: the same version
            return cached[1]
        value = make()
        with self._lock:
            if len(self._items) >= self._limit:
                self._items.clear()
            self._items[slot] = (definition, value)
        return value
