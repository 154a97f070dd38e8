"""The empty registration form, built once: no stored registration and no profile prefill (in a
rush) make the same modal for everyone (one with the e-mail field required for people of a
partner workspace, one without); only its intro tells the seats left, and the form with that
intro is made once per seat count (bot.blocks.registration_modal.with_seats_left). A profile's
prefill (a new registrant outside a rush) changes three fields of a copy (with_profile) instead
of building and validating the whole form again. The forms are shared between requests: nothing
may change them (slack_sdk only serialises them)."""

from __future__ import annotations

from bot.blocks.registration_modal import build_registration_modal, with_profile, with_seats_left
from bot.events.per_version import PerVersion
from bot.events.schema import EventDefinition
from bot.registration.plans import Prefill


class EmptyForms:
    """Built and validated (to_dict) once per event definition and language; a new version of
    the definition is a new object (the definition cache), so an edit is never stale."""

    def __init__(self) -> None:
        self._forms: PerVersion[dict] = PerVersion(limit=64)
        # apart: a large event's many seat counts must not push out the forms they are made from
        self._with_seats: PerVersion[dict] = PerVersion(limit=2048)

    def get(
        self,
        definition: EventDefinition,
        seats_left: int,
        lang: str,
        *,
        email_required: bool = False,
        profile: Prefill | None = None,
    ) -> dict:
        """The empty form telling seats_left; with `profile` (name, title and e-mail from the
        Slack profile) a copy prefilled with it (bot.blocks.registration_modal.with_profile)."""
        form = self._forms.get(
            definition,
            (lang, email_required),
            lambda: build_registration_modal(
                definition,
                prefill=Prefill(),
                seats_left=seats_left,
                lang=lang,
                email_required=email_required,
            ).to_dict(),
        )
        with_seats = self._with_seats.get(
            definition,
            (lang, email_required, seats_left),
            lambda: with_seats_left(form, definition, seats_left, lang),
        )
        if profile is None or profile == Prefill():
            return with_seats
        return with_profile(with_seats, definition, profile, lang, email_required=email_required)
