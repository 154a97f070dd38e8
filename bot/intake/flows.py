"""Registration use cases: one transaction each, with the messages to send recorded in the same
transaction (a transactional outbox), so a stored change and its notice never part ways."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.events.service import definition_of, get_event
from bot.i18n import normalise_language, t
from bot.intake.my_data import describe_stored
from bot.invites import service as invites
from bot.registration import erasure, messages, service
from bot.registration.form import RegistrationForm
from bot.schedule.messages import join_link_for
from bot.schedule.plan import join_link_at
from storage.db import Database
from storage.models import Event, Registration

logger = logging.getLogger(__name__)

Outcome = TypeVar("Outcome", service.SubmitOutcome, service.CancelOutcome)


@dataclass
class FlowResult(Generic[Outcome]):
    """What happened, plus the outbox ids to deliver now."""

    outcome: Outcome
    outbox_ids: list[int] = field(default_factory=list)


def notify_promoted(
    session: Session,
    event: Event,
    user_ids: list[str],
    now: datetime,
    *,
    left: list[tuple[str | None, str]] | None = None,
) -> list[int]:
    """Tell each promoted person by DM, once (keyed by their queue number), placing them in the
    published groups first (if any); the coordinators hear what changed in those groups
    (`left`: who left which group, None for a person who erased their data)."""
    from bot.breakouts import follow  # needs the engine (bot.assignment)

    definition = definition_of(event)
    ids = []
    placed = {user_id: follow.place_newcomer(session, event, user_id) for user_id in user_ids}
    for user_id in user_ids:
        reg = session.scalars(
            select(Registration).where(
                Registration.event_id == event.id, Registration.user_id == user_id
            )
        ).one()
        lang = normalise_language(reg.locale)
        message_id = outbox.enqueue(
            session,
            key=f"promoted:{event.slug}:{user_id}:{reg.queue_no}",
            channel=user_id,
            text=messages.promoted(definition, lang, group_key=placed[user_id]),
            kind="promoted",
            event_id=event.id,
            now=now,
        )
        if message_id:
            ids.append(message_id)
        if join_link_at(definition) <= now < definition.ends_at:  # the links went out already
            link_id = join_link_for(session, event, definition, user_id, now=now)
            ids += [link_id] if link_id else []
        ids += invites.invite(session, event, user_id, now=now)
    return ids + follow.tell_about_changes(session, event, left=left or [], placed=placed, now=now)


def _confirmed(
    session: Session,
    outcome: service.SubmitOutcome,
    *,
    slug: str,
    user_id: str,
    key: str,
    lang: str,
    now: datetime,
    event: Event | None = None,
) -> FlowResult[service.SubmitOutcome]:
    """The flow's result, with the confirmation DM recorded under key when something changed."""
    result = FlowResult(outcome)
    if outcome.changed:
        event = event or get_event(session, slug, with_definition=False)
        assert event is not None
        text = messages.confirmation(
            definition_of(event), outcome.registration, created=outcome.created, lang=lang
        )
        message_id = outbox.enqueue(
            session,
            key=key,
            channel=user_id,
            text=text,
            kind="confirmation",
            event_id=event.id,
            now=now,
        )
        result.outbox_ids += [message_id] if message_id else []
        result.outbox_ids += invites.invite(session, event, user_id, now=now)  # seat: calendar
    return result


def register_in(
    session: Session,
    *,
    slug: str,
    user_id: str,
    form: RegistrationForm,
    locale: str,
    now: datetime,
    team_id: str | None = None,
    email: str | None = None,
    event: Event | None = None,
) -> FlowResult[service.SubmitOutcome]:
    """Register or update in the caller's transaction, and record the confirmation DM (only
    when something changed). team_id: the home team of a person of another workspace; `event`:
    the event row if the caller already holds its lock."""
    outcome = service.submit_registration(
        session, slug=slug, user_id=user_id, form=form, locale=locale, now=now,
        team_id=team_id, email=email, event=event,
    )  # fmt: skip
    revision = outcome.registration.revision
    key = f"confirm:{slug}:{user_id}:{revision}:{form.fingerprint()[:12]}"
    return _confirmed(
        session, outcome, slug=slug, user_id=user_id, key=key, lang=locale, now=now, event=event
    )


