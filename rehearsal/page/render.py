"""The page: one self-contained HTML document from a Day (no network; inline CSS, JS and SVG)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import quote

from bot.timefmt import format_date, format_time
from rehearsal.page.blocks import home_html, message_body, modal_html
from rehearsal.page.charts import timeline_strip
from rehearsal.page.model import Day, Entry, Person
from rehearsal.page.mrkdwn import to_html
from rehearsal.page.style import CSS, SCRIPT
from rehearsal.page.texts import tr

_FROM_PERSON = {"command", "click"}
# only the page's own script may run: anything that slipped into the markup would not
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{_SCRIPT_HASH}'"
)


def _initials(name: str) -> str:
    return "".join(part[:1] for part in name.split()[:2]).upper() or "?"


def _day_separator(current: date | None, moment_day: date, lang: str) -> tuple[date, str]:
    if current == moment_day:
        return current, ""
    return (
        moment_day,
        f'<div class="daysep"><span>{escape(format_date(moment_day, lang))}</span></div>',
    )


def _message(day: Day, entry: Entry, person: Person | None) -> str:
    """One entry as a Slack message row (the bot's, or the person's own)."""
    lang, local = day.lang, entry.at.astimezone(day.tz)
    stamp = f'<span class="ts">{format_time(local)}</span>'
    if entry.kind in _FROM_PERSON and person is not None:
        verb = tr(f"feed.{entry.kind}", lang)
        return (
            f'<div class="msg mine"><div class="avatar person">{escape(_initials(person.name))}'
            f'</div><div class="body"><span class="who">{escape(person.name)}</span>{stamp}'
            f'<div class="note">{escape(verb)}</div><div class="block"><code>{escape(entry.text)}'
            "</code></div></div></div>"
        )
    note = ""
    if entry.kind == "modal":
        body, note = modal_html(entry.view or {}, day.names), tr("feed.modal", lang)
    elif entry.kind == "modal_update":
        body, note = modal_html(entry.view or {}, day.names), tr("feed.modal_update", lang)
    elif entry.kind == "home":
        body, note = home_html(entry.view or {}, day.names), tr("feed.home", lang)
    else:
        body = message_body(entry.text, entry.blocks, day.names)
        if entry.kind == "ephemeral":
            note, body = tr("feed.ephemeral", lang), f'<div class="ephemeral">{body}</div>'
        elif entry.kind == "response":
            note = tr("feed.response", lang)
    note_html = f'<div class="note">{escape(note)}</div>' if note else ""
    return (
        f'<div class="msg"><div class="avatar">🤖</div><div class="body">'
        f'<span class="who">{escape(day.bot_name)}</span><span class="tag">'
        f"{escape(tr('app', lang))}</span>{stamp}{note_html}{body}</div></div>"
    )


def _feed(day: Day, entries: list[Entry], person: Person | None, empty: str) -> str:
    if not entries:
        return f'<p class="muted" style="padding:12px 16px">{escape(empty)}</p>'
    rows, current = [], None
    for entry in entries:
        current, separator = _day_separator(current, entry.at.astimezone(day.tz).date(), day.lang)
        rows.append(separator + _message(day, entry, person))
    return "".join(rows)


_LABELLED_BEFORE = {"deadline", "deadline-reminder", "closed", "joinlink", "promoted"}
_LABELLED_ON_THE_DAY = {"day", "morning", "breakout", "regroup", "feedback"}


def _strips(day: Day) -> str:
    """Two time axes: the weeks before the day, and the day itself, with the moments marked."""
    start = next((m.at for m in day.moments if m.kind == "day"), None)
    if start is None or not day.moments:
        return ""
    local_day = start.astimezone(day.tz).date()
    before = [m for m in day.moments if m.at.astimezone(day.tz).date() < local_day]
    during = [m for m in day.moments if m.at.astimezone(day.tz).date() >= local_day]
    strips = []
    if before:
        first, last = before[0].at, start
        step = max(1, round((last - first).days / 6))
        ticks = [
            (first + timedelta(days=n), f"{(first + timedelta(days=n)).astimezone(day.tz):%-d/%-m}")
            for n in range(0, (last - first).days + 1, step)
        ]
        marks = [(m.at, f"{_when(day, m.at)} {m.label}", m.kind, m.kind in _LABELLED_BEFORE)
                 for m in before]  # fmt: skip
        strips.append(timeline_strip(marks, start=first, end=last, tick_labels=ticks, title=""))
    first = min(m.at for m in during) - timedelta(minutes=15)
    last = max(m.at for m in during) + timedelta(minutes=15)
    hours = first.astimezone(day.tz).replace(minute=0, second=0, microsecond=0)
    ticks = []
    while hours <= last:
        if hours >= first:
            ticks.append((hours, f"{hours:%H:%M}"))
        hours += timedelta(hours=1)
    marks = [(m.at, f"{format_time(m.at.astimezone(day.tz))} {m.label}", m.kind,
              m.kind in _LABELLED_ON_THE_DAY) for m in during]  # fmt: skip
    strips.append(timeline_strip(marks, start=first, end=last, tick_labels=ticks, title=""))
    return f'<div class="card strips">{"".join(strips)}</div>'


def _when(day: Day, moment: datetime) -> str:
    local = moment.astimezone(day.tz)
    return f"{local.day}/{local.month} {format_time(local)}"


def _timeline(day: Day) -> str:
    rows, current = [], None
    for moment in day.moments:
        local = moment.at.astimezone(day.tz)
        if local.date() != current:
            current = local.date()
            rows.append(f'<li class="date">{escape(format_date(current, day.lang))}</li>')
        detail = (
            f'<div class="detail">{to_html(moment.detail, day.names)}</div>'
            if moment.detail
            else ""
        )
        rows.append(
            f'<li class="{escape(moment.kind, quote=True)}"><time>{format_time(local)}</time>'
            f"{escape(moment.label)}{detail}</li>"
        )
    return f'{_strips(day)}<ol class="timeline">{"".join(rows)}</ol>'


def _channels(day: Day) -> str:
    options, panes = [], []
    for i, (name, entries) in enumerate(day.channels.items()):
        key = f"c{i}"
        options.append(f'<option value="{key}">{escape(name)} ({len(entries)})</option>')
        panes.append(
            f'<div class="slack" data-channel="{key}"><div class="chname">{escape(name)}</div>'
            f"{_feed(day, entries, None, tr('channel.empty', day.lang))}</div>"
        )
    picker = (
        f'<label class="picker">{escape(tr("channel.pick", day.lang))} '
        f'<select id="channel-picker" data-show="channel">{"".join(options)}</select></label>'
    )
    return picker + "".join(panes)


def _person_label(person: Person, lang: str) -> str:
    extra = [person.organisation] if person.organisation else [person.role]
    if person.role and person.role in person.name:  # "samordnare U01…" says it already
        extra = []
    if person.status in ("waitlisted", "cancelled"):
        extra.append(tr(f"person.{person.status}", lang))
    shown = ", ".join(e for e in extra if e)
    return f"{person.name} ({shown})" if shown else person.name


def _people(day: Day) -> str:
    options, panes = [], []
    for person in day.people:
        entries = day.feeds.get(person.user_id, [])
        key = escape(person.user_id, quote=True)
        label = escape(_person_label(person, day.lang))
        options.append(f'<option value="{key}">{label} · {len(entries)}</option>')
        panes.append(
            f'<div class="slack feed" data-person="{key}"><div class="chname">{label}</div>'
            f"{_feed(day, entries, person, tr('person.empty', day.lang))}</div>"
        )
    picker = (
        f'<label class="picker">{escape(tr("person.pick", day.lang))} '
        f'<select id="person-picker" data-show="person">{"".join(options)}</select></label>'
    )
    return picker + "".join(panes)


def _charts(day: Day) -> str:
    cards = "".join(
        f'<div class="card"><h3>{escape(title)}</h3>{svg}</div>' for title, svg in day.charts
    )
    return f'<div class="charts">{cards}</div>'


def _files(day: Day) -> str:
    if not day.files:
        return f'<p class="muted">{escape(tr("files.none", day.lang))}</p>'
    items = "".join(
        f'<li><a href="{escape(quote(path), quote=True)}">{escape(path)}</a></li>'
        for path in day.files
    )
    return f"<p>{escape(tr('files.lead', day.lang))}</p><ul>{items}</ul>"


def render_page(day: Day) -> str:
    """The whole page as one HTML string."""
    lang = day.lang
    sections = [
        ("timeline", tr("nav.timeline", lang), _timeline(day)),
        ("channels", tr("nav.channels", lang), _channels(day)),
        ("person", tr("nav.person", lang), _people(day)),
        ("charts", tr("nav.charts", lang), _charts(day)),
        ("summary", tr("nav.summary", lang), f'<pre class="summary">{escape(day.summary)}</pre>'),
        ("files", tr("nav.files", lang), _files(day)),
    ]
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>{content}</section>'
        for key, title, content in sections
    )
    title = tr("page.title", lang, title=day.title)
    return (
        f'<!DOCTYPE html><html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{escape(day.subtitle)}</p>"
        f"<p>{escape(tr('page.lead', lang))}</p></header><nav>{nav}</nav><main>{body}</main>"
        f"<script>{SCRIPT}</script></body></html>"
    )
