"""Small text helpers about an event (when, deadline, contact, group names): no Slack objects,
shared by the Block Kit builders, the registration messages and the scheduled posts."""

from __future__ import annotations

from bot.events.schema import EventDefinition
from bot.i18n import t
from bot.timefmt import format_date, format_datetime, format_time


def when(definition: EventDefinition, lang: str) -> str:
    """'torsdag 22 april 2021 kl. 08:30–11:45'."""
    return (
        f"{format_date(definition.date, lang)} {t('dates.at', lang)} "
        f"{format_time(definition.start_time)}–{format_time(definition.end_time)}"
    )


def deadline(definition: EventDefinition, lang: str) -> str:
    return format_datetime(definition.closes_at, definition.timezone, lang)


def contact(definition: EventDefinition, lang: str) -> str:
    """Who to contact: the named contact person, else the coordinators, else the organisers."""
    if definition.contact:
        email = f" ({definition.contact.email})" if definition.contact.email else ""
        return f"{definition.contact.name}{email}"
    people = [f"<@{u}>" for u in definition.coordinators.users]
    if definition.coordinators.usergroup:
        people.append(f"<!subteam^{definition.coordinators.usergroup}>")
    if people:
        return ", ".join(people)
    return t("contact.organisers", lang)


def group_names(definition: EventDefinition, keys: tuple[str, ...] | list[str], lang: str) -> str:
    """'1. Lärare …, 2. AI' in rank order."""
    if not keys:
        return t("reg.summary.none", lang)
    names = []
    for rank, key in enumerate(keys, start=1):
        group = definition.group(key)
        names.append(f"{rank}. {group.name if group else key}")
    return ", ".join(names)
