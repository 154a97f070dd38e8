"""The registration modal (/anmal) and the group-only modal (/anmal grupp)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.workshop import build_area_descriptions
from bot.events.schema import EventDefinition
from bot.events.texts import deadline, when
from bot.i18n import t
from bot.ids.registration import Callback, modal_metadata
from bot.registration.form import CHOICE_FIELDS, MAX_LENGTH, FormField
from bot.registration.plans import Prefill

CONSENT_VALUE = "consent"


def _option(definition: EventDefinition, key: str) -> Option:
    group = definition.group(key)
    return Option(value=key, text=PlainTextObject(text=group.name if group else key))


def _group_select(
    definition: EventDefinition, field: FormField, initial: str | None, lang: str
) -> StaticSelectElement:
    option_groups = [
        OptionGroup(
            label=PlainTextObject(text=area.name),
            options=[_option(definition, g.key) for g in area.groups],
        )
        for area in definition.focus_areas
    ]
    return StaticSelectElement(
        action_id=field,
        placeholder=PlainTextObject(text=t("reg.field.choice_placeholder", lang)),
        option_groups=option_groups,
        initial_option=_option(definition, initial) if initial else None,
    )


def _choice_blocks(definition: EventDefinition, prefill: Prefill, lang: str) -> list[InputBlock]:
    blocks = []
    labels = ("reg.field.choice_1", "reg.field.choice_2", "reg.field.choice_3")
    for index, field in enumerate(CHOICE_FIELDS[: definition.registration.max_choices]):
        initial = prefill.preferences[index] if index < len(prefill.preferences) else None
        if initial and definition.group(initial) is None:
            initial = None
        blocks.append(
            InputBlock(
                block_id=field,
                label=PlainTextObject(text=t(labels[index], lang)),
                element=_group_select(definition, field, initial, lang),
                optional=index > 0,
            )
        )
    return blocks


def _text_input(
    field: FormField, label: str, initial: str, *, optional: bool = False, multiline: bool = False
) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=PlainTextObject(text=label),
        element=PlainTextInputElement(
            action_id=field,
            initial_value=initial[: MAX_LENGTH[field]] or None,
            max_length=MAX_LENGTH[field],
            multiline=multiline,
        ),
        optional=optional,
    )


def _profile_inputs(
    prefill: Prefill, lang: str, *, email_required: bool
) -> dict[FormField, InputBlock]:
    """The fields a Slack profile can fill: name, role (its title) and e-mail."""
    return {
        FormField.NAME: _text_input(FormField.NAME, t("reg.field.name", lang), prefill.name),
        FormField.ROLE: _text_input(
            FormField.ROLE, t("reg.field.role", lang), prefill.role, optional=True
        ),
        FormField.EMAIL: _email_input(prefill.email, lang, required=email_required),
    }


def _intro(definition: EventDefinition, seats_left: int, prefill: Prefill, lang: str) -> str:
    seats = (
        t("reg.modal.seats_left", lang, n=seats_left) if seats_left else t("reg.modal.full", lang)
    )
    text = t(
        "reg.modal.intro",
        lang,
        title=definition.title,
        when=when(definition, lang),
        location=definition.location,
        deadline=deadline(definition, lang),
        seats=seats,
    )
    return text + ("\n" + t("reg.modal.editing", lang) if prefill.editing else "")


def _email_input(initial: str, lang: str, *, required: bool) -> InputBlock:
    block = _text_input(FormField.EMAIL, t("around.field.email", lang), initial,
                        optional=not required)  # fmt: skip
    block.hint = PlainTextObject(
        text=t("around.field.email_hint_external" if required else "around.field.email_hint", lang)
    )
    return block


def _consent_note(definition: EventDefinition, retention: int, lang: str) -> str:
    """How long the data is kept and how to erase it (mrkdwn: the command shows as code), and
    the privacy notice with the controller's name when the event file gives them."""
    note = t("reg.field.consent_hint", lang, days=retention)
    if definition.privacy is not None:
        privacy = definition.privacy
        note += "\n" + t("truth.privacy", lang, controller=privacy.controller, url=privacy.url)
    return note


