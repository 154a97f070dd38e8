"""The words of the automatic posts, in the event's language and timezone (no storage here)."""

from __future__ import annotations

from bot.events.meeting import meeting_name
from bot.events.schema import AgendaItem, EventDefinition
from bot.events.texts import deadline, when
from bot.i18n import t
from bot.timefmt import format_span, format_time


def program(definition: EventDefinition) -> str:
    """The agenda, one line per item, parts indented under their section."""
    lines: list[str] = []

    def add(item: AgendaItem, depth: int) -> None:
        speaker = f" – {item.speaker}" if item.speaker else ""
        indent = "    " * depth
        lines.append(f"{indent}{format_span(item.start, item.end)} {item.title}{speaker}")
        for part in item.parts:
            add(part, depth + 1)

    for item in definition.agenda:
        add(item, 0)
    return "\n".join(lines)


def deadline_reminder(definition: EventDefinition, seats_left: int) -> str:
    lang = definition.language
    seats = (
        t("sched.seats_left", lang, seats=seats_left)
        if seats_left > 0
        else t("sched.seats_full", lang)
    )
    return t(
        "sched.deadline_reminder",
        lang,
        title=definition.title,
        when=when(definition, lang),
        deadline=deadline(definition, lang),
        seats=seats,
        slug=definition.slug,
    )


def closed(definition: EventDefinition, registered: int, waitlisted: int, draft: str) -> str:
    return t(
        "sched.closed",
        definition.language,
        title=definition.title,
        registered=registered,
        waitlisted=waitlisted,
        draft=draft,
    )


def join_link(definition: EventDefinition, lang: str, group_names: list[str]) -> str:
    service = meeting_name(definition, lang)
    if definition.join_url:
        link = t("truth.join.link", lang, service=service, link=definition.join_url)
    else:
        link = t("sched.joinlink.nolink", lang, service=service, channel=definition.channel)
    groups = t("sched.joinlink.groups", lang, groups=", ".join(group_names)) if group_names else ""
    return t(
        "sched.joinlink",
        lang,
        title=definition.title,
        when=when(definition, lang),
        link=link,
        program=program(definition),
        groups=groups,
    )


def waiting(definition: EventDefinition, lang: str, position: int) -> str:
    return t("sched.waiting", lang, title=definition.title, position=position)


def morning(definition: EventDefinition) -> str:
    lang = definition.language
    return t(
        "sched.morning",
        lang,
        title=definition.title,
        when=when(definition, lang),
        program=program(definition),
    )


def reminder(definition: EventDefinition, item: AgendaItem, minutes: int) -> str:
    lang = definition.language
    speaker = f" – {item.speaker}" if item.speaker else ""
    key = "sched.reminder" if minutes > 0 else "sched.reminder.now"
    return t(
        key, lang, minutes=minutes, start=format_time(item.start), item=item.title, speaker=speaker
    )


def breakout_group(definition: EventDefinition, item: AgendaItem, group: str, users: list[str]):
    members = ", ".join(f"<@{u}>" for u in users)
    return t(
        "sched.breakout.group",
        definition.language,
        group=group,
        item=item.title,
        span=format_span(item.start, item.end),
        members=members,
    )


def breakout_dm(
    definition: EventDefinition, item: AgendaItem, lang: str, group: str, link: str | None
) -> str:
    link_text = t("sched.breakout.link", lang, link=link) if link else ""
    return t(
        "sched.breakout.dm",
        lang,
        item=item.title,
        span=format_span(item.start, item.end),
        group=group,
        link=link_text,
    )


def feedback(definition: EventDefinition, lang: str) -> str:
    return t("sched.feedback", lang, title=definition.title)
