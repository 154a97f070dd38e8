"""What `rehearse` prints by default: what a coordinator wants to read in a terminal (the event,
the channel's posts, what the coordinators were asked, the summary); the page has the rest."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, TextIO

from bot.timefmt import format_date, format_datetime, format_time
from rehearsal.output import plain
from rehearsal.page.texts import tr

if TYPE_CHECKING:
    from rehearsal.run import Rehearsal

WIDTH = 110


def _first_line(text: str, *, whole: bool) -> str:
    """The first line of a message: cut at WIDTH, or all of it wrapped under the time."""
    line = next((part for part in text.splitlines() if part.strip()), "")
    if whole:
        return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent=" " * 9))
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _posts(
    rehearsal: Rehearsal, out: TextIO, channels: dict[str, str], title: str, *, whole: bool
) -> None:
    """Posts to these channels (or people) by day, one line each (prefixed by a label if any)."""
    tz, lang = rehearsal.definition.tz, rehearsal.definition.language
    out.write(f"\n== {title} ==\n")
    day = None
    for call in rehearsal.slack.posts():
        if call.channel not in channels:
            continue
        local = call.context.get("at", rehearsal.definition.opens_at).astimezone(tz)
        if local.date() != day:
            day = local.date()
            out.write(f"{format_date(day, lang)}\n")
        label = channels[str(call.channel)]
        prefix = f"{label}: " if label else ""
        said = plain(str(call.params.get("text", "")), rehearsal.names)
        text = _first_line(prefix + said, whole=whole)
        out.write(f"  {format_time(local)}  {text}\n")


def print_brief(rehearsal: Rehearsal, out: TextIO) -> None:
    """The event, the channel's day, the coordinators' DMs and the summary."""
    d = rehearsal.definition
    lang, tz = d.language, d.timezone
    when = f"{format_datetime(d.starts_at, tz, lang)}–{format_time(d.ends_at.astimezone(d.tz))}"
    out.write(
        tr(
            "terminal.event",
            lang,
            title=d.title,
            when=when,
            location=d.location,
            seats=d.registration.seat_limit,
            opens=format_datetime(d.opens_at, tz, lang),
            closes=format_datetime(d.closes_at, tz, lang),
        )
        + "\n"
    )
    out.write(tr("terminal.people", lang, n=len(rehearsal.people), seed=rehearsal.seed) + "\n")
    people = {p.user_id for p in rehearsal.people} | set(d.coordinators.users)
    dms = people | {"D" + u[1:] for u in people}
    named = {cid: "#" + str(c.get("name")) for cid, c in rehearsal.slack.channels.items()}
    channels = {
        str(c.channel): "" if c.channel == d.channel else named.get(str(c.channel), str(c.channel))
        for c in rehearsal.slack.posts()
        if c.channel not in dms
    }
    _posts(rehearsal, out, channels, tr("terminal.channel", lang, channel=d.channel), whole=False)
    coordinators = {}
    for user in d.coordinators.users:
        name = rehearsal.names.get(user, user)
        coordinators.update({user: name, "D" + user[1:]: name})
    _posts(rehearsal, out, coordinators, tr("terminal.coordinators", lang), whole=True)
    rehearsal.summary(out)
