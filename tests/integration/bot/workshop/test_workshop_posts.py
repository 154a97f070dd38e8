"""The workshop's scheduled posts on SQLite: the notes button on breakout posts, the regroup
summaries (channel and coordinators), once only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.ids.workshop import Action, group_value
from bot.schedule import posts
from bot.schedule.plan import plan_posts
from bot.workshop.notes import save_notes
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


def write(db, clock, user_id, group_key, **answers):
    with db.transaction() as session:
        save_notes(session, slug=SLUG, group_key=group_key, user_id=user_id, answers=answers,
                   now=clock.now())  # fmt: skip


def test_first_regroup_summarises_per_area_names_silent_groups_and_dms_the_full_text(
    example, db, clock, day
):
    long = "Vi har praktikplatser i tolv skolor och vill göra fler. " * 10
    write(db, clock, day[0], "larare", idag=long, samarbete="Gemensam VFU",
          nasta_steg="Möte i maj", kontakt="Ida Lindh")  # fmt: skip
    post, messages = run(db, example, "regroup", 0)
    assert post.due.strftime("%H:%M") == "10:10"
    kompetens = messages[f"{post.key}:area:kompetens"]
    assert kompetens[0] == "#partnerskapsdag-skelleftea"
    text = kompetens[1]
    assert "*Återsamling och kort summering från samtliga grupper*" in text
    assert "*Strategisk kompetensförsörjning*" in text
    assert "• _Vilka framtida samarbetsmöjligheter finns?_ Gemensam VFU" in text
    assert "…" in text and long.strip() not in text  # short
    assert "Möte i maj" not in text and "Ida Lindh" not in text  # next steps come later
    assert "Socionomer" not in text  # no members: neither summarised nor named
    assert "Inga anteckningar än från:_ Artificiell Intelligens (AI)" in messages[
        f"{post.key}:area:ai"][1]  # fmt: skip
    full = messages[f"{post.key}:1:U01JGARDEST"]
    assert full[0] == "U01JGARDEST"
    assert long.strip() in full[1] and "Möte i maj" in full[1]  # the full text
    assert f"_Vilka framtida samarbetsmöjligheter finns?_ (<@{day[0]}>)\nGemensam VFU" in full[1]
    assert "*Hållbar samhällsutveckling*\n_(inga anteckningar)_" in full[1]
    assert f"{post.key}:1:U01IDALINDH" in messages
    assert post.key in messages  # the job's done-marker: run twice, sent once
    with db.transaction() as session:
        again = posts.run_post(session, key=post.key, now=post.due, grace=GRACE)
    assert again.skipped == "already done" and again.outbox_ids == []


def test_the_second_regroup_includes_the_next_steps(example, db, clock, day):
    write(db, clock, day[0], "larare", nasta_steg="Möte i maj", kontakt="Ida Lindh")
    write(db, clock, day[2], "ai", idag="Etik och AI i skolan")
    first, messages = run(db, example, "regroup", 0)
    assert "Möte i maj" not in messages[f"{first.key}:area:kompetens"][1]
    assert "Inga anteckningar än från:_ Diskussionsgrupp 1" in messages[
        f"{first.key}:area:kompetens"][1]  # fmt: skip
    post, messages = run(db, example, "regroup", 1)
    assert post.due.strftime("%H:%M") == "11:05"
    text = messages[f"{post.key}:area:kompetens"][1]
    assert "_Hur tar vi dem vidare? Vad blir nästa steg?_ Möte i maj" in text
    assert "_Kontaktperson för det fortsatta arbetet_ Ida Lindh" in text
    assert "Etik och AI i skolan" in messages[f"{post.key}:area:ai"][1]


def test_the_drafted_dm_links_to_the_review(example, db, clock):
    load(db, example, clock)
    register_people(db, clock.now(), 3)
    post, messages = run(db, example, "closed")
    channel, text, blocks = messages[f"{post.key}:U01JGARDEST"]
    assert "version 1" in text
    button = blocks[-1]["elements"][0]
    assert button["text"]["text"] == "Granska grupperna"
    assert button["action_id"] == "workshop_review_open" and button["value"] == SLUG


def test_the_retention_purge_erases_the_notes_and_their_authors(example, db, clock, day):
    from bot.schedule.retention import purge_event
    from storage.models import Event, GroupNoteEdit

    write(db, clock, day[0], "larare", idag="Något")
    with db.transaction() as session:
        purge_event(session, session.scalars(select(Event)).one(), now=clock.now())
    with db.transaction() as session:
        assert session.scalars(select(GroupNoteEdit)).all() == []


def test_the_coordinators_user_group_gets_the_full_text_too(example, db, clock, day):
    grouped = example.model_copy(update={"coordinators": example.coordinators.model_copy(
        update={"usergroup": "S0COORDS"})})  # fmt: skip
    load(db, grouped, clock)
    write(db, clock, day[0], "larare", idag="Praktik")
    post, messages = run(db, grouped, "regroup", 0)
    group_copy = messages[f"{post.key}:1:usergroup:S0COORDS"]  # resolved by the delivery worker
    assert group_copy[0] == "usergroup:S0COORDS" and "Praktik" in group_copy[1]
    assert f"{post.key}:1:U01JGARDEST" in messages
