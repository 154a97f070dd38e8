"""Ids of the registration card (/samordna kort): its three buttons."""

from enum import StrEnum


class CardAction(StrEnum):
    REGISTER = "kort_anmal"
    EDIT = "kort_andra"
    CANCEL = "kort_avanmal"
