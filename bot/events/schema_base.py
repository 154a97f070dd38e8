"""What every part of an event definition shares: the id patterns, the strict base model, the
error that names one field, and how a naive time is read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
USER_ID_PATTERN = r"^[UW][A-Z0-9]{2,}$"
CHANNEL_PATTERN = r"^([CG][A-Z0-9]{2,}|#?[a-z0-9][a-z0-9_-]{0,79})$"


# A reminder more than a week before an item is a typo (minutes meant as hours, or days).
MAX_REMINDER_MINUTES = 7 * 24 * 60
ReminderMinutes = Annotated[int, Field(ge=0, le=MAX_REMINDER_MINUTES)]
DaysBefore = Annotated[int, Field(ge=0, le=120)]


class LocatedError(ValueError):
    """A rule about the whole event that is about one field: `loc` says which (the loader turns
    it into the field's name and line)."""

    def __init__(self, loc: tuple[str | int, ...], message: str):
        self.loc = loc
        super().__init__(message)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """A naive datetime read as local time in tz."""
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
