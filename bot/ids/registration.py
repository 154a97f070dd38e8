"""Ids of the registration surfaces (/anmal). Form field block ids live in bot.registration.form."""

from enum import StrEnum


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
    slug, _, lang = value.partition("|")
    return slug, lang or "sv"
