"""Ids of the registration surfaces (/anmal). Form field block ids live in bot.registration.form."""

import json
from enum import StrEnum

from bot.errors import BadPayload


class Callback(StrEnum):
    REGISTRATION_MODAL = "anmal_registration"
    GROUPS_MODAL = "anmal_groups"


class Action(StrEnum):
    PICK_EVENT = "anmal_pick_event"
    CANCEL_YES = "anmal_cancel_yes"
    CANCEL_NO = "anmal_cancel_no"
    ERASE_YES = "anmal_erase_yes"
    ERASE_NO = "anmal_erase_no"


def button_value(slug: str, lang: str) -> str:
    """The value carried by the /anmal buttons: which event, in which language."""
    return f"{slug}|{lang}"


def read_button_value(value: str) -> tuple[str, str]:
    """(slug, lang) of an /anmal button; BadPayload when it names no event."""
    slug, _, lang = (value or "").partition("|")
    if not slug:
        raise BadPayload("anmal button", value)
    return slug, lang or "sv"


def modal_metadata(slug: str, lang: str, email: str = "") -> str:
    """private_metadata of the registration and group modals: the event and the language, and
    the profile e-mail (stored with the registration, not shown)."""
    return json.dumps({"slug": slug, "lang": lang, **({"email": email} if email else {})})


def read_modal_metadata(private_metadata: str) -> tuple[str, str]:
    """(slug, lang) of a registration or group modal; BadPayload when it is not ours."""
    try:
        data = json.loads(private_metadata or "{}")
    except ValueError:
        raise BadPayload("anmal modal", private_metadata) from None
    if not isinstance(data, dict):
        raise BadPayload("anmal modal", private_metadata)
    return str(data.get("slug", "")), str(data.get("lang", "sv"))


def read_modal_email(private_metadata: str) -> str | None:
    """The profile e-mail a registration modal carries, if any (anything malformed: none)."""
    try:
        data = json.loads(private_metadata or "{}")
    except ValueError:
        return None
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        return None
    return email
