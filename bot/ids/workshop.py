"""Ids of the workshop surfaces: the group notes button and modal, the feedback comment."""

from enum import StrEnum

from bot.errors import BadPayload


class Action(StrEnum):
    OPEN_NOTES = "workshop_open_notes"
    FEEDBACK_COMMENT = "workshop_feedback_comment"
    READ_MORE = "workshop_read_more"
    REVIEW_OPEN = "workshop_review_open"
    REVIEW_REDRAFT = "workshop_review_redraft"


class Callback(StrEnum):
    NOTES_MODAL = "workshop_notes"
    REVIEW_MODAL = "workshop_review"
    FEEDBACK_COMMENT_MODAL = "workshop_feedback_comment"


class Block(StrEnum):
    NOTES_BUTTON = "workshop_notes_button"
    FEEDBACK_COMMENT = "workshop_feedback_comment"
    READ_MORE = "workshop_read_more"
    REVIEW_OPEN = "workshop_review_open"
    REVIEW_ACTIONS = "workshop_review_actions"


NOTE_BLOCK_PREFIX = "workshop_note_"  # + the question's key: one input block per question
NOTE_ACTION = "workshop_note_text"


def note_block_id(question_key: str) -> str:
    return f"{NOTE_BLOCK_PREFIX}{question_key}"


def group_value(slug: str, group_key: str) -> str:
    """The value of a notes button and the modal's metadata: which event, which group."""
    return f"{slug}|{group_key}"


def read_group_value(value: str) -> tuple[str, str]:
    """(slug, group key) of a notes button or modal; BadPayload unless both are there."""
    slug, _, group_key = (value or "").partition("|")
    if not slug or not group_key:
        raise BadPayload("workshop group value", value)
    return slug, group_key


def event_value(slug: str) -> str:
    """The value of a button (feedback comment, read more, review) or a modal's metadata
    (feedback comment, review) that names only the event."""
    return slug


def read_event_value(value: str) -> str:
    """The event a workshop button or modal names; BadPayload when it names none."""
    if not value or "|" in value:
        raise BadPayload("workshop event value", value)
    return value
