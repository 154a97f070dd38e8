"""Dates and times as people read them: in the event's timezone, Swedish format by default."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES, t


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "sv"


def format_date(day: date, lang: str = "sv") -> str:
    """'torsdag 22 april 2021' / 'Thursday 22 April 2021'."""
    lang = _lang(lang)
    weekday = t(f"dates.weekday.{day.isoweekday()}", lang)
    return f"{weekday} {day.day} {t(f'dates.month.{day.month}', lang)} {day.year}"


def format_time(moment: time | datetime) -> str:
    """'08:30' (24-hour clock in both languages)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime, tz: str, lang: str = "sv") -> str:
    """'torsdag 22 april 2021 kl. 08:30' in the event's timezone ('at 08:30' in English)."""
    local = moment.astimezone(ZoneInfo(tz)) if moment.tzinfo else moment
    return f"{format_date(local.date(), lang)} {t('dates.at', _lang(lang))} {format_time(local)}"


def format_span(start: time, end: time) -> str:
    """'08:30–08:40'."""
    return f"{format_time(start)}–{format_time(end)}"
