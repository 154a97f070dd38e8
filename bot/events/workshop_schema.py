"""The workshop half of an event definition: the questions every group writes notes on, and
what happens after the day."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from bot.events.schema_base import KEY_PATTERN, Strict


class QuestionRole(StrEnum):
    """What a workshop question is used for beyond the notes themselves."""

    PLAIN = "plain"
    NEXT_STEPS = "next_steps"  # shown at the last regroup, in the documentation and follow-up
    CONTACT = "contact"  # the group's contact person for the follow-up


class WorkshopQuestion(Strict):
    """One question every group answers in its notes ("Gruppens anteckningar")."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=150)
    hint: str = Field("", max_length=150)
    role: QuestionRole = QuestionRole.PLAIN


class Workshop(Strict):
    """The workshop half of the day: the questions the groups write notes on."""

    questions: list[WorkshopQuestion] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _unique_keys(self) -> Workshop:
        keys = [q.key for q in self.questions]
        if len(set(keys)) != len(keys):
            raise ValueError("workshop question keys must be unique")
        return self

    def with_role(self, role: QuestionRole) -> list[WorkshopQuestion]:
        return [q for q in self.questions if q.role == role]


class FollowUp(Strict):
    """After the day: how long group channels stay open, the reminder DM and the support text."""

    keep_channels_days: int = Field(30, ge=0, le=365)  # group channels archived after this
    after_days: int | None = Field(21, ge=1, le=120)  # the follow-up DM; None: none is sent
    support: str = Field("", max_length=2000)  # funding and support, shown in the follow-up
    documentation_after_minutes: int = Field(60, ge=0, le=7 * 24 * 60)  # after the feedback
