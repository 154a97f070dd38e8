"""The registration inbox: submissions are recorded in one cheap INSERT before Slack gets its
acknowledgement, then processed one at a time per event, oldest first.

Processing locks the event row before it picks the oldest pending submission of that event, so
any number of workers (threads or app instances) keep arrival order and never process one twice;
the submission is marked done in the same transaction as the registration it causes. The
deadline is judged by when the submission was received, not when it is processed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot import outbox
from bot.errors import DomainError
from bot.events.service import definition_of, get_event
from bot.i18n import t
from bot.intake import flows
from bot.registration import batch, messages
from bot.registration.form import (
    CHOICE_FIELDS,
    FormErrors,
    FormField,
    check_preferences,
    validate_form,
)
from storage.group_commit import one_statement
from storage.models import Event, InboxItem

REGISTER = "register"
TEAM_KEY = "_team"  # beside the form's fields: the home team of a person of another workspace
GROUPS = "groups"
MAX_ATTEMPTS = 3


@dataclass
class Processed:
    """What processing one submission led to: the words for the person, messages to send."""

    item_id: int
    user_id: str
    view_id: str | None
    lang: str
    text: str
    outbox_ids: list[int] = field(default_factory=list)


EMAIL_KEY = "profile_email"  # the Slack profile's e-mail, carried beside the form's fields


# with row_of(...): many at once (Database.insert_grouped), as one multi-row statement
INSERT = one_statement(insert(InboxItem).returning(InboxItem.id))


def row_of(
    *,
    kind: str,
    slug: str,
    user_id: str,
    values: dict[str, Any],
    lang: str,
    view_id: str | None,
    now: datetime,
) -> dict[str, Any]:
    """A submission as the inbox row that keeps it until it is processed (its id is its place
    in arrival order)."""
    return {
        "event_slug": slug,
        "user_id": user_id,
        "kind": kind,
        "payload": values,
        "lang": lang,
        "view_id": view_id,
        "received_at": now,
        "status": "pending",
        "attempts": 0,
    }


def record(session: Session | Connection, **fields: Any) -> int:
    """Keep a submission (`fields` as row_of takes them) until it is processed, in the caller's
    transaction; returns its id (= its place in arrival order). The handlers insert row_of(...)
    grouped instead (Database.insert_grouped)."""
    return session.execute(INSERT.values(**row_of(**fields))).scalar_one()


_PENDING_SLUGS = (
    select(InboxItem.event_slug, InboxItem.id)
    .where(InboxItem.status == "pending")
    .order_by(InboxItem.id)
)


def pending_slugs(session: Session) -> list[str]:
    """Events with submissions waiting, oldest submission first."""
    rows = session.execute(_PENDING_SLUGS).all()
    return list(dict.fromkeys(slug for slug, _ in rows))


def _apply(session: Session, item: InboxItem, locked: Event | None = None) -> tuple[str, list[int]]:
    """Run the submission through the registration rules; return the text and outbox ids.

    `locked`: the event row, when the caller holds its lock in this session."""
    event = locked or get_event(session, item.event_slug, with_definition=False)
    if event is None:
        raise DomainError("reg.unknown_event", slug=item.event_slug)
    definition = definition_of(event)
    payload = dict(item.payload)
    email = payload.pop(EMAIL_KEY, None)
    team_id = payload.pop(TEAM_KEY, None)
    values = {FormField(k): v for k, v in payload.items()}
    if item.kind == GROUPS:
        prefs, errors = check_preferences([values.get(f) for f in CHOICE_FIELDS], definition)
        if errors:
            raise FormErrors(errors)
        result = flows.change_groups_in(
            session,
            slug=item.event_slug,
            user_id=item.user_id,
            preferences=prefs,
            lang=item.lang,
            now=item.received_at,
            event=locked,
        )
    else:
        form = validate_form(values, definition)
        result = flows.register_in(
            session,
            slug=item.event_slug,
            user_id=item.user_id,
            form=form,
            locale=item.lang,
            now=item.received_at,
            email=email if isinstance(email, str) else None,
            team_id=team_id if isinstance(team_id, str) else None,
            event=locked,
        )
    reg = result.outcome.registration
    # a repeated identical submission repeats the original news ("you are registered")
    created = result.outcome.created or (item.kind == REGISTER and not result.outcome.changed)
    return messages.confirmation(definition, reg, created=created, lang=item.lang), list(
        result.outbox_ids
    )


def process_next(session: Session, slug: str, *, now: datetime) -> Processed | None:
    """Process the oldest pending submission of one event, in the caller's transaction."""
    # one event's submissions, one at a time
    event = get_event(session, slug, for_update=True, with_definition=False)
    item = session.scalars(
        select(InboxItem)
        .where(InboxItem.event_slug == slug, InboxItem.status == "pending")
        .order_by(InboxItem.id)
        .limit(1)
    ).one_or_none()
    if item is None:
        return None
    outbox_ids: list[int] = []
    try:
        with session.begin_nested():  # a refusal leaves nothing half-done
            text, outbox_ids = _apply(session, item, event)
    except FormErrors as exc:  # the event changed between the ack and now
        text = "\n".join(t(code, item.lang, **params) for code, params in exc.errors.values())
    except DomainError as exc:
        definition = definition_of(event) if event is not None else None
        text = messages.refusal(exc, definition, item.lang)
    item.status = "done"
    item.processed_at = now
    return Processed(item.id, item.user_id, item.view_id, item.lang, text, outbox_ids)


