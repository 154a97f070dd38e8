"""Ids of the scheduler's interactive messages (the feedback question)."""

from enum import StrEnum


class Action(StrEnum):
    FEEDBACK_SCORE = "sched_feedback_score"


class Block(StrEnum):
    FEEDBACK = "sched_feedback"
