"""From a finished rehearsal to the page's data: every Web API call the stand-in recorded (with
its simulated moment and, for modals, the person acting), what people typed and were answered,
and a few counts from the rehearsal's database."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.events.service import first_choices, get_event
from bot.schedule.audience import placements_of
from bot.timefmt import format_date, format_time
from rehearsal.page import charts
from rehearsal.page.model import Day, Entry, Moment, Person
from rehearsal.page.mrkdwn import Names
from rehearsal.page.texts import tr
from storage.models import FeedbackAnswer, Registration

if TYPE_CHECKING:
    from rehearsal.run import Rehearsal

# spread over weeks: shown in the chart
QUIET_KINDS = {"confirmation", "updated", "cancelled", "calendar"}
_BY_ACTOR = {"views.open": "modal", "views.push": "modal", "views.update": "modal_update",
             "response_url": "response"}  # fmt: skip


def _json(value: Any) -> Any:
    """Params arrive as JSON bodies (objects) or form fields (JSON strings)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _user_of(channel: str, known: set[str]) -> str | None:
    """The person a DM channel belongs to (the stand-in names DMs D + the user id's tail)."""
    if channel in known:
        return channel
    if channel[:1] == "D" and "U" + channel[1:] in known:
        return "U" + channel[1:]
    return channel if channel[:1] in ("U", "W") else None


def _entries(rehearsal: Rehearsal, day: Day) -> None:
    """Every recorded call, into a channel's posts or a person's feed."""
    known = {p.user_id for p in day.people}
    group_channels = {cid: "#" + str(c.get("name")) for cid, c in rehearsal.slack.channels.items()}
    last = rehearsal.definition.opens_at
    for call in list(rehearsal.slack.calls):
        at = call.context.get("at") or last
        last = at
        if not call.ok:
            continue
        params = call.params
        blocks = _json(params.get("blocks"))
        blocks = blocks if isinstance(blocks, list) else None
        text = str(params.get("text") or "")
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            kind = {"chat.update": "update", "chat.postEphemeral": "ephemeral"}.get(
                call.method, "post"
            )
            channel = str(params.get("channel") or "")
            user = str(params.get("user")) if kind == "ephemeral" else _user_of(channel, known)
            entry = Entry(at, kind, text, blocks, seq=call.at)
            if user:
                day.feeds.setdefault(user, []).append(entry)
            else:
                day.channels.setdefault(group_channels.get(channel, channel), []).append(entry)
        elif call.method in _BY_ACTOR and call.context.get("actor"):
            view = _json(params.get("view"))
            kind = _BY_ACTOR[call.method]
            entry = Entry(at, kind, text, blocks, view if view else None, seq=call.at)
            day.feeds.setdefault(call.context["actor"], []).append(entry)
        elif call.method == "views.publish":
            view = _json(params.get("view")) or {}
            day.feeds.setdefault(str(params.get("user_id")), []).append(
                Entry(at, "home", view=view, seq=call.at)
            )
        elif call.method == "files.completeUploadExternal":
            files = _json(params.get("files")) or []
            titles = ", ".join(str(f.get("title") or f.get("id")) for f in files)
            channel = str(params.get("channel_id") or params.get("channels") or "")
            user = _user_of(channel, known)
            entry = Entry(at, "file", f"📎 {titles}", seq=call.at)
            if user:
                day.feeds.setdefault(user, []).append(entry)
            else:
                day.channels.setdefault(group_channels.get(channel, channel), []).append(entry)
    for act in rehearsal.acts:
        entry = Entry(act.at, act.kind, act.text, act.blocks, seq=act.seq)
        day.feeds.setdefault(act.user_id, []).append(entry)
    for feed in day.feeds.values():
        feed.sort(key=lambda e: (e.at, e.seq))  # at one simulated moment: as it happened


def _people(rehearsal: Rehearsal, statuses: dict[str, str]) -> list[Person]:
    coordinators = list(rehearsal.definition.coordinators.users)
    lang = rehearsal.definition.language
    people = [
        Person(u, rehearsal.names.get(u, u), role=tr("person.coordinator", lang), coordinator=True)
        for u in coordinators
    ]
    people += [
        Person(p.user_id, p.name, p.organisation, p.role, statuses.get(p.user_id, ""))
        for p in sorted(rehearsal.people, key=lambda p: p.name)
    ]
    return people


