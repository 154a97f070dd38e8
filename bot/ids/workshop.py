"""Ids of the workshop surfaces: the group notes button and modal, the feedback comment."""

from enum import StrEnum


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
    slug, _, group_key = (value or "").partition("|")
    return slug, group_key
