"""End to end: the registration card, and people of the partner organisation told by e-mail.

The stand-in models a person of another workspace in a Slack Connect channel: their clicks and
submissions arrive (user.team_id is theirs), users.info answers user_not_found, and every DM to
them is refused (conversations.open: invalid_user_combination; chat.postMessage:
channel_not_found). A real local SMTP server (aiosmtpd) receives what the bot sends instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.ids.around import CardAction
from bot.ids.registration import button_value
from bot.registration.form import FormField
from bot.settings import Settings
from rehearsal.signed_requests import SlackSender
from runtime.bootstrap import build_app
from runtime.server import HttpServer
from storage.models import InboxItem, OutboxMessage, Registration
from tests.conftest import SIGNING_SECRET, RunningBot, load
from tests.support.coordination import COORDINATOR
from tests.support.forms import ANSWERS, count
from tests.support.smtp import Mailbox, smtp_server

PARTNER = "U0PARTNER1"
PARTNER_TEAM = "T0PARTNER"
SHARED = "C0SHARED1"
TITLE = "Digital partnerskapsdag för Umeå universitet och Skellefteå kommun"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def mail_bot(db, clock, slack, mailbox, example) -> Iterator[RunningBot]:
    """The real app with SMTP configured, served over HTTP; the example event loaded."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url, slack_bot_token="xoxb-test", slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url, smtp_url=mailbox.url, mail_from="partnerskapsdag@umu.se",
    )  # fmt: skip
    load(db, example, clock)
    slack.add_external_user(PARTNER, PARTNER_TEAM)
    app, services = build_app(settings, db, clock=clock)
    server = HttpServer(app).start()
    try:
        yield RunningBot(services, SlackSender(server.url, SIGNING_SECRET), slack, server)
    finally:
        services.close()
        server.stop()


def _open_from_card(bot: RunningBot, user: str = PARTNER, team: str = PARTNER_TEAM) -> dict:
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(CardAction.REGISTER, button_value("skelleftea-2021", "sv"), user,
                     user_team=team, response_url=bot.slack.response_url)  # fmt: skip
    return bot.slack.wait_for("views.open", before + 1)[-1].params["view"]


def test_the_card_is_posted_with_three_lines_and_three_buttons(mail_bot):
    reply = mail_bot.sender.command("/samordna", f"kort <#{SHARED}|delad-kanal>", COORDINATOR)
    assert f"Anmälningskortet för *{TITLE}* postas i <#{SHARED}>." in reply.body
    (post,) = mail_bot.slack.wait_for_posts(SHARED)
    blocks = post.params["blocks"]
    blocks = blocks if isinstance(blocks, list) else __import__("json").loads(blocks)
    lines = blocks[0]["text"]["text"].splitlines()
    assert lines == [f"*{TITLE}*", "torsdag 22 april 2021 kl. 08:30–11:45 · Online, via Zoom",
                     "Anmäl dig senast fredag 16 april 2021 kl. 16:30."]  # fmt: skip
    assert [b["text"]["text"] for b in blocks[1]["elements"]] == [
        "Anmäl mig", "Ändra mina val", "Avanmäl mig"]  # fmt: skip
    assert "kommer med e-post" in blocks[2]["elements"][0]["text"]


def test_a_partner_registers_through_the_card_and_is_told_by_email(mail_bot, db, mailbox):
    view = _open_from_card(mail_bot)
    assert mail_bot.slack.calls_to("users.info") == []  # not ours to read
    email_block = next(b for b in view["blocks"] if b.get("block_id") == FormField.EMAIL)
    assert email_block["optional"] is False

    missing = mail_bot.sender.submit_view(view, ANSWERS, PARTNER, user_team=PARTNER_TEAM).json()
    assert missing["response_action"] == "errors"
    assert "Skriv din e-postadress" in missing["errors"][FormField.EMAIL]
    assert count(db, InboxItem) == 0 and count(db, Registration) == 0
    typo = {**ANSWERS, FormField.EMAIL: "kim.skelleftea.se"}
    invalid = mail_bot.sender.submit_view(view, typo, PARTNER, user_team=PARTNER_TEAM).json()
    assert invalid == {
        "response_action": "errors",
        "errors": {FormField.EMAIL: "Det ser inte ut som en e-postadress (t.ex. namn@exempel.se)."},
    }
    assert count(db, InboxItem) == 0 and count(db, Registration) == 0
    assert mailbox.messages == []

    answers = {**ANSWERS, FormField.EMAIL: "kim@skelleftea.se"}
    for _ in range(2):  # a double click: still one registration, one e-mail of each
        reply = mail_bot.sender.submit_view(view, answers, PARTNER, user_team=PARTNER_TEAM)
        assert reply.json()["response_action"] == "update"
    mails = mailbox.wait_for(2)
    assert {m["To"] for m in mails} == {"kim@skelleftea.se"}
    assert all(m["Subject"] == TITLE for m in mails)
    senders = {(a.display_name, a.addr_spec) for m in mails for a in m["From"].addresses}
    assert senders == {("Ida Lindh, strategiskt ansvarig Campus Skellefteå",
                        "partnerskapsdag@umu.se")}  # fmt: skip
    confirmation = next(m for m in mails if not m.is_multipart())
    assert "Du är anmäld till Digital partnerskapsdag" in confirmation.get_content()
    invitation = next(m for m in mails if m.is_multipart())
    (ics,) = [p for p in invitation.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert ics.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(ics.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:kim@skelleftea.se"
    with db.transaction() as session:
        registration = session.scalars(select(Registration)).one()
        assert (registration.team_id, registration.email) == (PARTNER_TEAM, "kim@skelleftea.se")

    def statuses() -> list[str]:  # the 'sent' record follows the server's acceptance
        with db.transaction() as session:
            return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))

    mail_bot.slack.wait_until(lambda: statuses() == ["sent", "sent"], what="both recorded sent")
    assert len(mailbox.messages) == 2
    assert mail_bot.slack.posts(COORDINATOR) == []  # nothing to report


