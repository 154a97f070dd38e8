"""E-mail through SMTP (SMTP_URL, MAIL_FROM): for people Slack will not let the bot DM.

The outbox's Deliverer hands a message here when Slack refuses a DM to a person who registered
with an e-mail address (someone of the partner organisation, through a Slack Connect channel).
A refused recipient is permanent; anything else (the server away, a 4xx) is retried by the
Deliverer like a Slack fault, and reported to the coordinators when it gives up.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from bot.settings import Settings

logger = logging.getLogger(__name__)
TIMEOUT_S = 10


class MailRefused(Exception):
    """The server will not take the message for this recipient: trying again will not help."""


class MailSender:
    """Sends EmailMessages through the one configured SMTP server."""

    def __init__(self, settings: Settings):
        url = urlsplit(settings.smtp_url)
        self.ssl = url.scheme == "smtps"
        self.host = url.hostname or "localhost"
        self.port = url.port or (465 if self.ssl else 25)
        self.user = unquote(url.username or "")
        self.password = unquote(url.password or "")
        self.starttls = parse_qs(url.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.sender = settings.mail_from

    def send(self, message: EmailMessage) -> None:
        """Send one message; MailRefused when the recipient is refused for good."""
        smtp_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        try:
            with smtp_class(self.host, self.port, timeout=TIMEOUT_S) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise MailRefused(f"smtp_refused_{codes[0]}") from exc
            raise
        logger.info("Mailed %s to %s", message["Subject"], message["To"])
