"""Ids of the scheduler's interactive messages (the feedback question)."""

from enum import StrEnum

from bot.errors import BadPayload


class Action(StrEnum):
    FEEDBACK_SCORE = "sched_feedback_score"


class Block(StrEnum):
    FEEDBACK = "sched_feedback"


def feedback_value(slug: str, score: int) -> str:
    """The value of a feedback score button: which event, which score."""
    return f"{slug}|{score}"


def read_feedback_value(value: str) -> tuple[str, int]:
    """(slug, score) of a feedback button; BadPayload unless the score is a number."""
    slug, _, score = (value or "").partition("|")
    try:
        return slug, int(score)
    except ValueError:
        raise BadPayload("feedback button", value) from None
