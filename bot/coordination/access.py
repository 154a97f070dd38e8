"""Who may coordinate an event: the users named in its definition, or members of its user group.

User group members come from a resolver (Slack's usergroups.users.list in production) and are
cached briefly, so a burst of clicks does not become a burst of API calls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.errors import DomainError
from bot.events.schema import EventDefinition

logger = logging.getLogger(__name__)

UsergroupResolver = Callable[[str], list[str]]
CACHE_SECONDS = 60.0


class NotCoordinator(DomainError):
    """The person is not a coordinator of the event."""

    def __init__(self, slug: str):
        super().__init__("coord.not_coordinator", slug=slug)


class CoordinatorCheck:
    """Answers 'is this user a coordinator of this event?' on the server side."""

    def __init__(
        self,
        resolver: UsergroupResolver,
        *,
        ttl: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._resolver = resolver
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def members(self, usergroup: str) -> frozenset[str]:
        """The group's members, from the cache when fresh; an unreachable group has none."""
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(usergroup)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        try:
            users = frozenset(self._resolver(usergroup))
        except Exception:
            logger.warning("Could not list the members of user group %s", usergroup)
            return frozenset()
        with self._lock:
            self._cache[usergroup] = (now, users)
        return users

    def is_coordinator(self, definition: EventDefinition, user_id: str) -> bool:
        if user_id in definition.coordinators.users:
            return True
        group = definition.coordinators.usergroup
        if not group:
            return False
        return user_id in self.members(group)

    def require(self, definition: EventDefinition, user_id: str, *, action: str) -> None:
        """Raise NotCoordinator (and log the attempt) unless user_id coordinates the event."""
        if not self.is_coordinator(definition, user_id):
            logger.warning(
                "Refused coordinator action %r on %s by %s (not a coordinator)",
                action, definition.slug, user_id,
            )  # fmt: skip
            raise NotCoordinator(definition.slug)

    def refuse(self, user_id: str, *, action: str) -> None:
        """Refuse (and log) someone who coordinates no upcoming event."""
        logger.warning(
            "Refused coordinator action %r by %s (coordinates no upcoming event)", action, user_id
        )
        raise NotCoordinator("")
