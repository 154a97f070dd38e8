"""Block Kit for coordinators: help and overview messages, the broadcast modal and its preview,
the notices after confirming, and the progress message of a running broadcast."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DateTimePickerElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.coordination.audience import GROUP_PREFIX, Audience, GroupSource
from bot.coordination.breakout_actions import BreakoutOutcome
from bot.coordination.broadcast_sending import Progress
from bot.coordination.broadcasts import MAX_TEXT
from bot.coordination.commands import Verb
from bot.coordination.overview import Overview
from bot.events.schema import EventDefinition
from bot.i18n import t
from bot.ids.coordinator import (
    Action,
    Callback,
    Field,
    broadcast_button_value,
    broadcast_modal_metadata,
    preview_metadata,
)
from bot.timefmt import format_datetime

MAX_FAILURES_SHOWN = 20


def countdown(closes_at: datetime, now: datetime, lang: str) -> str:
    """'om 3 d 4 h' until the deadline, or 'stängd'."""
    left = closes_at - now
    if left.total_seconds() <= 0:
        return t("coord.countdown.closed", lang)
    return t("coord.countdown.left", lang, days=left.days, hours=left.seconds // 3600)


def build_overview_text(overview: Overview, now: datetime, lang: str) -> str:
    """/samordna lista as one mrkdwn text."""
    definition = overview.definition
    lines = [
        t("coord.list.title", lang, title=definition.title),
        t("coord.list.counts", lang, registered=overview.registered, limit=overview.seat_limit,
          left=overview.seats_left, waitlisted=overview.waitlisted,
          cancelled=overview.cancelled),
        t("coord.list.deadline", lang,
          deadline=format_datetime(overview.closes_at, definition.timezone, lang),
          countdown=countdown(overview.closes_at, now, lang)),
        "",
        t("coord.list.groups", lang),
    ]  # fmt: skip
    for g in overview.groups:
        r1, r2, r3 = g.by_rank
        lines.append(t("coord.list.group", lang, name=g.name, r1=r1, r2=r2, r3=r3, max=g.max_size))
    return "\n".join(lines)


def _option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text[:75]), value=value)


def build_broadcast_modal(
    definition: EventDefinition,
    *,
    lang: str,
    text: str = "",
    audiences: list[str] | None = None,
    send_at: datetime | None = None,
    replaces_id: int | None = None,
) -> dict:
    """The compose modal: message, audiences (channel, registered, waitlist, one group), time."""
    audiences = audiences or []
    choices = [
        _option(t("coord.aud.channel", lang, channel=definition.channel), Audience.CHANNEL),
        _option(t("coord.aud.registered", lang), Audience.REGISTERED),
        _option(t("coord.aud.waitlist", lang), Audience.WAITLIST),
    ]
    initial = [o for o in choices if o.value in audiences]
    groups = [_option(g.name, GROUP_PREFIX + g.key) for g in definition.groups][:100]
    group_initial = next((o for o in groups if o.value in audiences), None)
    blocks = [
        SectionBlock(
            text=MarkdownTextObject(text=t("coord.modal.intro", lang, title=definition.title))
        ),  # fmt: skip
        InputBlock(
            block_id=Field.TEXT,
            label=t("coord.field.text", lang),
            hint=t("coord.field.text_hint", lang, max=MAX_TEXT),
            element=PlainTextInputElement(
                action_id=Field.TEXT, multiline=True, initial_value=text or None
            ),
        ),
        InputBlock(
            block_id=Field.AUDIENCE,
            label=t("coord.field.audience", lang),
            optional=True,
            element=CheckboxesElement(
                action_id=Field.AUDIENCE, options=choices, initial_options=initial or None
            ),
        ),
        InputBlock(
            block_id=Field.GROUP,
            label=t("coord.field.group", lang),
            optional=True,
            element=StaticSelectElement(
                action_id=Field.GROUP,
                placeholder=t("coord.field.group_placeholder", lang),
                options=groups,
                initial_option=group_initial,
            ),
        ),
        InputBlock(
            block_id=Field.SEND_AT,
            label=t("coord.field.send_at", lang),
            hint=t("coord.field.send_at_hint", lang),
            optional=True,
            element=DateTimePickerElement(
                action_id=Field.SEND_AT,
                initial_date_time=int(send_at.timestamp()) if send_at else None,
            ),
        ),
    ]
    metadata = broadcast_modal_metadata(definition.slug, lang, replaces_id)
    return View(
        type="modal",
        callback_id=Callback.BROADCAST_MODAL,
        title=t("coord.modal.title", lang),
        submit=t("coord.modal.submit", lang),
        close=t("coord.modal.close", lang),
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()


def read_broadcast_values(values: dict) -> tuple[str, list[str], datetime | None]:
    """(text, audiences, send_at) from a view_submission's state.values."""

    def state(field: Field) -> dict:
        return values.get(field, {}).get(field, {}) or {}

    text = state(Field.TEXT).get("value") or ""
    audiences = [o["value"] for o in state(Field.AUDIENCE).get("selected_options") or []]
    group = state(Field.GROUP).get("selected_option")
    if group:
        audiences.append(group["value"])
    stamp = state(Field.SEND_AT).get("selected_date_time")
    send_at = datetime.fromtimestamp(int(stamp), tz=UTC) if stamp else None
    return text, audiences, send_at


def describe_audiences(definition: EventDefinition, audiences: list[str], lang: str) -> str:
    words = []
    for audience in audiences:
        if audience.startswith(GROUP_PREFIX):
            group = definition.group(audience.removeprefix(GROUP_PREFIX))
            words.append(t("coord.aud.group", lang, name=group.name if group else audience))
        else:
            words.append(t(f"coord.aud.{audience}", lang, channel=definition.channel))
    return ", ".join(words)


