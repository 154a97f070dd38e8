"""End to end over HTTP: after /samordna publicera, a cancellation hands the seat and the group
place to the first on the waitlist, who is told their group; the coordinators are told too."""

from __future__ import annotations

from bot.breakouts import service as breakouts
from bot.ids.registration import Action
from tests.conftest import load
from tests.support.coordination import COORDINATOR
from tests.support.forms import register

SEATED, WAITING = "U0SEATED1", "U0WAITING"


def test_a_cancellation_after_publication_moves_the_group_place_on(bot, db, clock, example):
    registration = example.registration.model_copy(update={"seat_limit": 1})
    load(db, example.model_copy(update={"registration": registration}), clock)
    register(bot, SEATED)
    register(bot, WAITING)
    with db.transaction() as session:
        breakouts.draft(session, slug=example.slug, now=clock.now())
    bot.sender.command("/samordna", "publicera", COORDINATOR)
    assert "är publicerad" in bot.slack.wait_for("chat.postEphemeral")[-1].params["text"]

    buttons = bot.sender.command("/anmal", "avanmal", SEATED).json()["blocks"][1]["elements"]
    bot.sender.click(Action.CANCEL_YES, buttons[0]["value"], SEATED,
                     response_url=bot.slack.response_url)  # fmt: skip
    promoted = bot.slack.wait_for_posts(WAITING, 2)[-1].params["text"]
    assert promoted.startswith(":tada: En plats har blivit ledig")
    assert "Du är placerad i gruppen *Diskussionsgrupp 1: Lärare" in promoted
    notice = bot.slack.wait_for_posts(COORDINATOR)[-1].params["text"]
    assert f"<@{SEATED}> har avanmält sig och är borttagen ur *Diskussionsgrupp 1" in notice
    assert f"<@{WAITING}> fick en ledig plats och är placerad i" in notice
    with db.transaction() as session:
        assert set(breakouts.placements(session, slug=example.slug)) == {WAITING}
