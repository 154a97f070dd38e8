"""The event definition a coordinator writes in YAML, validated with pydantic.

One file describes everything about a workshop day: registration, groups, agenda, the automatic
posts and the breakout assignment, so no feature needs a second file. Times without a zone are
local times in the event's timezone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from bot.events.schema_base import (
    CHANNEL_PATTERN,
    KEY_PATTERN,
    SLUG_PATTERN,
    USER_ID_PATTERN,
    DaysBefore,
    LocatedError,
    ReminderMinutes,
    Strict,
    aware,
)
from bot.events.vocabulary import RESERVED
from bot.events.workshop_schema import FollowUp, Workshop


class AgendaKind(StrEnum):
    CHECKIN = "checkin"
    PLENARY = "plenary"
    BREAK = "break"
    BREAKOUT = "breakout"
    REGROUP = "regroup"
    SECTION = "section"  # a heading that spans sub-items (e.g. "Workshop 09:30-11:25")


class Group(Strict):
    """A discussion group people can choose and be assigned to."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=75)
    description: str = Field("", max_length=2000)
    min_size: int = Field(0, ge=0)
    max_size: int = Field(ge=1)
    channel: str | None = Field(None, pattern=CHANNEL_PATTERN)

    @model_validator(mode="after")
    def _min_le_max(self) -> Group:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} is larger than max_size {self.max_size}")
        return self


class FocusArea(Strict):
    """A focus area (track) with its discussion groups."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=75)
    description: str = Field("", max_length=3000)
    groups: list[Group] = Field(min_length=1)


class AgendaItem(Strict):
    """One line of the program, with optional sub-items (a section)."""

    start: time
    end: time
    title: str = Field(min_length=1, max_length=150)
    description: str = Field("", max_length=2000)
    speaker: str = Field("", max_length=200)
    kind: AgendaKind = AgendaKind.PLENARY
    channel: str | None = Field(None, pattern=CHANNEL_PATTERN)
    reminder_minutes: list[ReminderMinutes] | None = Field(
        None, description="minutes before start to remind; None = the event's default"
    )
    parts: list[AgendaItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> AgendaItem:
        if self.end <= self.start:
            raise ValueError(f"'{self.title}' ends ({self.end}) before it starts ({self.start})")
        for part in self.parts:
            if part.start < self.start or part.end > self.end:
                raise ValueError(f"'{part.title}' lies outside '{self.title}'")
        return self

    def flatten(self) -> list[AgendaItem]:
        """This item followed by its parts, in order."""
        return [self, *(p for part in self.parts for p in part.flatten())]


class Coordinators(Strict):
    users: list[str] = Field(default_factory=list)
    usergroup: str | None = Field(None, pattern=r"^S[A-Z0-9]{2,}$")

    @field_validator("users")
    @classmethod
    def _user_ids(cls, users: list[str]) -> list[str]:
        for user in users:
            if not re.match(USER_ID_PATTERN, user):
                raise ValueError(f"{user!r} is not a Slack user id (U… or W…)")
        return users


class Contact(Strict):
    name: str = Field(min_length=1, max_length=100)
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None


class Privacy(Strict):
    """The event's privacy notice and who is responsible for the personal data (GDPR)."""

    url: str = Field(pattern=r"^https://\S+$")
    controller: str = Field(min_length=1, max_length=150)


class Registration(Strict):
    opens: datetime
    closes: datetime
    seat_limit: int = Field(ge=1, le=100_000)
    max_choices: int = Field(3, ge=1, le=3)
    audience: str = Field("", max_length=500)

    @model_validator(mode="after")
    def _opens_before_closes(self) -> Registration:
        if self.closes <= self.opens:
            raise ValueError("registration closes before it opens")
        return self

    def opens_at(self, tz: ZoneInfo) -> datetime:
        return aware(self.opens, tz)

    def closes_at(self, tz: ZoneInfo) -> datetime:
        return aware(self.closes, tz)


