"""What /anmal decided for a person (bot.registration.anmal.plan_anmal's results): plain data,
worded and laid out by bot.blocks.registration_messages, opened as a modal by the caller."""

from __future__ import annotations

from dataclasses import dataclass

from bot.events.schema import EventDefinition


@dataclass(frozen=True)
class Prefill:
    """What the modal shows at first: a stored registration or the Slack profile."""

    name: str = ""
    organisation: str = ""
    role: str = ""
    preferences: tuple[str, ...] = ()
    comment: str = ""
    consent: bool = False
    editing: bool = False
    email: str = ""  # from the Slack profile (users:read.email), kept with the registration

    @property
    def profile_only(self) -> bool:
        """Nothing but what a Slack profile gives (name, title, e-mail), or nothing at all."""
        return self == Prefill(name=self.name, role=self.role, email=self.email)


@dataclass(frozen=True)
class Reply:
    """Answer privately with this text."""

    text: str


@dataclass(frozen=True)
class Help:
    """The help text, after `prefix` (an unknown command) if any."""

    lang: str
    example_slug: str
    prefix: str = ""


@dataclass(frozen=True)
class PickEvent:
    """Several events are open: one button per event opens its form."""

    definitions: list[EventDefinition]
    lang: str


@dataclass(frozen=True)
class ConfirmChange:
    """Ask before cancelling (or erasing) the person's registration."""

    definition: EventDefinition
    lang: str
    erase: bool = False
    question: str = ""  # the question as the person's status has it ("" = the standard one)


@dataclass(frozen=True)
class OpenForm:
    """Open the registration (or group-only) modal."""

    definition: EventDefinition
    prefill: Prefill
    seats_left: int
    lang: str
    groups_only: bool = False
    needs_profile: bool = False  # no stored registration: prefill from the Slack profile


@dataclass(frozen=True)
class SendMyData:
    """DM the person what is stored about them (once per `key`), and say so."""

    lang: str
    key: str


Answer = Reply | Help | PickEvent | ConfirmChange  # answered in the channel, privately
Plan = Answer | OpenForm | SendMyData
