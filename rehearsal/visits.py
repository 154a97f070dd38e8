"""Two things people do that the rest of the rehearsal does not: open the bot's Home tab, and
answer the feedback question. Both go over HTTP as Slack sends them, so the page can show a
Home tab and the feedback scores."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.ids.schedule import Action, feedback_value
from rehearsal.people import Person

HOME_VISITORS = 6  # participants who look at their Home tab after the deadline (and coordinators)
FEEDBACK_SHARE = 4  # one in this many participants answers the feedback question


def _open_home(rehearsal, user_id: str) -> None:
    published = len(rehearsal.slack.calls_to("views.publish"))
    rehearsal.actor = user_id
    event = {"type": "app_home_opened", "user": user_id, "channel": "D" + user_id[1:]}
    rehearsal.sender.event({**event, "tab": "home"})
    rehearsal.slack.wait_for("views.publish", published + 1)


def home_phase(rehearsal) -> None:
    """After the deadline the coordinators and a few participants open the bot's Home tab."""
    d = rehearsal.definition
    rehearsal.clock.set(max(rehearsal.clock.now(), d.closes_at + timedelta(hours=3)))
    visitors = rehearsal.people[: HOME_VISITORS - 2] + rehearsal.people[-2:]
    for user_id in list(d.coordinators.users) + [p.user_id for p in visitors]:
        rehearsal.clock.advance(timedelta(minutes=4))
        _open_home(rehearsal, user_id)
        rehearsal.say(rehearsal.names.get(user_id, user_id), rehearsal.words("opens_home"))


def feedback_phase(rehearsal) -> list[Person]:
    """After the thank-you, one in FEEDBACK_SHARE of those asked answers with a score, a minute
    or so apart (all in before the day's documentation); returns who answered."""
    asked = {
        str(c.channel) for c in rehearsal.slack.posts() if Action.FEEDBACK_SCORE in str(c.params)
    }
    rng = random.Random(rehearsal.seed)
    answering: list[Person] = [
        p for p in rehearsal.people if p.user_id in asked or "D" + p.user_id[1:] in asked
    ][::FEEDBACK_SHARE]
    slug = rehearsal.definition.slug
    for person in answering:
        score = rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 4])[0]
        rehearsal.clock.advance(timedelta(seconds=rng.randint(30, 90)))
        seen = len(rehearsal.slack.responses())
        rehearsal.act(person, "click", str(score))
        action, value = f"{Action.FEEDBACK_SCORE}_{score}", feedback_value(slug, score)
        rehearsal.sender.click(
            action, value, person.user_id, response_url=rehearsal.slack.response_url
        )
        # the score is stored before the thanks is sent: nothing else to wait for
        thanks = rehearsal.slack.wait_for("response_url", seen + 1)[-1]
        rehearsal.say(rehearsal.words("private", who=person.name), thanks.params.get("text", ""))
    return answering
