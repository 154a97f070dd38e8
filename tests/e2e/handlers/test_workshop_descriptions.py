"""End to end: the focus areas' descriptions where people choose (the registration modal) and
behind the join DM's "Läs mer"."""

from __future__ import annotations

import json

from bot.ids.workshop import Action, Block
from bot.registration.form import FormField
from bot.schedule import posts
from bot.schedule.plan import plan_posts
from tests.conftest import load
from tests.support.coordination import SLUG, publish_placements, register_people
from tests.support.forms import open_modal

ENERGY = "Hur ser framtidens energilandskap ut och hur når vi dit?"


def test_the_registration_modal_describes_the_areas_before_the_choices(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    kompetens = next(text for text in texts if text.startswith("*Strategisk kompetensförsörjning*"))
    assert "Kompetensförsörjning och tillgång till kvalificerad arbetskraft" in kompetens
    assert "• *Diskussionsgrupp 1: Lärare – yrke och utbildning*" in kompetens
    assert any(ENERGY in text for text in texts)
    ids = [b.get("block_id") for b in view["blocks"]]
    described = max(i for i, b in enumerate(view["blocks"]) if ENERGY in str(b))
    choices = ids.index(FormField.CHOICE_1)
    assert described < choices  # read before choosing
    assert view["blocks"][choices - 1]["text"]["text"].startswith("*Artificiell Intelligens")


def test_the_join_dm_has_a_read_more_that_opens_the_descriptions(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 2)
    publish_placements(db, clock.now(), {people[0]: "energi", people[1]: "ai"})
    post = next(p for p in plan_posts(example) if p.kind == "joinlink")
    clock.set(post.due)
    with db.transaction() as session:
        result = posts.run_post(session, key=post.key, now=post.due, grace=post.due - post.due)
    bot.services.deliverer.deliver(result.outbox_ids)
    dm = bot.slack.wait_for_posts(people[0])[0].params
    blocks = dm["blocks"] if isinstance(dm["blocks"], list) else json.loads(dm["blocks"])
    assert "https://umu.zoom.us/j/00000000000" in blocks[0]["text"]["text"]
    button = blocks[-1]["elements"][0]
    assert button["text"]["text"] == "Läs mer om fokusområdena"
    bot.sender.click(button["action_id"], button["value"], people[0], block_id=Block.READ_MORE)
    view = bot.slack.wait_for("views.open")[-1].params["view"]
    assert view["title"]["text"] == "Fokusområden"
    assert ENERGY in str(view["blocks"])
    assert button["action_id"] == Action.READ_MORE and button["value"] == SLUG
