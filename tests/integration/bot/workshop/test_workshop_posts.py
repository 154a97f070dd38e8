"""The workshop's scheduled posts on SQLite: the notes button on breakout posts, the regroup
summaries (channel and coordinators), once only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.ids.workshop import Action, group_value
from bot.schedule import posts
from bot.schedule.plan import plan_posts
from storage.models import OutboxMessage
from tests.conftest import load
from tests.support.coordination import SLUG, publish_placements, register_people

GRACE = timedelta(minutes=15)


@pytest.fixture
def day(example, db, clock):
    load(db, example, clock)
    people = register_people(db, clock.now(), 4)
    publish_placements(db, clock.now(), {people[0]: "larare", people[1]: "larare",
                                         people[2]: "ai", people[3]: "energi"})  # fmt: skip
    return people


def run(db, definition, kind, index=0):
    post = [p for p in plan_posts(definition) if p.kind == kind][index]
    with db.transaction() as session:
        posts.run_post(session, key=post.key, now=post.due, grace=GRACE)
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(post.key + "%")))
        return post, {m.key: (m.channel, m.text, m.blocks) for m in rows}


def test_every_breakout_post_and_dm_carries_the_notes_button(example, db, day):
    post, messages = run(db, example, "breakout")
    for key, group in ((f"{post.key}:group:larare", "larare"), (f"{post.key}:{day[2]}", "ai")):
        blocks = messages[key][2]
        button = blocks[-1]["elements"][0]
        assert button["action_id"] == Action.OPEN_NOTES
        assert button["text"]["text"] == "Gruppens anteckningar"
        assert button["value"] == group_value(SLUG, group)
        assert blocks[0]["text"]["text"] == messages[key][1]


def test_without_workshop_questions_the_posts_have_no_button(example, db, clock, day):
    bare = example.model_copy(update={"workshop": example.workshop.model_copy(
        update={"questions": []})})  # fmt: skip
    load(db, bare, clock)
    _, messages = run(db, bare, "breakout")
    assert all(blocks is None for _, _, blocks in messages.values())