def test_a_refused_address_is_reported_to_the_coordinators(mail_bot, db, mailbox):
    mailbox.refused.add("fel@skelleftea.se")
    view = _open_from_card(mail_bot)
    answers = {**ANSWERS, FormField.EMAIL: "fel@skelleftea.se"}
    mail_bot.sender.submit_view(view, answers, PARTNER, user_team=PARTNER_TEAM)
    reports = mail_bot.slack.wait_for_posts(COORDINATOR)
    assert "smtp_refused_550" in reports[0].params["text"]

    def failed() -> set[str]:
        with db.transaction() as session:
            rows = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))
            return {m.kind for m in rows}

    # both the confirmation and the calendar file, each given up at once (550 is permanent)
    mail_bot.slack.wait_until(lambda: failed() == {"confirmation", "calendar"}, what="failed")
    assert mailbox.messages == []
    assert len(mail_bot.slack.posts(COORDINATOR)) == 1  # one report per event, error, person


def test_without_smtp_the_card_says_a_coordinator_registers_them_and_nothing_is_stored(
    bot, db, clock, example
):
    load(db, example, clock)
    bot.slack.add_external_user(PARTNER, PARTNER_TEAM)
    bot.sender.command("/samordna", f"kort <#{SHARED}>", COORDINATOR)
    (post,) = bot.slack.wait_for_posts(SHARED)
    assert "behöver anmälas av en samordnare" in str(post.params["blocks"])
    bot.sender.click(CardAction.REGISTER, button_value("skelleftea-2021", "sv"), PARTNER,
                     user_team=PARTNER_TEAM, response_url=bot.slack.response_url)  # fmt: skip
    told = bot.slack.wait_for("response_url")[-1].params["text"]
    assert "Be en samordnare för *Digital partnerskapsdag" in told
    assert "Inget har sparats." in told
    assert bot.slack.calls_to("views.open") == []
    assert count(db, Registration) == 0 and count(db, InboxItem) == 0


def test_a_member_of_our_workspace_uses_the_card_like_anmal(mail_bot, db):
    view = _open_from_card(mail_bot, user="U0PARTIC1", team="T00000001")
    email_block = next(b for b in view["blocks"] if b.get("block_id") == FormField.EMAIL)
    assert email_block["optional"] is True
    mail_bot.sender.submit_view(view, ANSWERS, "U0PARTIC1")
    (dm,) = mail_bot.slack.wait_for_posts("U0PARTIC1")
    assert "Du är anmäld" in dm.params["text"]


def test_a_busy_mail_server_is_tried_again_and_the_mail_goes_once(mail_bot, db, clock, mailbox):
    from datetime import timedelta

    mailbox.busy.add("kim@skelleftea.se")
    view = _open_from_card(mail_bot)
    answers = {**ANSWERS, FormField.EMAIL: "kim@skelleftea.se"}
    mail_bot.sender.submit_view(view, answers, PARTNER, user_team=PARTNER_TEAM)
    # the .ics upload's DM was refused (then mailed, and the server said "later")
    mail_bot.slack.wait_for("conversations.open", ok_only=False)
    waiting: list[str | None] = []
    for _ in range(300):  # until both messages are back in the queue (no timing asserted)
        with db.transaction() as session:
            waiting = list(session.scalars(
                select(OutboxMessage.last_error).where(OutboxMessage.status == "pending",
                                                       OutboxMessage.attempts == 1)
            ))  # fmt: skip
        if len(waiting) == 2:
            break
        __import__("time").sleep(0.05)
    assert waiting == ["smtp_SMTPRecipientsRefused"] * 2
    assert mailbox.messages == []
    mailbox.busy.clear()
    clock.advance(timedelta(minutes=2))
    assert mail_bot.services.deliverer.deliver_due() == 2
    assert mail_bot.services.deliverer.deliver_due() == 0  # nothing twice
    assert len(mailbox.wait_for(2)) == 2
    assert mail_bot.slack.posts(COORDINATOR) == []


