"""The workshop half of the rehearsal: synthetic members write their group's notes during the
breakouts (some groups do, some do not, so the regroup summaries and the documentation show
both), and after the day some people answer the feedback question, a few with a comment.
Everything goes over HTTP as Slack would send it: the notes button, the modal, its submission."""

from __future__ import annotations

from bot.events.service import get_event
from bot.events.workshop_schema import QuestionRole
from bot.ids.workshop import Action, Block, event_value, group_value, note_block_id
from bot.schedule.audience import placements_of
from rehearsal.people import Person

# What a group might write, per kind of question (the rehearsal's own invented content).
WRITTEN = {
    QuestionRole.PLAIN: [
        "Kommunen tar emot studenter på praktik; universitetet har kurser som passar, men vi "
        "känner inte till varandras kontaktvägar.",
        "Gemensamma examensarbeten och en återkommande träff en gång per termin.",
    ],
    QuestionRole.NEXT_STEPS: [
        "Ett uppföljande möte i maj; vi tar fram en skiss till en gemensam ansökan i höst.",
    ],
    QuestionRole.CONTACT: ["{name}, {organisation}"],
}
COMMENT_EVERY = 3  # every third of those who give a score adds a comment
COMMENTS = [
    "Bra upplägg, men gärna mer tid i grupperna.",
    "Nyttigt att träffa kollegor från den andra organisationen.",
    "Tekniken strulade lite i början, sedan fungerade det fint.",
]


def _members(rehearsal) -> dict[str, list[str]]:
    with rehearsal.db.read() as session:
        event = get_event(session, rehearsal.definition.slug)
        placed = placements_of(session, event) if event else {}
    members: dict[str, list[str]] = {}
    for user_id, group_key in sorted(placed.items()):
        members.setdefault(group_key, []).append(user_id)
    return members


def _writes(index: int) -> bool:
    """Every other group writes notes; the rest stay silent (both cases are shown)."""
    return index % 2 == 0


def write_notes(rehearsal, breakout_number: int) -> None:
    """One member of each writing group opens "Gruppens anteckningar" and saves the answers."""
    definition = rehearsal.definition
    questions = definition.workshop.questions
    if not questions:
        return
    members = _members(rehearsal)
    people = {p.user_id: p for p in rehearsal.people}
    for index, group in enumerate(definition.groups):
        # a member of this workspace writes (the partner organisation's people are e-mailed)
        users = [user_id for user_id in members.get(group.key, []) if user_id in people]
        if not users or not _writes(index):
            continue
        writer = people[users[breakout_number % len(users)]]
        later = {QuestionRole.NEXT_STEPS, QuestionRole.CONTACT}
        asked = [q for q in questions if (q.role in later) == (breakout_number > 0)]
        answers = {
            note_block_id(q.key): WRITTEN[q.role][(index + n) % len(WRITTEN[q.role])].format(
                name=writer.name, organisation=writer.organisation)
            for n, q in enumerate(asked)
        }  # fmt: skip
        opened = len(rehearsal.slack.calls_to("views.open"))
        rehearsal.sender.click(Action.OPEN_NOTES, group_value(definition.slug, group.key),
                               writer.user_id, block_id=Block.NOTES_BUTTON)  # fmt: skip
        view = rehearsal.slack.wait_for("views.open", opened + 1)[-1].params["view"]
        current = {b["block_id"]: b["element"].get("initial_value")
                   for b in view["blocks"] if b["type"] == "input"}  # fmt: skip
        rehearsal.sender.submit_view(view, {**current, **answers}, writer.user_id)
        rehearsal.say(f"{writer.name} ({group.name})", rehearsal.words("writes_notes"))


def add_comments(rehearsal, answered: list[Person]) -> None:
    """Every COMMENT_EVERY-th of those who gave a score adds a comment through the button."""
    slug = rehearsal.definition.slug
    for n, person in enumerate(answered[::COMMENT_EVERY]):
        opened = len(rehearsal.slack.calls_to("views.open"))
        comment = COMMENTS[n % len(COMMENTS)]
        rehearsal.act(person, "click", comment)
        rehearsal.sender.click(Action.FEEDBACK_COMMENT, event_value(slug), person.user_id,
                               block_id=Block.FEEDBACK_COMMENT)  # fmt: skip
        view = rehearsal.slack.wait_for("views.open", opened + 1)[-1].params["view"]
        rehearsal.sender.submit_view(view, {Block.FEEDBACK_COMMENT: comment}, person.user_id)
        rehearsal.say(person.name, rehearsal.words("comments", comment=comment))