def build_preview(
    definition: EventDefinition,
    *,
    broadcast_id: int,
    text: str,
    audiences: list[str],
    count: int,
    group_source: GroupSource | None,
    send_at: datetime | None,
    rate: float,
    replaces: bool,
    lang: str,
) -> dict:
    """The message as it will look, the number of recipients, and when; submit confirms."""
    notes = [t("coord.preview.count", lang, n=f"{count:,}".replace(",", " "),
               audiences=describe_audiences(definition, audiences, lang))]  # fmt: skip
    if group_source is GroupSource.PUBLISHED:
        notes.append(t("coord.preview.published", lang))
    elif group_source is GroupSource.FIRST_CHOICE:
        notes.append(t("coord.preview.first_choice", lang))
    if send_at is None:
        notes.append(t("coord.preview.now", lang, rate=f"{rate:g}"))
    else:
        when = format_datetime(send_at, definition.timezone, lang)
        notes.append(t("coord.preview.at", lang, when=when))
    if replaces:
        notes.append(t("coord.preview.replaces", lang))
    return View(
        type="modal",
        callback_id=Callback.BROADCAST_PREVIEW,
        title=t("coord.preview.title", lang),
        submit=t("coord.preview.send" if send_at is None else "coord.preview.schedule", lang),
        close=t("coord.preview.back", lang),
        private_metadata=preview_metadata(broadcast_id, lang),
        blocks=[
            ContextBlock(elements=[MarkdownTextObject(text=t("coord.preview.intro", lang))]),
            DividerBlock(),
            SectionBlock(text=MarkdownTextObject(text=text)),
            DividerBlock(),
            SectionBlock(text=MarkdownTextObject(text="\n".join(notes))),
        ],
    ).to_dict()


def build_notice(title: str, text: str, *, scheduled_id: int | None = None, lang: str) -> dict:
    """A closing modal; for a scheduled broadcast with buttons to change or cancel it."""
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=text))]
    if scheduled_id is not None:
        blocks.append(scheduled_buttons(scheduled_id, lang))
    return View(type="modal", title=title[:24], close="OK", blocks=blocks).to_dict()


def scheduled_buttons(broadcast_id: int, lang: str) -> ActionsBlock:
    value = broadcast_button_value(broadcast_id)
    return ActionsBlock(
        elements=[
            ButtonElement(text=t("coord.change", lang), action_id=Action.CHANGE_SCHEDULED,
                          value=value),
            ButtonElement(text=t("coord.cancel", lang), action_id=Action.CANCEL_SCHEDULED,
                          value=value, style="danger"),
        ]
    )  # fmt: skip


def _who(recipient: str) -> str:
    return f"<@{recipient}>" if recipient[:1] in ("U", "W") else f"<#{recipient}>"


def _retry_buttons(progress: Progress, lang: str) -> list[ButtonElement]:
    """Retry what certainly failed; what may have arrived only on an explicit second button."""
    value = broadcast_button_value(progress.broadcast_id)
    buttons = []
    if progress.failed:
        buttons.append(ButtonElement(text=t("coord.retry", lang), action_id=Action.RETRY_FAILED,
                                     value=value, style="primary"))  # fmt: skip
    if progress.unknown:
        buttons.append(ButtonElement(text=t("bad_input.retry_unknown", lang),
                                     action_id=Action.RETRY_UNKNOWN, value=value))  # fmt: skip
    return buttons


def build_progress(title: str, progress: Progress, lang: str) -> tuple[str, list[dict]]:
    """The one progress message: 'n av N skickade', then failures with a retry button."""
    key = "coord.progress.done" if progress.done else "coord.progress"
    text = t(key, lang, title=title, sent=f"{progress.sent:,}".replace(",", " "),
             total=f"{progress.total:,}".replace(",", " "))  # fmt: skip
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=text))]
    lines: list[str] = []
    if progress.failed:
        lines += [t("coord.progress.failed", lang, n=len(progress.failed))]
        lines += [f"• {_who(r)} (`{e}`)" for r, e in progress.failed[:MAX_FAILURES_SHOWN]]
        if len(progress.failed) > MAX_FAILURES_SHOWN:
            lines.append(t("coord.progress.more", lang,
                           n=len(progress.failed) - MAX_FAILURES_SHOWN))  # fmt: skip
    if progress.unknown:
        lines += [t("bad_input.progress.unknown", lang, n=len(progress.unknown))]
        lines += [f"• {_who(r)}" for r in progress.unknown[:MAX_FAILURES_SHOWN]]
        if len(progress.unknown) > MAX_FAILURES_SHOWN:
            lines.append(t("coord.progress.more", lang,
                           n=len(progress.unknown) - MAX_FAILURES_SHOWN))  # fmt: skip
    if lines:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines)[:3000])))
    if lines and progress.done:
        blocks.append(ActionsBlock(elements=_retry_buttons(progress, lang)))
    return text, [b.to_dict() for b in blocks]


def build_breakout_text(outcome: BreakoutOutcome, lang: str) -> str:
    """The answer to flytta / lossa / publicera, the same from /samordna and from the Home tab."""
    if outcome.verb == Verb.UNPIN:
        if not outcome.pinned:
            return t("workshop.not_pinned", lang, user=outcome.user_id)
        return t("workshop.unpinned", lang, user=outcome.user_id, version=outcome.version)
    if outcome.verb == Verb.MOVE:
        return t("coord.moved", lang, user=outcome.user_id, slug=outcome.slug,
                 group=outcome.group_name, version=outcome.version)  # fmt: skip
    return t("coord.published", lang, title=outcome.title, version=outcome.version)
