"""One e-mail on a registration: the modal's field wins when given, else the Slack profile's
(carried in the modal's metadata), else the stored one is kept."""

from __future__ import annotations

from sqlalchemy import select

from bot.registration.form import RegistrationForm
from bot.registration.service import submit_registration
from storage.models import Registration
from tests.conftest import load


def _form(email: str = "", comment: str = "") -> RegistrationForm:
    return RegistrationForm(name="Ida", organisation="Umeå universitet", role="",
                            preferences=("ai",), comment=comment, consent=True,
                            email=email)  # fmt: skip


def _submit(db, clock, example, form: RegistrationForm, profile: str | None) -> str | None:
    with db.transaction() as session:
        submit_registration(session, slug=example.slug, user_id="U1", form=form, locale="sv",
                            now=clock.now(), email=profile)  # fmt: skip
    with db.transaction() as session:
        return session.scalars(select(Registration.email)).one()


def test_the_typed_address_wins_over_the_profile(db, clock, example):
    load(db, example, clock)
    assert _submit(db, clock, example, _form("ida@kommun.se"), "ida@umu.se") == "ida@kommun.se"


def test_the_profile_fills_in_when_nothing_is_typed_and_an_edit_keeps_it(db, clock, example):
    load(db, example, clock)
    assert _submit(db, clock, example, _form(), "ida@umu.se") == "ida@umu.se"
    assert _submit(db, clock, example, _form(comment="edit"), None) == "ida@umu.se"
    assert _submit(db, clock, example, _form("ny@umu.se", "again"), "ida@umu.se") == "ny@umu.se"
