"""A NUL byte or another control character in a text field is refused inline in the modal.

PostgreSQL cannot store NUL in text; before this, the form was acknowledged ("Tack! Vi tar emot
din anmälan") and the inbox worker then failed on every try. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.registration.form import FormField
from storage.db import Database
from storage.migrate import upgrade
from storage.models import InboxItem, OutboxMessage, Registration
from tests.conftest import load
from tests.support.forms import ANSWERS, USER, count, open_modal, register
from tests.support.pg import postgres_url_or_skip, temporary_database

REFUSAL = "Texten innehåller tecken som inte går att spara (t.ex. ett nolltecken). Ta bort dem."


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Iterator[Database]:
    """The app's database on SQLite and on PostgreSQL (overrides the SQLite-only fixture)."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
        upgrade(database)
        yield database
        database.dispose()
        return
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        upgrade(database)
        yield database
        database.dispose()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (FormField.NAME, "Ida\x00Participant"),
        (FormField.ORGANISATION, "Skellefteå\x07kommun"),
        (FormField.ROLE, "Lärare\x1b[31m"),
        (FormField.COMMENT, "Vegetarisk\x00 lunch"),
        (FormField.COMMENT, "Lunch \ud800 tack"),  # a lone surrogate: not encodable as UTF-8
    ],
)
def test_control_character_is_refused_inline(bot, db, clock, example, field, value):
    load(db, example, clock)
    view = open_modal(bot)
    reply = bot.sender.submit_view(view, {**ANSWERS, field: value}, USER)
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {field: REFUSAL}}
    assert count(db, InboxItem) == 0
    assert count(db, Registration) == 0
    assert count(db, OutboxMessage) == 0
    assert bot.slack.posts() == []


def test_newlines_and_tabs_in_the_comment_are_fine(bot, db, clock, example):
    load(db, example, clock)
    dm = register(bot, **{FormField.COMMENT: "Vegetarisk lunch\n\ttack"})
    assert "Du är anmäld" in dm.params["text"]
    assert count(db, Registration) == 1
