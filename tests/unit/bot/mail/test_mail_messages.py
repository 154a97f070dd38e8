"""E-mails built from outbox messages (pure), and the SMTP settings checked at start."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from bot.mail.messages import build_email, plain_text
from bot.settings import SettingsError, load_settings


def test_mrkdwn_becomes_plain_text():
    text = ":calendar: Du är *anmäld* till _dagen_: <https://umu.zoom.us/j/1|Zoom> <@U01> <https://x.se>"
    assert (
        plain_text(text) == "Du är anmäld till dagen: Zoom (https://umu.zoom.us/j/1)  https://x.se"
    )


def test_the_email_survives_a_round_trip_with_its_calendar_part():
    ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    message = build_email(
        to="kim@skelleftea.se", sender="bot@umu.se", sender_name="Ida Lindh, Campus Skellefteå",
        subject="Partnerskapsdag", text="*Avbokad*", key="ics:dag:U1:1",
        attachment={"filename": "dag-avbokad.ics", "content": ics},
    )  # fmt: skip
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    (sender,) = parsed["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Ida Lindh, Campus Skellefteå", "bot@umu.se")
    assert parsed.get_body(("plain",)).get_content().strip() == "Avbokad"
    (part,) = list(parsed.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "CANCEL"
    assert part.get_filename() == "dag-avbokad.ics"


def test_smtp_settings_are_checked_with_a_clear_line():
    with pytest.raises(SettingsError, match="MAIL_FROM must be an e-mail address"):
        load_settings(_env_file=None, smtp_url="smtp://127.0.0.1:25")
    with pytest.raises(SettingsError, match="SMTP_URL: .*smtp:// or smtps://"):
        load_settings(_env_file=None, smtp_url="http://x", mail_from="a@b.se")
    assert not load_settings(_env_file=None).mail_enabled
    assert load_settings(_env_file=None, smtp_url="smtps://h", mail_from="a@b.se").mail_enabled
