"""handlers/workshop_notes.py: a group member opens the notes modal and saves; an outsider sees
why not and nothing is stored; "Läs mer" opens the focus areas."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.blocks.workshop import build_notes_modal, build_read_more_modal
from bot.i18n import t
from bot.ids.workshop import Action, event_value, group_value, note_block_id
from handlers.workshop_notes import handle_notes_submission, handle_open_notes, handle_read_more
from rehearsal.signed_requests import state_values
from storage.models import GroupNoteEdit
from tests.conftest import stockholm
from tests.support.coordination import OUTSIDER, SLUG, publish_placements, register_people, user

DURING_THE_DAY = stockholm(2021, 4, 22, 10, 30)
MEMBER = user(0)
GROUP = "larare"


@pytest.fixture(autouse=True)
def placed_on_the_day(db, clock, services):  # noqa: ANN001
    """MEMBER registered and placed in GROUP (published); the clicks come on the day."""
    register_people(db, clock.now(), 1)
    publish_placements(db, clock.now(), {MEMBER: GROUP})
    clock.set(DURING_THE_DAY)


def _click(action: str, value: str, user_id: str = MEMBER) -> dict:
    return {
        "user": {"id": user_id},
        "trigger_id": "1337.42.abcd",
        "actions": [{"action_id": action, "value": value}],
    }


def _submission(example, answers: dict[str, str], user_id: str = MEMBER) -> tuple[dict, dict]:  # noqa: ANN001
    modal = build_notes_modal(example, example.group(GROUP), {}, "sv").to_dict()
    view = {
        "private_metadata": group_value(SLUG, GROUP),
        "state": {"values": state_values(modal, answers)},
    }
    return {"user": {"id": user_id}}, view


def _notice_text(view: dict) -> str:
    return view["blocks"][0]["text"]["text"]


def _stored(db) -> list[tuple[str, str, str]]:  # noqa: ANN001
    with db.read() as session:
        rows = session.scalars(select(GroupNoteEdit).order_by(GroupNoteEdit.id))
        return [(r.question_key, r.text, r.author_id) for r in rows]


def test_a_member_opens_the_notes_modal_of_the_group(ack, client, context, example):
    body = _click(Action.OPEN_NOTES, group_value(SLUG, GROUP))

    handle_open_notes(ack=ack, body=body, client=client, context=context)

    ack.assert_called_once_with()
    client.views_open.assert_called_once_with(
        trigger_id="1337.42.abcd",
        view=build_notes_modal(example, example.group(GROUP), {}, "sv").to_dict(),
    )


def test_an_outsider_is_shown_why_not_instead_of_the_notes(ack, client, context, example):
    body = _click(Action.OPEN_NOTES, group_value(SLUG, GROUP), user_id=OUTSIDER)

    handle_open_notes(ack=ack, body=body, client=client, context=context)

    ack.assert_called_once_with()
    view = client.views_open.call_args.kwargs["view"]
    assert view["title"]["text"] == t("workshop.notes.title", "sv")
    assert _notice_text(view) == t(
        "workshop.notes.not_member", "sv", group=example.group(GROUP).name
    )


def test_a_members_notes_are_stored_and_the_modal_says_how_many(ack, context, example, db):
    body, view = _submission(example, {note_block_id("idag"): "Vi undervisar i AI",
                                       note_block_id("kontakt"): "Ida, Skolan"})  # fmt: skip

    handle_notes_submission(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack.call_args.kwargs["view"]) == t("workshop.notes.saved", "sv", n=2)
    assert _stored(db) == [
        ("idag", "Vi undervisar i AI", MEMBER),
        ("kontakt", "Ida, Skolan", MEMBER),
    ]


def test_an_outsiders_submission_stores_nothing_and_says_so(ack, context, example, db):
    body, view = _submission(example, {note_block_id("idag"): "Inte min grupp"},
                             user_id=OUTSIDER)  # fmt: skip

    handle_notes_submission(ack=ack, body=body, view=view, context=context)

    # The modal is replaced by a notice (response_action "update"), not marked with "errors".
    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack.call_args.kwargs["view"]) == t(
        "workshop.notes.not_member", "sv", group=example.group(GROUP).name
    )
    assert _stored(db) == []


def test_read_more_opens_the_focus_areas(ack, client, context, example):
    body = _click(Action.READ_MORE, event_value(SLUG))

    handle_read_more(ack=ack, body=body, client=client, context=context)

    ack.assert_called_once_with()
    client.views_open.assert_called_once_with(
        trigger_id="1337.42.abcd", view=build_read_more_modal(example, "sv").to_dict()
    )
