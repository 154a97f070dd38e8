"""The registration card a coordinator posts in a channel (also a Slack Connect channel)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.events.schema import EventDefinition
from bot.events.texts import deadline, when
from bot.i18n import t
from bot.ids.around import CardAction
from bot.ids.registration import button_value


def card_text(definition: EventDefinition, lang: str) -> str:
    """The event in three lines: what, when (and where), until when."""
    place = f" · {definition.location}" if definition.location else ""
    return f"*{definition.title}*\n{when(definition, lang)}{place}\n" + t(
        "around.card.deadline", lang, deadline=deadline(definition, lang)
    )


def build_card(definition: EventDefinition, *, lang: str, mail_enabled: bool) -> list[dict]:
    """Three lines and the buttons "Anmäl mig", "Ändra mina val", "Avanmäl mig"."""
    value = button_value(definition.slug, lang)
    outside = "around.card.outside_mail" if mail_enabled else "around.card.outside_no_mail"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=card_text(definition, lang))),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t("around.card.register", lang),
                    action_id=CardAction.REGISTER,
                    value=value,
                    style="primary",
                ),
                ButtonElement(
                    text=t("around.card.edit", lang), action_id=CardAction.EDIT, value=value
                ),
                ButtonElement(
                    text=t("around.card.cancel", lang), action_id=CardAction.CANCEL, value=value
                ),
            ]
        ),  # fmt: skip
        ContextBlock(elements=[MarkdownTextObject(text=t(outside, lang))]),
    ]
    return [b.to_dict() for b in blocks]
