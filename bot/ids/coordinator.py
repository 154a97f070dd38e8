"""Ids of the coordinators' surfaces (/samordna, broadcasts, the Home dashboard)."""

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import BadPayload


class Callback(StrEnum):
    BROADCAST_MODAL = "samordna_broadcast"
    BROADCAST_PREVIEW = "samordna_broadcast_preview"


class Field(StrEnum):
    """Block ids (and action ids) of the broadcast modal's inputs."""

    TEXT = "samordna_text"
    AUDIENCE = "samordna_audience"
    GROUP = "samordna_group"
    SEND_AT = "samordna_send_at"


class Action(StrEnum):
    RETRY_FAILED = "samordna_retry_failed"
    RETRY_UNKNOWN = "samordna_retry_unknown"
    CHANGE_SCHEDULED = "samordna_change_scheduled"
    CANCEL_SCHEDULED = "samordna_cancel_scheduled"
    HOME_BROADCAST = "samordna_home_broadcast"
    HOME_LIST = "samordna_home_list"
    HOME_EXPORT = "samordna_home_export"
    HOME_PUBLISH = "samordna_home_publish"


def _id(what: str, value: str, raw: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadPayload(what, raw) from None


@dataclass(frozen=True)
class BroadcastModalMetadata:
    slug: str
    lang: str
    replaces_id: int | None  # changing a scheduled broadcast: the one it replaces


def broadcast_modal_metadata(slug: str, lang: str, replaces_id: int | None = None) -> str:
    """private_metadata of the compose modal."""
    return f"{slug}|{lang}|{replaces_id or ''}"


def read_broadcast_modal_metadata(private_metadata: str) -> BroadcastModalMetadata:
    raw = private_metadata or ""
    slug, lang, replaces = (raw.split("|") + ["", "", ""])[:3]
    replaces_id = _id("broadcast modal", replaces, raw) if replaces else None
    return BroadcastModalMetadata(slug, lang or "sv", replaces_id)


def preview_metadata(broadcast_id: int, lang: str) -> str:
    """private_metadata of the preview modal: the draft shown and the language."""
    return f"{broadcast_id}|{lang}"


def read_preview_metadata(private_metadata: str) -> tuple[int, str]:
    raw = private_metadata or ""
    broadcast_id, _, lang = raw.partition("|")
    return _id("broadcast preview", broadcast_id, raw), lang or "sv"


def broadcast_button_value(broadcast_id: int) -> str:
    """The value of the retry / change / cancel buttons of a broadcast."""
    return str(broadcast_id)


def read_broadcast_button_value(value: str) -> int:
    return _id("broadcast button", value or "", value)


def home_button_value(slug: str) -> str:
    """The value of a Home dashboard button: the event it acts on."""
    return slug


def read_home_button_value(value: str) -> str:
    if not value:
        raise BadPayload("home button", value)
    return value
