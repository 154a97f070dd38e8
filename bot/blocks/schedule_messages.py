"""Block Kit of the scheduler's interactive posts: the feedback question with score buttons."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock

from bot.i18n import t
from bot.ids.schedule import Action, Block, feedback_value

SCORES = (1, 2, 3, 4, 5)


def build_feedback_question(text: str, slug: str, lang: str) -> list[dict[str, Any]]:
    """The thank-you text and five score buttons with scale words (value 'slug|score')."""
    buttons = [
        ButtonElement(
            text=t(f"truth.feedback.{score}", lang),
            action_id=f"{Action.FEEDBACK_SCORE}_{score}",
            value=feedback_value(slug, score),
        )
        for score in SCORES
    ]
    blocks = [SectionBlock(text=text), ActionsBlock(block_id=Block.FEEDBACK, elements=buttons)]
    return [block.to_dict() for block in blocks]
