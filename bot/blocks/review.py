"""Block Kit of the draft review: the coordinators' look at the groups before publishing."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.breakouts.review import DraftReview, ReviewGroup
from bot.i18n import t
from bot.ids.workshop import Action, Block, Callback, event_value

MAX_GROUPS = 40  # 2 blocks per group within a modal's 100


def review_button_element(slug: str, lang: str) -> ButtonElement:
    """The "Granska grupperna" button (the drafted DM and the Home dashboard)."""
    return ButtonElement(text=t("workshop.review.button", lang), action_id=Action.REVIEW_OPEN,
                         value=event_value(slug), style="primary")  # fmt: skip


def review_button(slug: str, lang: str) -> ActionsBlock:
    return ActionsBlock(block_id=Block.REVIEW_OPEN, elements=[review_button_element(slug, lang)])


def build_drafted_dm(text: str, slug: str, lang: str) -> list[dict[str, Any]]:
    """The coordinators' "registration closed, draft ready" DM with the review button."""
    return [SectionBlock(text=text[:3000]).to_dict(), review_button(slug, lang).to_dict()]


def _percent(value: Any) -> str:
    return f"{round(100 * float(value or 0))} %"


def _quality(review: DraftReview, lang: str) -> str:
    q, base = review.quality, review.baseline
    text = t("workshop.review.quality", lang, first=_percent(q.get("share_first")),
             listed=_percent(q.get("share_any_listed")), cost=q.get("rank_cost", "–"))  # fmt: skip
    if base:
        text += "\n" + t("workshop.review.baseline", lang, first=_percent(base.get("share_first")),
                         listed=_percent(base.get("share_any_listed")),
                         cost=base.get("rank_cost", "–"))  # fmt: skip
    return text


def _choice(rank: int | None, lang: str) -> str:
    return t("workshop.review.rank", lang, n=rank) if rank else t("workshop.review.unlisted", lang)


def _group(group: ReviewGroup, lang: str) -> str:
    warn = ""
    if group.size < group.min_size:
        warn = " " + t("workshop.review.under_min", lang)
    elif group.size > group.max_size:
        warn = " " + t("workshop.review.over_max", lang)
    head = t("workshop.review.group", lang, name=group.name, n=group.size,
             min=group.min_size, max=group.max_size) + warn  # fmt: skip
    mix = ", ".join(f"{org or '–'} {n}" for org, n in group.org_counts.items())
    lines = [head, t("workshop.review.mix", lang, mix=mix) if mix else ""]
    for m in group.members:
        pin = " :pushpin:" if m.pinned else ""
        lines.append(f"• {m.name} ({m.organisation or '–'}): {_choice(m.rank, lang)}{pin}")
    return "\n".join(line for line in lines if line)[:3000]


def build_review_modal(review: DraftReview, lang: str) -> View:
    """Per group its members, organisation and choice got; the mix; size against min/max;
    warnings; quality against first-come-first-served; publish (submit) and re-draft."""
    status = t(f"workshop.review.status.{review.status}", lang)
    blocks: list[Any] = [
        SectionBlock(text=MarkdownTextObject(text=t("workshop.review.intro", lang,
                     title=review.title, version=review.version, status=status))),
        SectionBlock(text=MarkdownTextObject(text=_quality(review, lang))),
    ]  # fmt: skip
    warnings = list(review.notes)
    if review.unplaced:
        warnings.append(t("workshop.review.unplaced", lang, n=review.unplaced))
    if warnings:
        text = t("workshop.review.warnings", lang) + "\n" + "\n".join(f"• {w}" for w in warnings)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text[:3000])))
    blocks.append(ActionsBlock(block_id=Block.REVIEW_ACTIONS, elements=[
        ButtonElement(text=t("workshop.review.redraft", lang), action_id=Action.REVIEW_REDRAFT,
                      value=event_value(review.slug))]))  # fmt: skip
    pin_help = t("workshop.review.pin_help", lang, slug=review.slug)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=pin_help)]))
    for group in review.groups[:MAX_GROUPS]:
        blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=_group(group, lang)))]
    published = review.status == "published"
    return View(
        type="modal",
        callback_id=Callback.REVIEW_MODAL,
        private_metadata=event_value(review.slug),
        title=PlainTextObject(text=t("workshop.review.title", lang)),
        submit=None if published else PlainTextObject(text=t("workshop.review.publish", lang)),
        close=PlainTextObject(text=t("workshop.notes.close", lang)),
        blocks=blocks,
    )
