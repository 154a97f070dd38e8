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


def modal_metadata(slug: str, lang: str) -> str:
    """private_metadata of the registration and group modals: the event and the language."""
    return json.dumps({"slug": slug, "lang": lang})


def read_modal_metadata(private_metadata: str) -> tuple[str, str]:
    """(slug, lang) of a registration or group modal; BadPayload when it is not ours."""
    try:
        data = json.loads(private_metadata or "{}")
    except ValueError:
        raise BadPayload("anmal modal", private_metadata) from None
    if not isinstance(data, dict):
        raise BadPayload("anmal modal", private_metadata)
    return str(data.get("slug", "")), str(data.get("lang", "sv"))