class Schedule(Strict):
    """When the automatic posts go out (all optional; defaults are the issue's)."""

    deadline_reminder_days: list[DaysBefore] = Field(default_factory=lambda: [3, 1])
    join_link_day_before_at: time = time(15, 0)
    morning_post_at: time | None = None  # default: 30 minutes before the first agenda item
    default_reminder_minutes: list[ReminderMinutes] = Field(default_factory=lambda: [5])
    feedback_after_minutes: int = Field(15, ge=0)
    group_channels: bool = False


class AssignmentConfig(Strict):
    org_cap_share: float | None = Field(0.6, gt=0, le=1)
    seed: int = 2021


class EventDefinition(Strict):
    """A workshop day as a coordinator describes it."""

    slug: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1, max_length=150)
    description: str = Field("", max_length=3000)
    partners: list[str] = Field(default_factory=list)
    date: date
    start_time: time
    end_time: time
    timezone: str = "Europe/Stockholm"
    language: str = Field("sv", pattern=r"^(sv|en)$")
    location: str = Field("", max_length=200)
    join_url: str | None = Field(None, pattern=r"^https://\S+$")
    meeting_service: str | None = Field(
        None, max_length=40, description="e.g. Zoom; default: recognised from join_url"
    )
    channel: str = Field(pattern=CHANNEL_PATTERN)
    registration: Registration
    coordinators: Coordinators = Coordinators()
    contact: Contact | None = None
    privacy: Privacy | None = None
    focus_areas: list[FocusArea] = Field(min_length=1)
    agenda: list[AgendaItem] = Field(default_factory=list)
    schedule: Schedule = Schedule()
    assignment: AssignmentConfig = AssignmentConfig()
    workshop: Workshop = Workshop()
    follow_up: FollowUp = FollowUp()
    retention_days: int | None = Field(None, ge=0)
    cancelled: bool = Field(
        False, description="the coordinators cancelled the day: calendars get a CANCEL"
    )

    @field_validator("slug")
    @classmethod
    def _not_a_command_word(cls, value: str) -> str:
        if value in RESERVED:
            raise ValueError(f"'{value}' is a word /anmal understands; choose another slug")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (e.g. Europe/Stockholm)") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> EventDefinition:
        keys = [g.key for g in self.groups]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"group keys must be unique in the event: {', '.join(duplicates)}")
        area_keys = [a.key for a in self.focus_areas]
        if len(set(area_keys)) != len(area_keys):
            raise ValueError("focus area keys must be unique in the event")
        if self.end_time <= self.start_time:
            raise ValueError("end_time is before start_time")
        if self.registration.closes_at(self.tz) > self.starts_at:
            raise ValueError("registration closes after the event starts")
        self._agenda_within_the_day()
        return self

    def _agenda_within_the_day(self) -> None:
        """Every agenda item lies within start_time-end_time; a check-in may open earlier."""
        for index, item in enumerate(self.agenda):
            early = item.kind == AgendaKind.CHECKIN
            if (item.start < self.start_time and not early) or item.end > self.end_time:
                raise LocatedError(
                    ("agenda", index),
                    f"'{item.title}' ({item.start:%H:%M}-{item.end:%H:%M}) lies outside the day "
                    f"({self.start_time:%H:%M}-{self.end_time:%H:%M})",
                )

    # ----- derived values (one place for every feature) -----
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def groups(self) -> list[Group]:
        return [g for area in self.focus_areas for g in area.groups]

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def focus_area_of(self, group_key: str) -> FocusArea | None:
        return next(
            (a for a in self.focus_areas if any(g.key == group_key for g in a.groups)), None
        )

    def local(self, moment: time) -> datetime:
        """A time on the event's day as an aware datetime in the event's timezone."""
        return datetime.combine(self.date, moment, tzinfo=self.tz)

    @property
    def starts_at(self) -> datetime:
        return self.local(self.start_time)

    @property
    def ends_at(self) -> datetime:
        return self.local(self.end_time)

    @property
    def opens_at(self) -> datetime:
        return self.registration.opens_at(self.tz)

    @property
    def closes_at(self) -> datetime:
        return self.registration.closes_at(self.tz)

    def flat_agenda(self) -> list[AgendaItem]:
        return [p for item in self.agenda for p in item.flatten()]

    def day_before(self, moment: time) -> datetime:
        return datetime.combine(self.date - timedelta(days=1), moment, tzinfo=self.tz)
