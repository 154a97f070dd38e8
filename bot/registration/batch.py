"""A batch of submissions for one event under one lock (the inbox in a deadline rush).

registrations() reads the batch's people's registrations in one query and counts the waitlist
once, keeping both in the session's own info: the rules then find a person's registration
without a query, a new arrival at the end of the waitlist is at place count + 1, and new
registrations are written together by one flush as the block ends. The caller keeps autoflush off
meanwhile and never lets one person appear twice in a batch (their second submission waits for
the next one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Event, Registration, RegistrationStatus

BATCH = "registration_batch"


@contextmanager
def registrations(session: Session, event: Event | None, user_ids: list[str]) -> Iterator[None]:
    """A batch of submissions by these people for one locked event (None: no such event, the
    rules refuse each one) in this session. As the block ends, what the batch added is written
    by one flush; after a fault nothing is flushed, and either way the session leaves batch
    mode (its next statements are on their own again)."""
    if event is not None:
        _begin(session, event, user_ids)
    try:
        yield
    finally:
        session.info.pop(BATCH, None)
    session.flush()


def _begin(session: Session, event: Event, user_ids: list[str]) -> None:
    waitlisted = session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    known: dict[tuple[int, str], Registration | None] = {(event.id, u): None for u in user_ids}
    for registration in session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id.in_(user_ids)
        )
    ):
        known[event.id, registration.user_id] = registration
    session.info[BATCH] = {"tail": {event.id: waitlisted or 0}, "known": known}


def active(session: Session) -> bool:
    return BATCH in session.info


def known_registration(
    session: Session, event_id: int, user_id: str
) -> tuple[bool, Registration | None]:
    """(True, the registration or None) when the batch read it; (False, None) otherwise."""
    batch = session.info.get(BATCH)
    if batch is None or (event_id, user_id) not in batch["known"]:
        return False, None
    return True, batch["known"][event_id, user_id]


def join_waitlist_tail(session: Session, registration: Registration) -> int | None:
    """A new arrival's place at the end of the waitlist, or None (not waitlisted, no batch)."""
    batch = session.info.get(BATCH)
    if batch is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    tails = batch["tail"]
    tails[registration.event_id] += 1
    return tails[registration.event_id]
