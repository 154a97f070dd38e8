"""/anmal mina-uppgifter: the person gets a DM with every field stored about them, per event."""

from __future__ import annotations

from tests.conftest import load
from tests.support.forms import USER, register, reply_text


def test_my_data_lists_every_stored_field_by_dm(bot, db, clock, example):
    bot.slack.add_user(USER, real_name="Ida Participant", email="ida@example.se")
    load(db, example, clock)
    register(bot, USER)
    before = len(bot.slack.posts(USER))
    text = reply_text(bot.sender.command("/anmal", "mina-uppgifter", USER))
    assert "direktmeddelande" in text
    dm = bot.slack.wait_for_posts(USER, before + 1)[-1].params["text"]
    for stored in ("Ida Participant", "Skellefteå kommun", "Lärare", "ida@example.se",
                   "Vegetarisk lunch tack", "Diskussionsgrupp 1", "anmäld", example.title,
                   "Samtycke"):  # fmt: skip
        assert stored in dm, stored
    assert f"`/anmal radera {example.slug}`" in dm


def test_my_data_when_nothing_is_stored(bot, db, clock, example):
    load(db, example, clock)
    text = reply_text(bot.sender.command("/anmal", "mina-uppgifter en", USER))
    assert text == "Nothing is stored about you."
    assert bot.slack.posts(USER) == []
