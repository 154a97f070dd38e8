"""Breakout-group assignment: rank-optimal, organisation-mixed, stable; no Slack imports."""

from bot.assignment.baseline import first_come_first_served
from bot.assignment.messages import explain
from bot.assignment.models import (
    AssignmentInput,
    AssignmentResult,
    Group,
    Participant,
    Placement,
    Reason,
)
from bot.assignment.report import GroupStats, QualityReport
from bot.assignment.solver import assign

__all__ = [
    "AssignmentInput",
    "AssignmentResult",
    "Group",
    "GroupStats",
    "Participant",
    "Placement",
    "QualityReport",
    "Reason",
    "assign",
    "explain",
    "first_come_first_served",
]
