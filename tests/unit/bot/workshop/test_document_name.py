"""The day's documentation is named in the event's language, as its text is."""

from __future__ import annotations

from bot.events.loading import load_event_file
from bot.workshop.document import documentation_filename
from tests.conftest import EXAMPLE


def test_the_documentation_is_named_in_the_events_language():
    swedish = load_event_file(EXAMPLE)
    english = swedish.model_copy(update={"language": "en"})
    assert documentation_filename(swedish) == "dokumentation-skelleftea-2021.docx"
    assert documentation_filename(english) == "documentation-skelleftea-2021.docx"
