"""The event definition is validated once per event version per process, and an edit is seen."""

from __future__ import annotations

from unittest.mock import patch

from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event, upsert_event
from tests.conftest import load


def test_validated_once_per_version_and_an_edit_is_seen(db, clock, example):
    load(db, example, clock)
    with patch.object(
        EventDefinition, "model_validate", wraps=EventDefinition.model_validate
    ) as validate:
        for _ in range(3):
            with db.read() as session:
                event = get_event(session, example.slug, with_definition=False)
                assert definition_of(event).title == example.title
        assert validate.call_count == 1
        edited = example.model_copy(update={"title": "Ny titel"})
        with db.transaction() as session:
            upsert_event(session, edited, now=clock.now())
        with db.read() as session:
            assert definition_of(get_event(session, example.slug)).title == "Ny titel"
        assert validate.call_count == 2
