"""The empty registration form, built once: no stored registration and no profile prefill (in a
rush) make the same modal for everyone (one with the e-mail field required for people of a
partner workspace, one without); only its intro tells the seats left, and that block is made
per request (bot.blocks.registration_modal.with_seats_left)."""

from __future__ import annotations

from bot.blocks.registration_modal import build_registration_modal, with_seats_left
from bot.events.schema import EventDefinition
from bot.registration.plans import Prefill

MAX_FORMS = 512


class EmptyForms:
    """Built and validated (to_dict) once per event definition and language; a new version of
    the definition is a new object (the definition cache), so an edit is never stale."""

    def __init__(self) -> None:
        self._forms: dict[tuple[int, str, bool], tuple[EventDefinition, dict]] = {}

    def get(
        self,
        definition: EventDefinition,
        seats_left: int,
        lang: str,
        *,
        email_required: bool = False,
    ) -> dict:
        key = (id(definition), lang, email_required)
        cached = self._forms.get(key)
        if cached is not None and cached[0] is definition:  # the very object: the same version
            return with_seats_left(cached[1], definition, seats_left, lang)
        view = build_registration_modal(
            definition,
            prefill=Prefill(),
            seats_left=seats_left,
            lang=lang,
            email_required=email_required,
        ).to_dict()
        if len(self._forms) >= MAX_FORMS:
            self._forms.clear()
        self._forms[key] = (definition, view)
        return view
