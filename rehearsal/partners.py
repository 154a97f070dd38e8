"""The rehearsal's partner organisation: people of another workspace register through the
registration card in a shared (Slack Connect) channel and are told by e-mail; the coordinator
then takes Zoom's pre-assignment file. E-mails are captured (no server needed) and left, with
the calendar files and the Zoom CSV, in `rehearse --out DIR`.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from email.message import EmailMessage

from bot.ids.around import CardAction
from bot.ids.registration import button_value
from bot.registration.form import CHOICE_FIELDS, FormField
from rehearsal.people import Person, make_people

PARTNER_TEAM = "T0PARTNER1"
SHARED_CHANNEL = "C0DELAD01"
SHARED_CHANNEL_NAME = "partnerskap-delad"
PARTNERS = 3
WITHOUT_EMAIL_EVERY = 17  # a few people have no address in their profile (placed by hand)
DOMAINS = {"Umeå universitet": "umu.se", "Skellefteå kommun": "skelleftea.se"}


class CapturingMail:
    """Stands in for workers.mail.MailSender: keeps every e-mail instead of sending it."""

    def __init__(self, sender: str):
        self.sender = sender
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def email_of(person: Person, index: int) -> str:
    """A plausible work address for a synthetic person ('' for every WITHOUT_EMAIL_EVERY-th)."""
    if index % WITHOUT_EMAIL_EVERY == WITHOUT_EMAIL_EVERY - 1:
        return ""
    plain = unicodedata.normalize("NFKD", person.name).encode("ascii", "ignore").decode()
    local = ".".join(plain.lower().split())
    return f"{local}.{index}@{DOMAINS.get(person.organisation, 'example.org')}"


def _samordna(rehearsal, coordinator: str, text: str, *, shown: str | None = None) -> None:
    """A coordinator's /samordna TEXT, and its private answer, on the timeline (the command as
    `shown`, when its raw text is Slack markup)."""
    reply = rehearsal.sender.command("/samordna", text, coordinator)
    who = rehearsal.words("coordinator")
    rehearsal.say(who, f"/samordna {shown or text}")
    rehearsal.say(rehearsal.words("private", who=who), reply.body)


def partner_phase(rehearsal) -> None:
    """The card in the shared channel; a few people of the partner workspace register by it."""
    definition = rehearsal.definition
    coordinator = next(iter(definition.coordinators.users), "samordnare")
    rehearsal.clock.set(definition.opens_at + timedelta(hours=3))
    rehearsal.slack.add_channel(SHARED_CHANNEL, SHARED_CHANNEL_NAME)  # the partners' own
    _samordna(rehearsal, coordinator, f"kort <#{SHARED_CHANNEL}|{SHARED_CHANNEL_NAME}>",
              shown=f"kort #{SHARED_CHANNEL_NAME}")  # fmt: skip
    # the card is recorded after the acknowledgement: wait for it, or the clock may move on
    # before it is sent (it was stamped 12:11, with the first partner, in some runs)
    rehearsal.slack.wait_for_posts(SHARED_CHANNEL)
    rehearsal._settle()
    if not rehearsal.partners:
        return
    guests = make_people(definition, rehearsal.partners, rehearsal.seed + 1000)
    for n, guest in enumerate(guests):
        person = Person(**{**guest.__dict__, "user_id": f"UP{n + 1:07d}",
                           "organisation": "Skellefteå kommun"})  # fmt: skip
        rehearsal.names[person.user_id] = f"{person.name} (partner)"
        rehearsal.slack.add_external_user(person.user_id, PARTNER_TEAM)
        rehearsal.clock.advance(timedelta(minutes=11))
        opened = len(rehearsal.slack.calls_to("views.open"))
        value = button_value(definition.slug, definition.language)  # as the card's button
        rehearsal.sender.click(CardAction.REGISTER, value, person.user_id, user_team=PARTNER_TEAM,
                               response_url=rehearsal.slack.response_url)  # fmt: skip
        rehearsal.slack.wait_for("views.open", opened + 1)
        rehearsal.say(rehearsal.words("partner", name=person.name, org=person.organisation),
                      rehearsal.words("card_register"))  # fmt: skip
        answers: dict[str, object] = {
            FormField.NAME: person.name, FormField.ORGANISATION: person.organisation,
            FormField.ROLE: person.role, FormField.CONSENT: ["consent"],
            FormField.EMAIL: email_of(person, n),
        }  # fmt: skip
        for index, field_id in enumerate(CHOICE_FIELDS):
            answers[field_id] = (
                person.preferences[index] if index < len(person.preferences) else None
            )
        view = rehearsal.slack.calls_to("views.open")[-1].params["view"]
        rehearsal.sender.submit_view(view, answers, person.user_id, user_team=PARTNER_TEAM)
        rehearsal._settle()


def zoom_phase(rehearsal) -> None:
    """After the day's groups are published: the coordinator takes Zoom's pre-assignment."""
    definition = rehearsal.definition
    coordinator = next(iter(definition.coordinators.users), "samordnare")
    uploads = len(rehearsal.slack.calls_to("files.completeUploadExternal"))
    _samordna(rehearsal, coordinator, f"zoom {definition.slug}")
    rehearsal.slack.wait_for("files.completeUploadExternal", uploads + 1)


def add_mail_artifacts(rehearsal) -> None:
    """Every captured e-mail as .eml, and its calendar files as .ics, under e-post/."""
    for n, message in enumerate(rehearsal.mail.messages, start=1):
        to = str(message["To"])
        rehearsal.artifacts.add(f"e-post/{n:03d}-{to}.eml", message.as_bytes())
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                content = part.get_content()
                data = content.encode("utf-8") if isinstance(content, str) else content
                rehearsal.artifacts.add(f"e-post/{n:03d}-{to}-{part.get_filename()}", data)
