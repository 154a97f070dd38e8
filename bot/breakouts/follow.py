"""Published groups follow the registrations.

Once the breakout groups are published, a cancellation takes the person out of their group and
a person promoted from the waitlist is placed in the best group with room (their choices in
order, within the group sizes and the organisation caps the engine uses), so the day's posts
name the right people. The coordinators are told what changed, and a re-publication tells only
the people whose group changed. The draft versions after the published one get the same change,
so publishing them later does not undo it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import assignment as engine
from bot import outbox
from bot.assignment.reasons import placement_for
from bot.breakouts.service import latest
from bot.breakouts.service import publish as publish_version
from bot.events.coordinator_dms import tell_coordinators
from bot.events.service import definition_of
from bot.i18n import t
from storage.models import (
    Assignment,
    AssignmentStatus,
    Event,
    Pin,
    Placement,
    Registration,
    RegistrationStatus,
)

GROUPS_KIND = "groups"


def _following(session: Session, event: Event) -> tuple[Assignment | None, list[Assignment]]:
    """The published version and the drafts made after it (they carry the same change)."""
    published = latest(session, event.id, published=True)
    if published is None:
        return None, []
    drafts = session.scalars(
        select(Assignment).where(
            Assignment.event_id == event.id,
            Assignment.status == AssignmentStatus.DRAFT,
            Assignment.version > published.version,
        )
    ).all()
    return published, list(drafts)


def published_group(session: Session, event: Event, user_id: str) -> str | None:
    """The person's group in the published version, if any."""
    published = latest(session, event.id, published=True)
    if published is None:
        return None
    return next((p.group_key for p in published.placements if p.user_id == user_id), None)


def remove_from_groups(session: Session, event: Event, user_id: str) -> None:
    """Take a person who left out of the published groups (and later drafts), pin included."""
    published, drafts = _following(session, event)
    if published is None:
        return
    for version in (published, *drafts):
        for placement in [p for p in version.placements if p.user_id == user_id]:
            version.placements.remove(placement)
    session.execute(delete(Pin).where(Pin.event_id == event.id, Pin.user_id == user_id))
    session.flush()


def choose_group(
    group_max: Mapping[str, int],
    members: Sequence[tuple[str, str]],
    participant: engine.Participant,
    *,
    share: float | None,
) -> engine.Placement:
    """The best group with room for one newcomer: their first choice that has a seat and room
    under the organisation cap (ceil(share * max_size), as the engine's), else the emptiest
    group with room (under the cap if possible), else the emptiest group."""
    sizes = Counter(group for group, _ in members)
    same_org = Counter(group for group, org in members if org == participant.organisation)

    def room(key: str) -> bool:
        return sizes[key] < group_max[key]

    def under_cap(key: str) -> bool:
        return share is None or same_org[key] < math.ceil(share * group_max[key])

    capped: set[tuple[str, str]] = set()
    for key in participant.preferences:
        if key not in group_max or not room(key):
            continue
        if under_cap(key):
            return placement_for(participant, key, False, capped)
        capped.add((key, participant.organisation))
    keys = list(group_max)
    candidates = (
        [k for k in keys if room(k) and under_cap(k)] or [k for k in keys if room(k)] or keys
    )
    best = min(candidates, key=lambda k: (sizes[k] / group_max[k], keys.index(k)))
    return placement_for(participant, best, False, capped)


def place_newcomer(session: Session, event: Event, user_id: str) -> str | None:
    """Place a person just promoted into the published groups; their group key (None when no
    groups are published)."""
    published, drafts = _following(session, event)
    if published is None:
        return None
    already = next((p for p in published.placements if p.user_id == user_id), None)
    if already is not None:
        return already.group_key
    definition = definition_of(event)
    organisation_of = dict(
        session.execute(
            select(Registration.user_id, Registration.organisation).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        ).all()
    )
    registration = session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user_id
        )
    ).one()
    participant = engine.Participant(
        id=user_id,
        organisation=registration.organisation,
        preferences=tuple(registration.preferences),
    )
    members = [(p.group_key, organisation_of.get(p.user_id, "")) for p in published.placements]
    chosen = choose_group(
        {g.key: g.max_size for g in definition.groups},
        members,
        participant,
        share=definition.assignment.org_cap_share,
    )
    for version in (published, *drafts):
        if not any(p.user_id == user_id for p in version.placements):
            version.placements.append(
                Placement(event_id=event.id, user_id=user_id, group_key=chosen.group_key,
                          rank=chosen.rank, reason=str(chosen.reason.value))
            )  # fmt: skip
    session.flush()
    return chosen.group_key


def tell_about_changes(
    session: Session,
    event: Event,
    *,
    left: Sequence[tuple[str | None, str]],
    placed: Mapping[str, str | None],
    now: datetime,
) -> list[int]:
    """DM the coordinators what changed in the published groups: who left which group (None:
    someone who erased their data, not named) and where each newcomer was placed."""
    definition = definition_of(event)
    lang = definition.language

    def name(key: str | None) -> str:
        group = definition.group(key) if key else None
        return group.name if group else str(key)

    lines = [
        t("truth.follow.left", lang, user=user, group=name(group))
        if user
        else t("truth.follow.left_erased", lang, group=name(group))
        for user, group in left
    ]
    lines += [
        t("truth.follow.placed", lang, user=user, group=name(group))
        for user, group in placed.items()
        if group
    ]
    if not lines:
        return []
    text = t("truth.follow.head", lang, title=definition.title, slug=definition.slug,
             lines="\n".join(lines))  # fmt: skip
    digest = hashlib.sha1(f"{now.isoformat()}|{text}".encode()).hexdigest()[:12]
    return tell_coordinators(session, event, text, f"{GROUPS_KIND}:{event.slug}:{digest}", now,
                             kind=GROUPS_KIND)  # fmt: skip


def publish(session: Session, *, slug: str, by: str, now: datetime) -> tuple[Assignment, list[int]]:
    """Publish the newest draft; when it replaces a published version, DM each person whose
    group changed (once per version). Returns the version and the outbox ids to deliver."""
    event = session.scalars(select(Event).where(Event.slug == slug)).one_or_none()
    before = latest(session, event.id, published=True) if event is not None else None
    old = {p.user_id: p.group_key for p in before.placements} if before is not None else {}
    version = publish_version(session, slug=slug, by=by, now=now)
    if before is None or before.id == version.id or event is None:
        return version, []
    definition = definition_of(event)
    lang = definition.language
    ids = []
    for placement in sorted(version.placements, key=lambda p: p.user_id):
        if old.get(placement.user_id) == placement.group_key:
            continue
        group = definition.group(placement.group_key)
        message_id = outbox.enqueue(
            session,
            key=f"regroup:{slug}:{version.version}:{placement.user_id}",
            channel=placement.user_id,
            text=t(
                "truth.regrouped",
                lang,
                title=definition.title,
                group=group.name if group else placement.group_key,
            ),  # fmt: skip
            kind=GROUPS_KIND,
            event_id=event.id,
            now=now,
        )
        ids += [message_id] if message_id else []
    return version, ids
