"""Ephemeral messages of /anmal: help, choosing an event, confirming a cancellation or erasure."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot.events.schema import EventDefinition
from bot.events.texts import deadline, when
from bot.i18n import t
from bot.ids.registration import Action, button_value
from bot.registration.plans import Answer, Help, PickEvent, Reply


def build_help(lang: str, *, example_slug: str, prefix: str = "") -> str:
    return (prefix + "\n\n" if prefix else "") + t("reg.help", lang, example=example_slug)


def build_pick_event(definitions: list[EventDefinition], lang: str) -> list[dict]:
    """One section per open event with a button that opens its form."""
    blocks = [SectionBlock(text=MarkdownTextObject(text=t("reg.pick_event", lang)))]
    for definition in definitions[:40]:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{definition.title}*\n{when(definition, lang)}\n_"
                    + t("reg.pick_deadline", lang, deadline=deadline(definition, lang))
                    + "_"
                ),
                accessory=ButtonElement(
                    text=t("reg.pick_button", lang),
                    action_id=Action.PICK_EVENT,
                    value=button_value(definition.slug, lang),
                    style="primary",
                ),
            )
        )
    return [b.to_dict() for b in blocks]


def _confirm(text: str, yes: str, yes_action: Action, no: str, no_action: Action, value: str):
    return [
        SectionBlock(text=MarkdownTextObject(text=text)).to_dict(),
        ActionsBlock(
            elements=[
                ButtonElement(text=yes, action_id=yes_action, value=value, style="danger"),
                ButtonElement(text=no, action_id=no_action, value=value),
            ]
        ).to_dict(),
    ]


def build_cancel_confirm(
    definition: EventDefinition, lang: str, question: str | None = None
) -> list[dict]:
    value = button_value(definition.slug, lang)
    return _confirm(
        question or t("reg.cancel.confirm", lang, title=definition.title),
        t("reg.cancel.yes", lang),
        Action.CANCEL_YES,
        t("reg.cancel.no", lang),
        Action.CANCEL_NO,
        value,
    )


def build_erase_confirm(definition: EventDefinition, lang: str) -> list[dict]:
    value = button_value(definition.slug, lang)
    return _confirm(
        t("reg.erase.confirm", lang, title=definition.title),
        t("reg.erase.yes", lang),
        Action.ERASE_YES,
        t("reg.cancel.no", lang),
        Action.ERASE_NO,
        value,
    )


def build_answer(answer: Answer) -> tuple[str, list[dict] | None]:
    """The private answer (text, blocks) to an /anmal plan that opens no form."""
    if isinstance(answer, Reply):
        return answer.text, None
    if isinstance(answer, Help):
        return build_help(answer.lang, example_slug=answer.example_slug, prefix=answer.prefix), None
    if isinstance(answer, PickEvent):
        return t("reg.pick_event", answer.lang), build_pick_event(answer.definitions, answer.lang)
    definition, lang = answer.definition, answer.lang
    if answer.erase:
        return t("reg.erase.confirm", lang, title=definition.title), build_erase_confirm(
            definition, lang
        )
    question = answer.question or t("reg.cancel.confirm", lang, title=definition.title)
    return question, build_cancel_confirm(definition, lang, question)