# Built once: a batch's reads and its last write
_PENDING = (
    select(InboxItem)
    .where(
        InboxItem.event_slug == bindparam("slug", type_=InboxItem.event_slug.type),
        InboxItem.status == "pending",
    )
    .order_by(InboxItem.id)
    .limit(bindparam("limit", type_=Integer))
)
_DONE = (
    update(InboxItem)
    .where(InboxItem.id.in_(bindparam("ids", expanding=True)))
    .values(status="done", processed_at=bindparam("now", type_=InboxItem.processed_at.type))
    .execution_options(synchronize_session=False)
)


class Batch(NamedTuple):
    done: list[Processed]
    more: bool  # submissions may still be pending (it stopped early, or took `limit`)


def process_batch(
    session: Session,
    slug: str,
    *,
    now: datetime,
    limit: int,
    enough: Callable[[], bool] = lambda: False,
) -> Batch:
    """Process up to `limit` of the oldest pending submissions of one event, in arrival order,
    under one lock on the event row and in the caller's transaction (one read of the event);
    stop early when enough() says so (the rest stay pending, in order). The messages the batch
    causes (confirmations, calendar files) are recorded together, in one statement.

    No savepoint per submission: every refusal (FormErrors, DomainError) is raised before the
    rules write anything. Any other fault rolls back the whole batch; the caller then falls
    back to process_next, one submission at a time."""
    event = get_event(session, slug, for_update=True, with_definition=False)
    items = session.scalars(_PENDING, {"slug": slug, "limit": limit}).all()
    if not items:
        return Batch([], more=False)
    done: list[Processed] = []
    seen: set[str] = set()
    with (
        outbox.deferred(session) as recorded,
        session.no_autoflush,
        batch.registrations(session, event, [item.user_id for item in items]),
    ):
        for item in items:  # new registrations are written by one flush as the batch ends
            if item.user_id in seen:  # their earlier submission is not written yet: next batch
                break
            seen.add(item.user_id)
            outbox_ids: list[int] = []
            try:
                text, outbox_ids = _apply(session, item, event)
            except FormErrors as exc:
                text = "\n".join(t(code, item.lang, **p) for code, p in exc.errors.values())
            except DomainError as exc:
                definition = definition_of(event) if event is not None else None
                text = messages.refusal(exc, definition, item.lang)
            done.append(Processed(item.id, item.user_id, item.view_id, item.lang, text, outbox_ids))
            if enough():
                break
    for processed in done:  # the messages were recorded in one statement as the block ended
        processed.outbox_ids = outbox.resolve(processed.outbox_ids, recorded)
    session.execute(_DONE, {"ids": [processed.item_id for processed in done], "now": now})
    # whatever arrives after the SELECT kicks the worker again: no need to look now
    return Batch(done, more=len(done) < len(items) or len(items) == limit)


def record_failure(
    session: Session, item_slug: str, *, error: str, now: datetime
) -> Processed | None:
    """After an unexpected fault, count an attempt on the oldest pending item of the event;
    after MAX_ATTEMPTS it is marked failed (and the person told) so the queue moves on."""
    item = session.scalars(
        select(InboxItem)
        .where(InboxItem.event_slug == item_slug, InboxItem.status == "pending")
        .order_by(InboxItem.id)
        .limit(1)
        .with_for_update()
    ).one_or_none()
    if item is None:
        return None
    item.attempts += 1
    item.error = error[:200]
    if item.attempts < MAX_ATTEMPTS:
        return None
    item.status = "failed"
    item.processed_at = now
    return Processed(item.id, item.user_id, item.view_id, item.lang, t("reg.error", item.lang))
