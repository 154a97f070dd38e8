"""What a rehearsal shows once it has run: the terminal's timeline and summary, and the files
(the page first) that `rehearse --out` writes. Mixed into rehearsal.run.Rehearsal."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import func, select

from bot.events.service import count_by_status, first_choices, get_event
from bot.schedule.timeline import Summary, TimelineEntry, timeline
from bot.schedule.timeline import summary as schedule_summary
from bot.timefmt import format_date, format_time
from rehearsal.page.texts import TEXTS, tr
from storage.models import Registration

if TYPE_CHECKING:
    from bot.events.schema import EventDefinition
    from rehearsal.artifacts import Artifacts
    from storage.db import Database


def _word(prefix: str, key: str, lang: str) -> str:
    """The words for an outbox kind or status; the key itself when there are none."""
    return tr(f"{prefix}.{key}", lang) if f"{prefix}.{key}" in TEXTS["sv"] else key


def summary_lines(counted: Summary, definition: EventDefinition, lang: str) -> list[str]:
    """The summary's counts in words, a line each (the printout stays about two screens): posts
    per kind in the order they first went out, by status, and the published groups by name (the
    event's order). Labels may hold commas, so items are separated by semicolons."""

    def items(pairs: list[tuple[str, int]]) -> str:
        return "; ".join(f"{label} {n}" for label, n in pairs) or "–"

    kinds = [(_word("kind", kind, lang), n) for kind, n in counted.kinds.items()]
    statuses = [(_word("status", status, lang), n) for status, n in counted.statuses.items()]
    groups = [(g.name, counted.groups[g.key]) for g in definition.groups if g.key in counted.groups]
    groups += [(key, n) for key, n in counted.groups.items() if definition.group(key) is None]
    return [
        tr("summary.kinds", lang, items=items(kinds)),
        tr("summary.statuses", lang, items=items(statuses)),
        tr("summary.groups", lang, items=items(groups)) if groups
        else tr("summary.no_groups", lang),
    ]  # fmt: skip


# Slack's forms only (a mention, a channel, a special mention, a link): a "<" in words stays
_ANGLE = re.compile(r"<(?:([@#!])([^<>|\s]{1,200})|((?:https?|mailto):[^<>|\s]{1,2000}))"
                    r"(?:\|([^<>\n]{0,2000}))?>")  # fmt: skip


def plain(text: str, names: dict[str, str]) -> str:
    """Slack's angle-bracket forms as a terminal shows them: <@U1> as @name, <#C1|name> as
    #name, <!here> as @here, <!subteam^S1> as @S1 (its handle when given), <!date^…|text> as
    text, <https://x|text> as text (https://x), <mailto:a@b.se> as a@b.se."""

    def one(match: re.Match[str]) -> str:
        sigil, target, link, label = match.groups()
        if sigil == "@":
            return "@" + names.get(target, label or target).removesuffix(" (partner)")
        if sigil == "#":
            return "#" + (label or target)
        if sigil == "!":
            kind, _, argument = target.partition("^")
            if kind == "date":  # its label is the fallback text Slack shows
                return label or argument.split("^")[0]
            return "@" + (label or argument or kind).removeprefix("@")
        shown = link.removeprefix("mailto:")
        return f"{label} ({shown})" if label and label != shown else shown

    return _ANGLE.sub(one, text)


class RehearsalOutput:
    """The output half of a Rehearsal (which provides the attributes below)."""

    definition: EventDefinition
    names: dict[str, str]  # user id -> name, for mentions
    artifacts: Artifacts
    db: Database
    timeline: list[Any]
    people: list[Any]
    slack: Any

    # ----- output -----
    def render(self, out: TextIO, *, around: datetime | None = None, window_min: int = 30) -> None:
        tz = self.definition.tz
        lines = sorted(self.timeline, key=lambda line: line.at)
        if around is not None:
            span = timedelta(minutes=window_min)
            lines = [line for line in lines if abs(line.at - around) <= span]
        day = None
        for line in lines:
            local = line.at.astimezone(tz)
            if local.date() != day:
                day = local.date()
                out.write(f"\n== {format_date(day, self.definition.language)} ==\n")
            out.write(f"{format_time(local)}  {line.who}: {plain(line.text, self.names)}\n")
        self.summary(out)

    def summary(self, out: TextIO) -> None:
        out.write(self.summary_text())

    def summary_text(self) -> str:
        """The summary figures (computed once per state of the run: the page and the terminal
        both show them)."""
        key = len(self.slack.calls)
        if self._summary[0] != key:
            out = io.StringIO()
            self._write_summary(out)
            self._summary = (key, out.getvalue())
        return self._summary[1]

    _summary: tuple[int, str] = (-1, "")

    def schedule_entries(self) -> list[TimelineEntry]:
        """The event's outbox in order (bot.schedule.timeline), read once per state of the run."""
        key = len(self.slack.calls)
        if self._entries[0] != key:
            with self.db.read() as session:
                self._entries = (key, timeline(session, slug=self.definition.slug))
        return self._entries[1]

    _entries: tuple[int, list[TimelineEntry]] = (-1, [])

    def _write_summary(self, out: TextIO) -> None:
        with self.db.transaction() as session:
            event = get_event(session, self.definition.slug)
            assert event is not None
            counts = count_by_status(session, event.id)
            firsts = first_choices(session, event.id)
            people = session.scalar(select(func.count()).select_from(Registration))
        lang = self.definition.language
        out.write(f"\n== {tr('summary.heading', lang)} ==\n")
        figures = tr(
            "summary.people",
            lang,
            tried=len(self.people),
            registered=counts.get("registered", 0),
            seats=self.definition.registration.seat_limit,
            waitlisted=counts.get("waitlisted", 0),
            cancelled=counts.get("cancelled", 0),
            stored=people,
        )
        out.write(figures + "\n")
        for group in self.definition.groups:
            first = tr("summary.first", lang, group=group.name, n=firsts.get(group.key, 0))
            out.write(f"  {first}\n")
        out.write(tr("summary.messages", lang, n=len(self.slack.posts())) + "\n")
        entries = self.schedule_entries()
        with self.db.transaction() as session:
            counted = schedule_summary(session, slug=self.definition.slug, entries=entries)
        for line in summary_lines(counted, self.definition, lang):
            out.write(line + "\n")
