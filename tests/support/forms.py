"""Helpers for end-to-end tests: a registration driven over HTTP like a person would."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.registration.form import FormField

USER = "U0PARTIC1"
ANSWERS = {
    FormField.NAME: "Ida Participant",
    FormField.ORGANISATION: "Skellefteå kommun",
    FormField.ROLE: "Lärare",
    FormField.CHOICE_1: "larare",
    FormField.CHOICE_2: "ai",
    FormField.CHOICE_3: None,
    FormField.COMMENT: "Vegetarisk lunch tack",
    FormField.CONSENT: ["consent"],
}


def open_modal(bot, user=USER, text=""):
    """Send /anmal and return the modal the app opened."""
    before = len(bot.slack.calls_to("views.open"))
    reply = bot.sender.command("/anmal", text, user)
    assert reply.status == 200, reply.body
    assert reply.body == "", f"expected a modal, got a reply: {reply.body}"
    return bot.slack.wait_for("views.open", before + 1)[-1].params["view"]


def register(bot, user=USER, **answers):
    """Open the form and submit it; wait for the confirmation DM."""
    view = open_modal(bot, user)
    before = len(bot.slack.posts())
    reply = bot.sender.submit_view(view, {**ANSWERS, **answers}, user)
    assert reply.json()["response_action"] == "update", reply.body
    return bot.slack.wait_for("chat.postMessage", before + 1)[-1]


def modal_outcome(bot, before: int) -> str:
    """The text the inbox worker put in the person's modal (views.update) after the ack."""
    update = bot.slack.wait_for("views.update", before + 1)[-1]
    return update.params["view"]["blocks"][0]["text"]["text"]


def reply_text(reply) -> str:
    """The private answer to a slash command (Bolt sends text-only acks as a plain body)."""
    return reply.json()["text"] if reply.body.startswith("{") else reply.body


def count(db, model, *where):
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))