def register(
    db: Database, *, slug: str, user_id: str, form: RegistrationForm, locale: str, now: datetime
) -> FlowResult[service.SubmitOutcome]:
    """register_in, in a transaction of its own."""
    with db.transaction() as session:
        return register_in(session, slug=slug, user_id=user_id, form=form, locale=locale, now=now)


def change_groups_in(
    session: Session,
    *,
    slug: str,
    user_id: str,
    preferences: tuple[str, ...],
    lang: str,
    now: datetime,
    event: Event | None = None,
) -> FlowResult[service.SubmitOutcome]:
    """Replace the ranked choices in the caller's transaction, recording the confirmation DM."""
    outcome = service.change_groups(
        session, slug=slug, user_id=user_id, preferences=preferences, now=now, event=event
    )
    key = f"groups:{slug}:{user_id}:{outcome.registration.revision}"
    return _confirmed(
        session, outcome, slug=slug, user_id=user_id, key=key, lang=lang, now=now, event=event
    )


def _release(
    db: Database,
    release: Callable[..., service.CancelOutcome],
    *,
    slug: str,
    user_id: str,
    now: datetime,
) -> FlowResult[service.CancelOutcome]:
    """Cancel or erase in one transaction, with DMs for whoever got the freed seat."""
    from bot.breakouts import follow  # needs the engine (bot.assignment)

    with db.transaction() as session:
        event = get_event(session, slug)
        group = follow.published_group(session, event, user_id) if event is not None else None
        erasing = release is service.erase_registration
        takebacks = erasure.collect(session, event, user_id) if erasing and event else []
        person = invites.person_of(session, event, user_id) if event is not None else None
        outcome = release(session, slug=slug, user_id=user_id, now=now)
        assert event is not None and person is not None
        taken_back = erasure.record(session, event, takebacks, now=now)
        if erasing:  # nothing about the person is kept, not even a CANCEL naming them
            invites.forget(session, event, user_id)  # (the uploaded file itself is deleted)
            cancelled: list[int] = []
        else:
            cancelled = invites.cancel(session, event, person, now=now)  # out of their calendar
        follow.remove_from_groups(session, event, user_id)
        _redraft_unpublished(session, slug, now)
        left = [(None if erasing else user_id, group)] if group else []  # erased: unnamed
        ids = notify_promoted(session, event, outcome.promoted_user_ids, now, left=left)
        return FlowResult(outcome, taken_back + cancelled + ids)


def record_my_data(
    db: Database, *, user_id: str, lang: str, key: str, now: datetime
) -> tuple[str, list[int]]:
    """Record a DM to the person with everything stored about them; (the answer to show, the
    outbox ids to deliver). Nothing stored: nothing sent, and the answer says so."""
    with db.transaction() as session:
        stored = describe_stored(session, user_id=user_id, lang=lang)
        if stored is None:
            return t("truth.mydata.none", lang), []
        message_id = outbox.enqueue(
            session, key=key, channel=user_id, text=stored, kind="private", now=now
        )
    return t("truth.mydata.sent", lang), [message_id] if message_id else []


def _redraft_unpublished(session: Session, slug: str, now: datetime) -> None:
    """A late change before the groups are published re-drafts them (fewest moves)."""
    from bot.breakouts import service as breakouts  # the engine: only when a draft exists

    try:
        with session.begin_nested():  # a failed draft must not undo the cancellation
            breakouts.redraft_if_unpublished(session, slug=slug, now=now)
    except Exception:
        logger.exception("Re-drafting %s after a late change failed", slug)


def cancel(
    db: Database, *, slug: str, user_id: str, now: datetime
) -> FlowResult[service.CancelOutcome]:
    return _release(db, service.cancel_registration, slug=slug, user_id=user_id, now=now)


def erase(
    db: Database, *, slug: str, user_id: str, now: datetime
) -> FlowResult[service.CancelOutcome]:
    return _release(db, service.erase_registration, slug=slug, user_id=user_id, now=now)
