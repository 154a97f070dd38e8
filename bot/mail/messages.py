"""An outbox message (Slack mrkdwn, maybe a file) as an e-mail; pure."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
BARE_LINK = re.compile(r"<(https?://[^|>]+)>")
MENTION = re.compile(r"<[@#!][^>]*>")
EMPHASIS = re.compile(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])")
EMOJI = re.compile(r":[a-z0-9_+-]+:\s?")


def plain_text(mrkdwn: str) -> str:
    """Slack's mrkdwn as plain text: links spelled out, emphasis and emoji codes dropped."""
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", mrkdwn)
    text = BARE_LINK.sub(lambda m: m.group(1), text)
    text = MENTION.sub("", text)
    text = EMPHASIS.sub(lambda m: m.group(1), text)
    return EMOJI.sub("", text).strip()


def build_email(
    *,
    to: str,
    sender: str,
    sender_name: str,
    subject: str,
    text: str,
    key: str,
    attachment: dict | None = None,
) -> EmailMessage:
    """One e-mail; a calendar file goes as text/calendar with its METHOD (Outlook reads it)."""
    message = EmailMessage()
    # an Address, not formataddr(): a non-ASCII name with a comma must stay one name
    message["From"] = Address(display_name=sender_name, addr_spec=sender)
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(
        idstring=re.sub(r"[^A-Za-z0-9.-]", ".", key)[:60], domain=sender.rpartition("@")[2]
    )
    message.set_content(plain_text(text))
    if attachment:
        content = attachment["content"]
        method = re.search(r"^METHOD:(\w+)", content, re.MULTILINE)
        params = {"method": method.group(1)} if method else {}
        message.add_attachment(
            content.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename=attachment["filename"],
            params=params,
        )
    return message
