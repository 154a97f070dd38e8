"""The registration form's e-mail address: optional, checked, required only when asked."""

from __future__ import annotations

import pytest

from bot.events.loading import load_event_file
from bot.registration.form import FormErrors, FormField, validate_form
from tests.conftest import EXAMPLE

VALUES = {
    FormField.NAME: "Ida",
    FormField.ORGANISATION: "Umeå universitet",
    FormField.CHOICE_1: "ai",
    FormField.CONSENT: True,
}


def test_an_address_is_kept_and_changes_the_fingerprint():
    definition = load_event_file(EXAMPLE)
    without = validate_form(VALUES, definition)
    with_mail = validate_form({**VALUES, FormField.EMAIL: " ida@umu.se "}, definition)
    assert without.email == "" and with_mail.email == "ida@umu.se"
    assert with_mail.fingerprint() != without.fingerprint()


@pytest.mark.parametrize("bad", ["ida", "ida@umu", "ida @umu.se", "@umu.se"])
def test_a_malformed_address_is_an_error_under_the_field(bad):
    with pytest.raises(FormErrors) as caught:
        validate_form({**VALUES, FormField.EMAIL: bad}, load_event_file(EXAMPLE))
    assert caught.value.errors == {FormField.EMAIL: ("around.err.email_invalid", {})}


def test_an_address_can_be_required():
    with pytest.raises(FormErrors) as caught:
        validate_form(VALUES, load_event_file(EXAMPLE), email_required=True)
    assert caught.value.errors == {FormField.EMAIL: ("around.err.email_required", {})}
