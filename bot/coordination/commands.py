"""/samordna's text: which action, on which event, with which arguments; and which event a
coordinator means when they leave the slug out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.coordination.access import CoordinatorCheck, NotCoordinator
from bot.errors import DomainError
from bot.events.schema_base import SLUG_PATTERN
from bot.events.service import definition_of, get_event, upcoming_events
from storage.models import Event

CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]+)(\|[^>]*)?>$|^(#[a-z0-9][a-z0-9_-]{0,79})$")
USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$")


class Verb(StrEnum):
    BROADCAST = "utskick"
    LIST = "lista"
    EXPORT = "export"
    MOVE = "flytta"
    UNPIN = "lossa"
    PUBLISH = "publicera"
    ZOOM = "zoom"
    CARD = "kort"
    HELP = "hjalp"


ALIASES = {"hjälp": Verb.HELP, "help": Verb.HELP, "": Verb.HELP, "broadcast": Verb.BROADCAST,
           "list": Verb.LIST, "move": Verb.MOVE, "publish": Verb.PUBLISH,
           "card": Verb.CARD, "unpin": Verb.UNPIN}  # fmt: skip


@dataclass(frozen=True)
class SamordnaCommand:
    verb: Verb
    slug: str | None = None
    user_id: str | None = None  # flytta: who
    group_key: str | None = None  # flytta: to which group
    unknown: str | None = None  # text we did not understand (answered with help)
    channel: str | None = None  # kort: where to post the card (None: where the command was)


def parse_samordna(text: str) -> SamordnaCommand:
    """`utskick [SLUG]`, `lista [SLUG]`, `export [SLUG]`, `flytta @person GRUPP [SLUG]`,
    `lossa @person [SLUG]`, `publicera [SLUG]`, `zoom [SLUG]`, `kort [#kanal] [SLUG]`, `hjalp`;
    anything else is help with a note."""
    words = (text or "").split()
    head = words[0].lower() if words else ""
    verb = ALIASES.get(head) or next((v for v in Verb if v.value == head), None)
    if verb is None:
        return SamordnaCommand(Verb.HELP, unknown=text.strip())
    rest = words[1:]
    if verb == Verb.HELP:
        return SamordnaCommand(verb)
    if verb == Verb.MOVE:
        if len(rest) not in (2, 3) or not USER_MENTION.match(rest[0]):
            return SamordnaCommand(Verb.HELP, unknown=text.strip())
        match = USER_MENTION.match(rest[0])
        assert match is not None
        user_id = match.group(1) or match.group(3)
        slug = rest[2].lower() if len(rest) == 3 else None
        return SamordnaCommand(verb, slug=slug, user_id=user_id, group_key=rest[1].lower())
    if verb == Verb.CARD:
        channels = [CHANNEL_MENTION.match(w) for w in rest]
        found = [m.group(1) or m.group(3) for m in channels if m]
        rest = [w for w, m in zip(rest, channels, strict=True) if not m]
        if len(found) > 1 or len(rest) > 1 or (rest and not re.match(SLUG_PATTERN, rest[0])):
            return SamordnaCommand(Verb.HELP, unknown=text.strip())
        return SamordnaCommand(verb, slug=rest[0].lower() if rest else None,
                               channel=found[0] if found else None)  # fmt: skip
    if verb == Verb.UNPIN:
        match = USER_MENTION.match(rest[0]) if rest else None
        if len(rest) not in (1, 2) or match is None:
            return SamordnaCommand(Verb.HELP, unknown=text.strip())
        slug = rest[1].lower() if len(rest) == 2 else None
        return SamordnaCommand(verb, slug=slug, user_id=match.group(1) or match.group(3))
    if len(rest) > 1 or (rest and not re.match(SLUG_PATTERN, rest[0].lower())):
        return SamordnaCommand(Verb.HELP, unknown=text.strip())
    return SamordnaCommand(verb, slug=rest[0].lower() if rest else None)


def coordinated_events(
    session: Session, check: CoordinatorCheck, user_id: str, *, now: datetime
) -> list[Event]:
    """Upcoming events this person coordinates."""
    return [
        e for e in upcoming_events(session, now=now)
        if check.is_coordinator(definition_of(e), user_id)
    ]  # fmt: skip


def event_for(
    session: Session,
    check: CoordinatorCheck,
    *,
    slug: str | None,
    user_id: str,
    action: str,
    now: datetime,
) -> Event:
    """The event the coordinator means, after checking they coordinate it (else DomainError)."""
    if slug is None:
        events = coordinated_events(session, check, user_id, now=now)
        if not events:
            check.refuse(user_id, action=action)
        if len(events) > 1:
            raise DomainError("coord.which_event", slugs=", ".join(f"`{e.slug}`" for e in events))
        return events[0]
    event = get_event(session, slug)
    if event is None or event.purged_at is not None:
        mine = coordinated_events(session, check, user_id, now=now)
        raise DomainError(
            "coord.unknown_event", slug=slug,
            slugs=", ".join(f"`{e.slug}`" for e in mine) or "–",
        )  # fmt: skip
    check.require(definition_of(event), user_id, action=action)
    return event


__all__ = ["NotCoordinator", "SamordnaCommand", "Verb", "event_for", "parse_samordna"]
