"""The Home tab: a participant's events, registration, group and program; for coordinators a
dashboard per event with counts, deadline countdown, next posts, problems and action buttons."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.coordinator import countdown, scheduled_buttons
from bot.blocks.post_labels import broadcast_label, post_label
from bot.blocks.review import review_button_element
from bot.coordination.dashboard import Dashboard, ParticipantItem
from bot.events.texts import group_names, when
from bot.i18n import t
from bot.ids.coordinator import Action, home_button_value
from bot.timefmt import format_datetime, format_span
from bot.workshop.feedback import FeedbackResults

MAX_BLOCKS = 100
MAX_PROGRAM_LINES = 25
MAX_COMMENTS = 5  # the latest feedback comments on the dashboard (all are in the documentation)


def _md(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _participant(item: ParticipantItem, lang: str) -> list[Block]:
    d = item.definition
    if item.status == "waitlisted":
        status = t("coord.home.waitlisted", lang, position=item.waitlist_position)
    else:
        status = t("coord.home.registered", lang)
    group = d.group(item.group_key) if item.group_key else None
    status += "\n" + (
        t("coord.home.group", lang, group=group.name)
        if group
        else t("coord.home.choices", lang, groups=group_names(d, item.preferences, lang))
    )
    blocks: list[Block] = [_md(t("coord.home.registration", lang, title=d.title,
                                 when=when(d, lang), status=status))]  # fmt: skip
    lines = [f"{format_span(a.start, a.end)} {a.title}" for a in d.flat_agenda()]
    if lines:
        program = "\n".join(lines[:MAX_PROGRAM_LINES])
        blocks.append(_md(t("coord.home.program", lang, lines=program)))
    return blocks


def _feedback(results: FeedbackResults, lang: str) -> list[Block]:
    """Counts per score, the mean and the latest comments of the feedback question."""
    mean = f"{results.mean or 0:.1f}"
    counts = ", ".join(f"{score}: {n}" for score, n in results.counts.items())
    blocks: list[Block] = [_md(t("workshop.home.feedback", lang, n=results.total,
                                 mean=mean.replace(".", ",") if lang == "sv" else mean,
                                 counts=counts))]  # fmt: skip
    if results.comments:
        latest = results.comments[-MAX_COMMENTS:]
        lines = "\n".join(f"> {' '.join(c.split())[:300]}" for c in latest)
        blocks.append(_md(t("workshop.home.comments", lang, lines=lines)[:3000]))
    return blocks


def _dashboard(board: Dashboard, now: datetime, lang: str) -> list[Block]:
    o, d = board.overview, board.overview.definition
    blocks: list[Block] = [
        DividerBlock(),
        _md(t("coord.home.dashboard", lang, title=d.title)),
        _md(t("coord.home.counts", lang, registered=o.registered, limit=o.seat_limit,
              waitlisted=o.waitlisted, left=o.seats_left,
              countdown=countdown(o.closes_at, now, lang))),
    ]  # fmt: skip
    for progress in board.sending:
        blocks.append(_md(t("coord.home.sending", lang, sent=progress.sent, total=progress.total)))
    if board.next_posts:
        lines = "\n".join(
            f"• {format_datetime(p.at, d.timezone, lang)}: {post_label(p, lang)}"
            for p in board.next_posts
            if p.broadcast_id is None
        )
        blocks.append(_md(t("coord.home.next_posts", lang, lines=lines)))
        for post in board.next_posts:  # each broadcast says which it is, right above its buttons
            if post.broadcast_id is not None:
                blocks.append(_md(broadcast_label(post, d, lang)))
                blocks.append(scheduled_buttons(post.broadcast_id, lang))
    else:
        blocks.append(_md(t("coord.home.no_posts", lang)))
    if board.feedback is not None:
        blocks += _feedback(board.feedback, lang)
    key = "coord.home.problems" if board.problems else "coord.home.no_problems"
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t(key, lang, n=board.problems))]))
    value = home_button_value(d.slug)
    blocks.append(ActionsBlock(elements=[
        ButtonElement(text=t("coord.btn.broadcast", lang), action_id=Action.HOME_BROADCAST,
                      value=value, style="primary"),
        ButtonElement(text=t("coord.btn.list", lang), action_id=Action.HOME_LIST, value=value),
        ButtonElement(text=t("coord.btn.export", lang), action_id=Action.HOME_EXPORT, value=value),
        ButtonElement(text=t("coord.btn.publish", lang), action_id=Action.HOME_PUBLISH,
                      value=value),
        review_button_element(d.slug, lang),  # the draft, group by group
    ]))  # fmt: skip
    return blocks


def build_home(items: list[ParticipantItem], boards: list[Dashboard], *, now: datetime,
               lang: str) -> dict:  # fmt: skip
    """The whole Home tab (at most 100 blocks: dashboards first, then the participant part).
    Its headings are in lang; each dashboard in its event's language (as everything a coordinator
    gets about the event), each registration in the language the person registered in."""
    blocks: list[Block] = [HeaderBlock(text=t("coord.home.title", lang))]
    for board in boards:
        blocks += _dashboard(board, now, board.overview.definition.language)
    blocks += [DividerBlock(), _md(t("coord.home.mine", lang))]
    if not items:
        blocks.append(_md(t("coord.home.none", lang)))
    for item in items:
        blocks += _participant(item, item.lang)
    return View(type="home", blocks=blocks[:MAX_BLOCKS]).to_dict()