def build_registration_modal(
    definition: EventDefinition,
    *,
    prefill: Prefill,
    seats_left: int,
    lang: str,
    email_required: bool = False,
) -> View:
    """The full registration form, prefilled."""
    retention = definition.retention_days if definition.retention_days is not None else 30
    consent_option = Option(value=CONSENT_VALUE, text=t("reg.field.consent_text", lang))
    profile = _profile_inputs(prefill, lang, email_required=email_required)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=_intro(definition, seats_left, prefill, lang))),
        profile[FormField.NAME],
        _text_input(
            FormField.ORGANISATION, t("reg.field.organisation", lang), prefill.organisation
        ),
        profile[FormField.ROLE],
        profile[FormField.EMAIL],
        ContextBlock(elements=[MarkdownTextObject(text=t("reg.field.choices_hint", lang))]),
        *build_area_descriptions(definition),
        *_choice_blocks(definition, prefill, lang),
        _text_input(
            FormField.COMMENT,
            t("reg.field.comment", lang),
            prefill.comment,
            optional=True,
            multiline=True,
        ),
        InputBlock(
            block_id=FormField.CONSENT,
            label=PlainTextObject(text=t("reg.field.consent", lang)),
            element=CheckboxesElement(
                action_id=FormField.CONSENT,
                options=[consent_option],
                initial_options=[consent_option] if prefill.consent else None,
            ),
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=_consent_note(definition, retention, lang))]
        ),
    ]
    return View(
        type="modal",
        callback_id=Callback.REGISTRATION_MODAL,
        title=PlainTextObject(text=t("reg.modal.title", lang)),
        submit=PlainTextObject(text=t("reg.modal.submit", lang)),
        close=PlainTextObject(text=t("reg.modal.close", lang)),
        private_metadata=modal_metadata(definition.slug, lang, prefill.email),
        blocks=blocks,
    )


def with_seats_left(
    empty_form: dict, definition: EventDefinition, seats_left: int, lang: str
) -> dict:
    """The empty registration form (build_registration_modal(...).to_dict() with no prefill)
    telling another seat count: only its first block, the intro, depends on it, so a form
    validated once serves every count while the seats fill (the rest is shared, not copied)."""
    intro = SectionBlock(
        text=MarkdownTextObject(text=_intro(definition, seats_left, Prefill(), lang))
    )
    return {**empty_form, "blocks": [intro.to_dict(), *empty_form["blocks"][1:]]}


def with_profile(
    empty_form: dict,
    definition: EventDefinition,
    prefill: Prefill,
    lang: str,
    *,
    email_required: bool = False,
) -> dict:
    """An empty registration form (as EmptyForms keeps it, any seat count) prefilled from a
    Slack profile: the same as build_registration_modal(...).to_dict() with this prefill, built
    from what was validated once. A profile gives only the name, title and e-mail: the name,
    role and e-mail fields change (and the metadata, which keeps the e-mail); a prefill with
    anything else (an edit of a stored registration) raises ValueError."""
    if not prefill.profile_only:
        raise ValueError("with_profile takes a profile's name, title and e-mail only")
    fields = _profile_inputs(prefill, lang, email_required=email_required)
    blocks = [
        fields[block["block_id"]].to_dict() if block.get("block_id") in fields else block
        for block in empty_form["blocks"]
    ]
    metadata = modal_metadata(definition.slug, lang, prefill.email)
    return {**empty_form, "private_metadata": metadata, "blocks": blocks}


def build_groups_modal(
    definition: EventDefinition, *, preferences: tuple[str, ...], lang: str
) -> View:
    """Only the ranked group choices (/anmal grupp)."""
    prefill = Prefill(preferences=preferences)
    return View(
        type="modal",
        callback_id=Callback.GROUPS_MODAL,
        title=PlainTextObject(text=t("reg.modal.title_groups", lang)),
        submit=PlainTextObject(text=t("reg.modal.submit_groups", lang)),
        close=PlainTextObject(text=t("reg.modal.close", lang)),
        private_metadata=modal_metadata(definition.slug, lang),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"*{definition.title}*")),
            ContextBlock(elements=[MarkdownTextObject(text=t("reg.field.choices_hint", lang))]),
            *build_area_descriptions(definition),
            *_choice_blocks(definition, prefill, lang),
        ],
    )


def read_values(state_values: dict) -> dict[FormField, object]:
    """The submitted values of a registration or groups modal, keyed by field."""
    values: dict[FormField, object] = {}
    for field in FormField:
        element = state_values.get(field, {}).get(field)
        if element is None:
            continue
        kind = element.get("type")
        if kind == "static_select":
            values[field] = (element.get("selected_option") or {}).get("value")
        elif kind == "checkboxes":
            selected = element.get("selected_options") or []
            values[field] = any(o.get("value") == CONSENT_VALUE for o in selected)
        else:
            values[field] = element.get("value")
    return values


def build_notice_modal(title: str, text: str) -> View:
    """A closing modal that shows one message (the outcome of a submission)."""
    return View(
        type="modal",
        title=PlainTextObject(text=title),
        close=PlainTextObject(text="OK"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text[:3000]))],
    )
