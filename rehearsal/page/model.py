"""What the page shows, as plain data: built by collect.py, drawn by render.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rehearsal.page.mrkdwn import Names


@dataclass(frozen=True)
class Entry:
    """One thing a person or a channel saw (or a person did), at a simulated moment."""

    at: datetime
    kind: str  # post | update | ephemeral | modal | modal_update | home | response | file
    #            | command | click (what the person did)
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    view: dict[str, Any] | None = None
    seq: float = 0.0  # wall-clock order (time.monotonic) among entries of one simulated moment


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    organisation: str = ""
    role: str = ""
    status: str = ""  # registered | waitlisted | cancelled | "" (never registered)
    coordinator: bool = False


@dataclass(frozen=True)
class Moment:
    """A mark on the timeline."""

    at: datetime
    label: str
    detail: str = ""
    kind: str = ""  # css class: deadline, day, breakout, regroup, ...


@dataclass
class Day:
    title: str
    lang: str
    tz: ZoneInfo
    names: Names
    bot_name: str
    subtitle: str = ""
    channels: dict[str, list[Entry]] = field(default_factory=dict)  # '#name' -> posts
    people: list[Person] = field(default_factory=list)
    feeds: dict[str, list[Entry]] = field(default_factory=dict)  # user id -> entries
    moments: list[Moment] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, svg)
    summary: str = ""
    files: list[str] = field(default_factory=list)  # paths relative to the page
