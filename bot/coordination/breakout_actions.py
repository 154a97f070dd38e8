"""The coordinator's breakout actions (flytta, lossa, publicera) as one domain call with a result.

/samordna and the Home tab both run them and render the result the same way
(bot.blocks.coordinator.build_breakout_text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.coordination.commands import Verb
from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event


@dataclass(frozen=True)
class BreakoutOutcome:
    """What a breakout action did: a person moved (a new draft) or a draft published."""

    verb: Verb  # Verb.MOVE, Verb.UNPIN or Verb.PUBLISH
    slug: str
    title: str
    version: int
    user_id: str | None = None  # MOVE / UNPIN: who was moved or unpinned
    group_name: str | None = None  # MOVE: to which group (its key if it has no name)
    told: tuple[int, ...] = ()  # PUBLISH: outbox ids of the DMs to those whose group changed
    pinned: bool = True  # UNPIN: False when the person was not pinned (nothing changed)


def run_breakout_action(
    session: Session,
    verb: Verb,
    *,
    slug: str,
    by: str,
    now: datetime,
    user_id: str | None = None,
    group_key: str | None = None,
) -> BreakoutOutcome:
    """flytta / lossa / publicera through the breakouts service (it owns the assignment engine)."""
    from bot.breakouts import follow
    from bot.breakouts import service as breakouts  # imports the engine: only when needed

    if verb == Verb.MOVE:
        if not (user_id and group_key):
            raise ValueError("flytta needs a person and a group")
        drafted = breakouts.move(session, slug=slug, user_id=user_id, group_key=group_key,
                                 by=by, now=now)  # fmt: skip
        definition = _definition(session, slug)
        group = definition.group(group_key)
        return BreakoutOutcome(verb, slug, definition.title, drafted.version, user_id=user_id,
                               group_name=group.name if group else group_key)  # fmt: skip
    if verb == Verb.UNPIN:
        if not user_id:
            raise ValueError("lossa needs a person")
        title = _definition(session, slug).title
        if not breakouts.unpin(session, slug=slug, user_id=user_id):
            return BreakoutOutcome(verb, slug, title, 0, user_id=user_id, pinned=False)
        drafted = breakouts.draft(session, slug=slug, now=now)
        return BreakoutOutcome(verb, slug, title, drafted.version, user_id=user_id)
    if verb != Verb.PUBLISH:
        raise ValueError(f"not a breakout action: {verb}")
    published, told = follow.publish(session, slug=slug, by=by, now=now)
    title = _definition(session, slug).title
    return BreakoutOutcome(verb, slug, title, published.version, told=tuple(told))


def _definition(session: Session, slug: str) -> EventDefinition:
    """The event the breakouts service just acted on (it raised reg.unknown_event otherwise)."""
    event = get_event(session, slug)
    if event is None:
        raise DomainError("reg.unknown_event", slug=slug)
    return definition_of(event)