def _moments(rehearsal: Rehearsal, entries: list[Any]) -> list[Moment]:
    d, lang = rehearsal.definition, rehearsal.definition.language
    moments = [
        Moment(d.opens_at, tr("timeline.opens", lang), kind="deadline"),
        Moment(d.closes_at, tr("timeline.deadline", lang), kind="deadline"),
        Moment(d.starts_at, tr("timeline.start", lang), kind="day"),
    ]
    for item in d.flat_agenda():
        if item.kind in ("breakout", "regroup"):
            label = tr(f"timeline.{item.kind}", lang, title=item.title)
            moments.append(Moment(d.local(item.start), label, kind=str(item.kind)))
    for line in rehearsal.timeline:
        if line.who == "samordnare" and "publicera" in line.text:
            moments.append(Moment(line.at, tr("timeline.published", lang), kind="deadline"))
    grouped: dict[tuple[datetime, str], list[Any]] = defaultdict(list)
    for entry in entries:
        if entry.kind not in QUIET_KINDS:
            grouped[(entry.at.replace(second=0, microsecond=0), entry.kind)].append(entry)
    for (at, kind), posts in grouped.items():
        detail = posts[0].first_line
        if len(posts) > 1:
            detail = tr("timeline.posts", lang, n=len(posts)) + " · " + detail
        moments.append(Moment(at, tr(f"kind.{kind}", lang), detail, kind=kind))
    return sorted(moments, key=lambda m: m.at)


def _charts(rehearsal: Rehearsal, session: Any, event: Any) -> list[tuple[str, str]]:
    d, lang = rehearsal.definition, rehearsal.definition.language
    times = list(
        session.scalars(select(Registration.created_at).where(Registration.event_id == event.id))
    )
    times = [t if t.tzinfo else t.replace(tzinfo=d.tz) for t in times]
    start, end = d.opens_at, d.closes_at + (d.closes_at - d.opens_at) * 0.05
    step = max(1, round((end - start).days / 5))  # about five dates under the axis
    ticks = []
    for n in range(0, (end - start).days + 1, step):
        moment = start + timedelta(days=n)
        ticks.append((moment, f"{moment.day}/{moment.month}"))
    names = {g.key: g.name for g in d.groups}
    firsts = first_choices(session, event.id)
    orgs = dict(
        session.execute(
            select(Registration.user_id, Registration.organisation).where(
                Registration.event_id == event.id
            )
        ).all()
    )
    mix: dict[str, Counter[str]] = defaultdict(Counter)
    for user, group in placements_of(session, event).items():
        mix[group][orgs.get(user, "?")] += 1
    scores = Counter(
        session.scalars(select(FeedbackAnswer.score).where(FeedbackAnswer.event_id == event.id))
    )
    none = tr("chart.none", lang)
    return [
        (
            tr("chart.registrations", lang),
            charts.registrations_chart(
                times,
                start=start,
                end=end,
                seat_limit=d.registration.seat_limit,
                deadline=d.closes_at,
                tick_labels=ticks,
                title=tr("chart.registrations", lang),
                line_label=tr("chart.registrations.line", lang),
                seats_label=tr("chart.seats", lang, n=d.registration.seat_limit),
                deadline_label=tr("chart.deadline", lang),
            ),
        ),
        (
            tr("chart.firsts", lang),
            charts.bar_chart(
                [(names[k], firsts.get(k, 0)) for k in names],
                title=tr("chart.firsts", lang),
                empty=none,
            ),
        ),
        (
            tr("chart.orgs", lang),
            charts.stacked_bars(
                [(names.get(k, k), dict(sorted(mix[k].items()))) for k in names if k in mix],
                title=tr("chart.orgs", lang),
                empty=none,
            ),
        ),
        (
            tr("chart.feedback", lang),
            charts.bar_chart(
                [(str(s), scores[s]) for s in range(1, 6)] if scores else [],
                title=tr("chart.feedback", lang),
                empty=none,
            ),
        ),
    ]


def collect(rehearsal: Rehearsal, *, summary: str, files: list[str]) -> Day:
    """The page's data from a finished rehearsal."""
    d = rehearsal.definition
    channel_names = {cid: str(c.get("name")) for cid, c in rehearsal.slack.channels.items()}
    when = f"{format_date(d.starts_at, d.language)} {format_time(d.starts_at)}–"
    day = Day(
        title=d.title,
        lang=d.language,
        tz=d.tz,
        names=Names(users=dict(rehearsal.names), channels=channel_names, lang=d.language),
        bot_name=tr("bot", d.language),
        subtitle=f"{when}{format_time(d.ends_at)} · {d.location}",
        files=files,
        summary=summary,
    )
    with rehearsal.db.read() as session:
        event = get_event(session, d.slug)
        assert event is not None
        statuses = dict(
            session.execute(
                select(Registration.user_id, Registration.status).where(
                    Registration.event_id == event.id
                )
            ).all()
        )
        day.people = _people(rehearsal, statuses)
        day.moments = _moments(rehearsal, rehearsal.schedule_entries())
        day.charts = _charts(rehearsal, session, event)
    day.channels[d.channel] = []  # the event channel first, even when quiet
    _entries(rehearsal, day)
    return day
