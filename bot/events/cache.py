"""Event definitions kept in memory for a few seconds, so the acknowledgement path of a busy
deadline never reads and re-validates the stored definition on every request."""

from __future__ import annotations

import threading
import time

from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event
from storage.db import Database

TTL_SECONDS = 5.0  # an edited event file is seen within this long (processing always re-reads)


class EventCache:
    def __init__(self, db: Database, ttl: float = TTL_SECONDS):
        self._db = db
        self._ttl = ttl
        self._entries: dict[str, tuple[float, EventDefinition | None]] = {}
        self._lock = threading.Lock()

    def get(self, slug: str) -> EventDefinition | None:
        """The event's definition, or None if there is no such event."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(slug)
        if entry and now - entry[0] < self._ttl:
            return entry[1]
        with self._db.read() as session:
            event = get_event(session, slug)
            definition = definition_of(event) if event and event.purged_at is None else None
        with self._lock:
            self._entries[slug] = (now, definition)
        return definition