def test_a_partner_promoted_from_the_waitlist_is_told_by_email(mail_bot, db, clock, example,
                                                               mailbox):  # fmt: skip
    from bot.events.service import upsert_event
    from tests.support.forms import USER, register

    one_seat = example.registration.model_copy(update={"seat_limit": 1})
    with db.transaction() as session:
        upsert_event(session, example.model_copy(update={"registration": one_seat}),
                     now=clock.now())  # fmt: skip
    register(mail_bot)  # a member of our workspace takes the only seat
    view = _open_from_card(mail_bot)
    answers = {**ANSWERS, FormField.EMAIL: "kim@skelleftea.se"}
    mail_bot.sender.submit_view(view, answers, PARTNER, user_team=PARTNER_TEAM)
    (waitlisted,) = mailbox.wait_for(1)
    assert "väntelistan" in waitlisted.get_content()
    buttons = mail_bot.sender.command("/anmal", "avanmal", USER).json()["blocks"][1]["elements"]
    mail_bot.sender.click(buttons[0]["action_id"], buttons[0]["value"], USER,
                          response_url=mail_bot.slack.response_url)  # fmt: skip
    mails = mailbox.wait_for(3)[1:]
    assert any("plats" in m.get_body(("plain",)).get_content() for m in mails)
    assert any(p.get_content_type() == "text/calendar"
               for m in mails for p in m.iter_attachments())  # fmt: skip


def test_a_broadcast_reaches_a_partner_by_email(mail_bot, db, mailbox):
    from tests.e2e.handlers.test_coordinator_broadcast import answers, open_compose, wait_done
    from tests.support.coordination import fast_runner

    view = _open_from_card(mail_bot)
    mail_bot.sender.submit_view(view, {**ANSWERS, FormField.EMAIL: "kim@skelleftea.se"},
                                PARTNER, user_team=PARTNER_TEAM)  # fmt: skip
    mailbox.wait_for(2)  # confirmation and calendar
    fast_runner(mail_bot.services)
    preview = mail_bot.sender.submit_view(open_compose(mail_bot), answers(), COORDINATOR).json()
    mail_bot.sender.submit_view(preview["view"], {}, COORDINATOR)
    wait_done(mail_bot)
    third = mailbox.wait_for(3)[2]
    assert third.get_content().strip() == "Hej! Välkomna på torsdag."
    assert len(mailbox.messages) == 3


def test_a_partner_changes_choices_and_cancels_through_the_card(mail_bot, db, mailbox):
    from bot.ids.registration import Action

    view = _open_from_card(mail_bot)
    mail_bot.sender.submit_view(view, {**ANSWERS, FormField.EMAIL: "kim@skelleftea.se"},
                                PARTNER, user_team=PARTNER_TEAM)  # fmt: skip
    mailbox.wait_for(2)
    value = button_value("skelleftea-2021", "sv")
    opened = len(mail_bot.slack.calls_to("views.open"))
    mail_bot.sender.click(CardAction.EDIT, value, PARTNER, user_team=PARTNER_TEAM,
                          response_url=mail_bot.slack.response_url)  # fmt: skip
    groups = mail_bot.slack.wait_for("views.open", opened + 1)[-1].params["view"]
    assert groups["callback_id"] == "anmal_groups"
    mail_bot.sender.submit_view(groups, {FormField.CHOICE_1: "ai"}, PARTNER, user_team=PARTNER_TEAM)
    changed = mailbox.wait_for(3)[2]
    assert "uppdaterad" in changed.get_content()

    mail_bot.sender.click(CardAction.CANCEL, value, PARTNER, user_team=PARTNER_TEAM,
                          response_url=mail_bot.slack.response_url)  # fmt: skip
    confirm = mail_bot.slack.wait_for("response_url")[-1].params
    yes = confirm["blocks"][1]["elements"][0]
    assert yes["action_id"] == Action.CANCEL_YES
    mail_bot.sender.click(Action.CANCEL_YES, yes["value"], PARTNER, user_team=PARTNER_TEAM,
                          response_url=mail_bot.slack.response_url)  # fmt: skip
    cancel = mailbox.wait_for(4)[3]
    (ics,) = [p for p in cancel.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert ics.get_param("method") == "CANCEL"
    with db.transaction() as session:
        assert session.scalars(select(Registration.status)).one() == "cancelled"
