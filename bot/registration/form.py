"""What a participant submits, checked against the event before anything is stored."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.events.schema import EventDefinition
from bot.storable import unstorable


class FormField(StrEnum):
    """The registration form's fields; also the modal's block ids (defined once)."""

    NAME = "reg_name"
    ORGANISATION = "reg_organisation"
    ROLE = "reg_role"
    CHOICE_1 = "reg_choice_1"
    CHOICE_2 = "reg_choice_2"
    CHOICE_3 = "reg_choice_3"
    COMMENT = "reg_comment"
    CONSENT = "reg_consent"
    EMAIL = "reg_email"


CHOICE_FIELDS = (FormField.CHOICE_1, FormField.CHOICE_2, FormField.CHOICE_3)

# Length limits, shared by the modal (max_length) and the server-side check.
MAX_LENGTH = {
    FormField.NAME: 100,
    FormField.ORGANISATION: 150,
    FormField.ROLE: 150,
    FormField.COMMENT: 1000,
    FormField.EMAIL: 254,
}
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RegistrationForm:
    """A validated registration."""

    name: str
    organisation: str
    role: str
    preferences: tuple[str, ...]
    comment: str
    consent: bool
    email: str = ""  # for Zoom's pre-assignment and, outside the workspace, e-mail delivery

    def fingerprint(self) -> str:
        """Same form, same fingerprint: a retried or double-clicked submission changes nothing."""
        fields: list[object] = [
            self.name, self.organisation, self.role, list(self.preferences), self.comment
        ]  # fmt: skip
        if self.email:  # forms without an e-mail keep the fingerprints they always had
            fields.append(self.email)
        payload = json.dumps(fields, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


class FormErrors(Exception):
    """FormField -> text key of what is wrong, shown under the field in the modal."""

    def __init__(self, errors: dict[FormField, tuple[str, dict[str, object]]]):
        self.errors = errors
        super().__init__(", ".join(f"{k}: {v[0]}" for k, v in errors.items()))


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value else ""


def check_preferences(
    choices: list[str | None], definition: EventDefinition
) -> tuple[tuple[str, ...], dict[FormField, tuple[str, dict[str, object]]]]:
    """Ranked choices as given (gaps allowed in the form, closed up here), and any errors."""
    errors: dict[FormField, tuple[str, dict[str, object]]] = {}
    valid = {g.key for g in definition.groups}
    max_choices = definition.registration.max_choices
    picked: list[str] = []
    for index, key in enumerate(choices[:3]):
        field = CHOICE_FIELDS[index]
        if not key:
            continue
        if key not in valid:
            errors[field] = ("reg.err.unknown_group", {})
        elif key in picked:
            errors[field] = ("reg.err.duplicate_choice", {})
        elif index >= max_choices:
            errors[field] = ("reg.err.too_many_choices", {"max": max_choices})
        else:
            picked.append(key)
    if not choices or not choices[0]:
        errors[FormField.CHOICE_1] = ("reg.err.first_choice_required", {})
    return tuple(picked), errors


def validate_form(
    values: dict[FormField, object], definition: EventDefinition, *, email_required: bool = False
) -> RegistrationForm:
    """Check a submission field by field; raise FormErrors naming every field at fault.

    An e-mail address is optional, except for someone Slack will not let the bot DM (a person
    of another workspace) when e-mail delivery is configured: then it is how they hear from us."""
    errors: dict[FormField, tuple[str, dict[str, object]]] = {}
    text: dict[FormField, str] = {}
    for field, limit in MAX_LENGTH.items():
        raw = values.get(field)
        cleaned = _clean(raw) if field != FormField.COMMENT else (str(raw or "")).strip()
        if unstorable(str(raw or "")):
            errors[field] = ("bad_input.err.unstorable", {})
        elif len(cleaned) > limit:
            errors[field] = ("reg.err.too_long", {"max": limit, "length": len(cleaned)})
        text[field] = cleaned
    for field in (FormField.NAME, FormField.ORGANISATION):
        if not text[field] and field not in errors:
            errors[field] = ("reg.err.required", {})
    email = text[FormField.EMAIL]
    if email and FormField.EMAIL not in errors and not EMAIL_PATTERN.match(email):
        errors[FormField.EMAIL] = ("around.err.email_invalid", {})
    elif not email and email_required:
        errors[FormField.EMAIL] = ("around.err.email_required", {})
    choices = [values.get(f) for f in CHOICE_FIELDS]
    preferences, choice_errors = check_preferences([c or None for c in choices], definition)  # type: ignore[misc]
    errors.update(choice_errors)
    consent = bool(values.get(FormField.CONSENT))
    if not consent:
        errors[FormField.CONSENT] = ("reg.err.consent_required", {})
    if errors:
        raise FormErrors(errors)
    return RegistrationForm(
        name=text[FormField.NAME],
        organisation=text[FormField.ORGANISATION],
        role=text[FormField.ROLE],
        preferences=preferences,
        comment=text[FormField.COMMENT],
        consent=consent,
        email=email,
    )
