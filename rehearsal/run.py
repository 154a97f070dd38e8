"""The offline rehearsal: the real app, served over HTTP, against an in-process Slack stand-in,
on a simulated clock and a throw-away SQLite database. Synthetic participants use the real
slash commands, modals and buttons; the timeline shows what the bot said to whom and when.

Phases run in order; later features add theirs to PHASES (e.g. the scheduled day).
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.events.schema import EventDefinition
from bot.events.service import upsert_event
from bot.i18n import t
from bot.ids.registration import Action, button_value
from bot.registration.form import CHOICE_FIELDS, FormField
from bot.settings import Settings
from rehearsal.artifacts import Artifacts
from rehearsal.database import Backlog, Writes, throwaway
from rehearsal.day import SchedulingClock, day_phase, schedule_phase
from rehearsal.output import RehearsalOutput
from rehearsal.page.texts import tr
from rehearsal.partners import (
    PARTNERS,
    CapturingMail,
    add_mail_artifacts,
    email_of,
    partner_phase,
)
from rehearsal.people import Person, make_people
from rehearsal.signed_requests import Response, SlackSender
from rehearsal.standin.server import SlackStandIn
from rehearsal.visits import home_phase
from runtime.bootstrap import build_app
from runtime.server import HttpServer
from storage.db import Database
from storage.migrate import create_new

SETTLE_TIMEOUT_S = 15.0


@dataclass
class Line:
    at: datetime
    who: str
    text: str


@dataclass(frozen=True)
class Act:
    """Something a person did (a command, a click) or was answered privately, as it happened."""

    at: datetime  # simulated
    user_id: str
    kind: str  # command | click | ephemeral
    text: str
    blocks: list | None = None
    seq: float = field(default_factory=time.monotonic)  # orders it among the stand-in's calls


@dataclass
class Rehearsal(RehearsalOutput):
    """One run of an event, start to finish, with no Slack account."""

    definition: EventDefinition
    participants: int | None = None
    seed: int = 1
    partners: int = PARTNERS  # people of the partner workspace who register through the card
    timeline: list[Line] = field(default_factory=list)
    artifacts: Artifacts = field(default_factory=Artifacts)
    # what people did and were answered outside the Web API, for the page
    acts: list[Act] = field(default_factory=list)
    actor: str | None = None  # who is acting now (their modals carry no user id)

    def __post_init__(self) -> None:
        self.clock = SchedulingClock(self.definition.opens_at)  # scheduled jobs fire as it moves
        self._tmp = tempfile.TemporaryDirectory(prefix="rehearsal-")
        self.db = Database(f"sqlite:///{Path(self._tmp.name) / 'rehearsal.sqlite3'}")
        throwaway(self.db)
        self.writes = Writes(self.db)  # before any connection: it watches them all
        create_new(self.db)  # a new database: straight from the models, no Alembic
        self.backlog = Backlog(self.db)
        self.slack = SlackStandIn().start()
        self.slack.context = lambda: {"at": self.clock.now(), "actor": self.actor}
        secret = secrets.token_hex(16)
        self.settings = Settings(
            _env_file=None,
            database_url=self.db.url,
            slack_bot_token="xoxb-rehearsal",
            slack_signing_secret=secret,
            slack_api_url=self.slack.api_url,
            scheduler_enabled=False,
            inbox_process=False,  # its inbox worker runs here (a child's clock would not move)
            smtp_url="smtp://rehearsal.invalid",  # never dialled: the mail is captured
            mail_from="partnerskapsdag@rehearsal.invalid",
        )
        app, self.services = build_app(self.settings, self.db, clock=self.clock)
        self.mail = CapturingMail(self.settings.mail_from)
        self.services.deliverer.mail = self.mail  # type: ignore[assignment]
        self.services.broadcasts.mail = self.mail  # type: ignore[assignment]
        self._mails_seen = 0
        self.server = HttpServer(app, threads=8).start()
        self.sender = SlackSender(self.server.url, secret, keep_alive=True)
        seats = self.definition.registration.seat_limit
        # by default the partner organisation's few people (rehearsal/partners.py) are part of
        # the crowd that overfills the seats, not extra to it
        default = seats + max(5, seats // 10) - self.partners
        count = self.participants if self.participants is not None else default
        self.people = make_people(self.definition, count, self.seed)
        self.names = {p.user_id: p.name for p in self.people}
        self.emails = {p.user_id: email_of(p, n) for n, p in enumerate(self.people)}
        for person in self.people:
            self.slack.add_user(person.user_id, real_name=person.name, title=person.role,
                                email=self.emails[person.user_id])  # fmt: skip

    def close(self) -> None:
        self.sender.close()
        self.services.close()
        self.server.stop()
        self.slack.stop()
        self.backlog.close()
        self.db.dispose()
        self._tmp.cleanup()

    # ----- recording -----
    def words(self, key: str, **values: object) -> str:
        """The rehearsal's own narration (say.KEY) in the event's language."""
        return tr(f"say.{key}", self.definition.language, **values)

    def say(self, who: str, text: str, at: datetime | None = None) -> None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        self.timeline.append(Line(at or self.clock.now(), who, first))

    def who(self, channel: str) -> str:
        if channel in self.names:
            return f"{self.names[channel]} (DM)"
        return channel

    def _settle(self, *, files: bool = False) -> None:
        """Wait until every recorded message has been delivered (or failed), then log the DMs.
        Files (calendar invitations) are uploaded in the background, as in the served bot:
        waited for only when files=True (at the end)."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while time.monotonic() < deadline:
            seen = self.writes.count  # before looking: a write during the look is not missed
            if not self.backlog.count(self.clock.now(), files=files):
                break
            # the worker and the deliverer end each step with a write; wait for the next one
            left = max(0.0, deadline - time.monotonic())
            self.writes.wait_after(seen, timeout=min(0.5, left))
        calls = self.slack.calls_to("chat.postMessage")  # one look: none missed between two
        for call in calls[self._posts_seen :]:
            if call.ok:  # an accepted post (SlackStandIn.posts)
                self.say(f"→ {self.who(call.channel or '')}", call.params.get("text", ""))
        self._posts_seen = len(calls)
        self.log_mail()

    _posts_seen: int = 0  # chat.postMessage calls logged (accepted or not)

    def log_mail(self) -> None:
        """The e-mails sent since last time, on the timeline."""
        for message in self.mail.messages[self._mails_seen :]:
            body = message.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            self.say(f"✉ {message['To']}", text)
        self._mails_seen = len(self.mail.messages)

    # ----- participant actions, over HTTP exactly as Slack sends them -----
    def act(self, person: Person, kind: str, text: str, blocks: list | None = None) -> None:
        """Record what a person did (or was privately answered), for the page."""
        self.actor = person.user_id
        self.acts.append(Act(self.clock.now(), person.user_id, kind, text, blocks))

    def command(self, person: Person, text: str) -> Response:
        opened = len(self.slack.calls_to("views.open"))
        self.act(person, "command", f"/anmal {text}".strip())
        reply = self.sender.command("/anmal", text, person.user_id)
        # Bolt answers ack(text=...) as a plain body, ack(text, blocks) as JSON, ack() empty
        answer: dict[str, Any] = (
            reply.json() if reply.body.startswith("{") else {"text": reply.body}
        )
        said = str(answer.get("text") or "")
        if said:
            self.say(self.words("private", who=person.name), said)
            self.act(person, "ephemeral", said, answer.get("blocks"))
        elif reply.status == 200:
            self.slack.wait_for("views.open", opened + 1)
        return reply

    def _last_view(self) -> dict:
        return self.slack.calls_to("views.open")[-1].params["view"]

    def submit(self, person: Person, preferences: tuple[str, ...]) -> Response:
        answers: dict[str, object] = {
            FormField.NAME: person.name,
            FormField.ORGANISATION: person.organisation,
            FormField.ROLE: person.role,
            FormField.CONSENT: ["consent"],
            FormField.EMAIL: self.emails.get(person.user_id, ""),
        }
        for index, field_id in enumerate(CHOICE_FIELDS):
            answers[field_id] = preferences[index] if index < len(preferences) else None
        reply = self.sender.submit_view(self._last_view(), answers, person.user_id)
        self._settle()
        return reply

    def click(self, person: Person, action: str, value: str, label: str = "") -> None:
        seen = len(self.slack.responses())
        self.act(person, "click", label or str(action))
        self.sender.click(action, value, person.user_id, response_url=self.slack.response_url)
        response = self.slack.wait_for("response_url", seen + 1)[-1]
        self.say(self.words("private", who=person.name), response.params.get("text", ""))
        self._settle()

    # ----- phases -----
    def load(self) -> None:
        with self.db.transaction() as session:
            upsert_event(session, self.definition, now=self.clock.now())
        self.say(self.words("coordinator"), self.words("loaded", slug=self.definition.slug))

    def registration_phase(self) -> None:
        d = self.definition
        window = (d.closes_at - d.opens_at) * 0.97
        for person in self.people:
            self.clock.set(max(self.clock.now(), d.opens_at + window * person.arrives_at))
            self.say(f"{person.name} ({person.organisation})", "/anmal")
            if self.command(person, d.slug).status != 200:
                continue
            self.submit(person, person.preferences)
            if person.edits_groups and len(person.preferences) > 1:
                self.clock.advance(timedelta(minutes=7))
                self.say(person.name, "/anmal grupp")
                self.command(person, f"grupp {d.slug}")
                self.submit(person, tuple(reversed(person.preferences)))
        for person in [p for p in self.people if p.cancels]:
            self.clock.advance(timedelta(minutes=13))
            self.say(person.name, "/anmal avanmal")
            self.command(person, f"avanmal {d.slug}")
            yes = t("reg.cancel.yes", d.language)
            self.click(person, Action.CANCEL_YES, button_value(d.slug, d.language), yes)
        if self.people:
            self.clock.set(d.closes_at + timedelta(hours=2))
            late = self.people[-1]
            self.say(f"{late.name}", self.words("late"))
            self.command(late, d.slug)

    def run(self) -> None:
        self.load()
        for phase in PHASES:
            phase(self)
        self._settle(files=True)
        dms = {"D" + user_id[1:]: name for user_id, name in self.names.items()}  # stand-in's DMs
        self.artifacts.add_uploads(self.slack, {**self.names, **dms})
        add_mail_artifacts(self)

    def write_files(self, out_dir: Path) -> list[Path]:
        """Every file the bot uploaded (and any a phase added), written below out_dir, and the
        page (index.html) that shows the day and links to them; the page's path comes first."""
        from rehearsal.page.build import build_page

        files = sorted(self.artifacts.files)
        heading = f"== {tr('summary.heading', self.definition.language)} =="
        summary = self.summary_text().strip().removeprefix(heading).strip()
        page = build_page(self, summary=summary, files=files)
        index = self.artifacts.add("index.html", page.encode())
        written = self.artifacts.write(out_dir)
        return sorted(written, key=lambda p: p.name != index)  # the page first


def _registration(rehearsal: Rehearsal) -> None:
    rehearsal.registration_phase()


PHASES: list[Callable[[Rehearsal], None]] = [
    schedule_phase,
    partner_phase,
    _registration,
    home_phase,
    day_phase,  # Zoom's file after publishing; feedback (visits.feedback_phase) in the day
]
