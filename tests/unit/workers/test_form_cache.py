"""The empty registration form is validated once per event version and language; each request
gets it with its own seat count in the intro, exactly as a fresh build would say it, made once
per seat count."""

from __future__ import annotations

import copy

import pytest

from bot.blocks.registration_modal import build_registration_modal
from bot.registration.plans import Prefill
from workers.form_cache import EmptyForms


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("email_required", [False, True])
def test_every_seat_count_reads_as_a_fresh_build(example, lang, email_required):
    forms = EmptyForms()
    for seats_left in (20, 19, 1, 0, 120):  # 0: the "full" wording
        served = forms.get(example, seats_left, lang, email_required=email_required)
        fresh = build_registration_modal(
            example, prefill=Prefill(), seats_left=seats_left, lang=lang,
            email_required=email_required,
        ).to_dict()  # fmt: skip
        assert served == fresh


def test_one_build_serves_every_seat_count_and_a_new_version_is_built_anew(example):
    forms = EmptyForms()
    first, later = forms.get(example, 20, "sv"), forms.get(example, 3, "sv")
    assert first["blocks"][0] != later["blocks"][0]  # the intro tells the seats
    assert all(a is b for a, b in zip(first["blocks"][1:], later["blocks"][1:], strict=True))
    edited = example.model_copy(update={"title": "Ny titel"})
    assert forms.get(edited, 3, "sv")["blocks"][1] is not later["blocks"][1]
    assert "Ny titel" in forms.get(edited, 3, "sv")["blocks"][0]["text"]["text"]


def test_a_seat_count_served_before_is_served_again_as_it_was(example):
    forms = EmptyForms()
    first = forms.get(example, 7, "sv")
    assert forms.get(example, 7, "sv") is first  # no intro made again
    assert forms.get(example, 7, "en") is not first and forms.get(example, 6, "sv") is not first


PROFILES = [
    Prefill(name="Maria Holmgren", role="Lärare", email="maria.holmgren@umu.se"),
    Prefill(name="Åsa Öberg"),  # no title, no e-mail (users:read.email not granted)
    Prefill(role="Sjuksköterska", email="a@b.se"),
    Prefill(name="N" * 500, role="R" * 500, email="e" * 300 + "@x.se"),  # cut to the limits
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("email_required", [False, True])
@pytest.mark.parametrize("profile", PROFILES)
def test_a_profile_prefill_reads_as_a_fresh_build(example, lang, email_required, profile):
    forms = EmptyForms()
    forms.get(example, 12, lang, email_required=email_required)  # the empty form, cached first
    served = forms.get(example, 12, lang, email_required=email_required, profile=profile)
    fresh = build_registration_modal(
        example, prefill=profile, seats_left=12, lang=lang, email_required=email_required
    ).to_dict()
    assert served == fresh


def test_a_profile_prefill_leaves_the_shared_empty_form_as_it_was(example):
    forms = EmptyForms()
    empty = forms.get(example, 5, "sv")
    before = copy.deepcopy(empty)
    prefilled = forms.get(example, 5, "sv", profile=PROFILES[0])
    assert prefilled is not empty and empty == before
    assert forms.get(example, 5, "sv") is empty


def test_only_a_profile_prefill_is_filled_into_a_shared_form(example):
    forms = EmptyForms()
    edit = Prefill(name="Maria", organisation="Umeå universitet", preferences=("ai",),
                   consent=True, editing=True)  # fmt: skip
    assert not edit.profile_only and PROFILES[0].profile_only and Prefill().profile_only
    with pytest.raises(ValueError):
        forms.get(example, 5, "sv", profile=edit)
