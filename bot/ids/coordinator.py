"""Ids of the coordinators' surfaces (/samordna, broadcasts, the Home dashboard)."""

from enum import StrEnum


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
