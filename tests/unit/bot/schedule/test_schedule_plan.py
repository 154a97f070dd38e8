"""The planner: exact times for the seed example, deterministic keys, minimal re-plans."""

from __future__ import annotations

from datetime import time

from bot.events.schema import AgendaItem
from bot.schedule import texts
from bot.schedule.plan import Audience, PostKind, plan_posts
from tests.conftest import stockholm


def test_seed_example_reminders_fall_five_minutes_before_each_item(example):
    posts = plan_posts(example)
    reminders = [
        (p.due.strftime("%H:%M"), p.item_id) for p in posts if p.kind == PostKind.ITEM_REMINDER
    ]
    assert [due for due, _ in reminders] == [
        "08:10",
        "08:25",
        "08:35",
        "08:50",
        "09:05",  # check-in .. the first break
        "09:25",
        "09:30",
        "10:05",
        "10:20",
        "10:40",
        "11:00",  # the workshop's parts
        "11:20",  # the summing-up
    ]
    assert reminders[0] == ("08:10", "incheckning")
    assert "workshop" not in {item for _, item in reminders}  # the section heading itself
    assert all(
        p.channel == "#partnerskapsdag-skelleftea" for p in posts if p.audience == Audience.CHANNEL
    )


def test_seed_example_registration_and_day_posts(example):
    posts = {p.key: p for p in plan_posts(example)}
    assert posts["deadline-reminder:skelleftea-2021:3d"].due == stockholm(2021, 4, 13, 16, 30)
    assert posts["deadline-reminder:skelleftea-2021:1d"].due == stockholm(2021, 4, 15, 16, 30)
    assert posts["closed:skelleftea-2021"].due == stockholm(2021, 4, 16, 16, 30)
    assert posts["joinlink:skelleftea-2021"].due == stockholm(2021, 4, 21, 15, 0)
    assert posts["morning:skelleftea-2021"].due == stockholm(2021, 4, 22, 7, 45)
    breakouts = [p for p in posts.values() if p.kind == PostKind.BREAKOUT]
    assert [p.due for p in breakouts] == [
        stockholm(2021, 4, 22, 9, 35),
        stockholm(2021, 4, 22, 10, 45),
    ]
    assert posts["feedback:skelleftea-2021"].due == stockholm(2021, 4, 22, 12, 0)
    assert posts["purge:skelleftea-2021"].due == stockholm(2021, 5, 22, 11, 45)
    assert all(p.due.tzinfo is not None for p in posts.values())


def test_keys_are_deterministic_and_unique(example):
    first, second = plan_posts(example), plan_posts(example)
    assert [p.key for p in first] == [p.key for p in second]
    assert len({p.key for p in first}) == len(first)


def test_now_leaves_out_what_is_past(example):
    later = plan_posts(example, now=stockholm(2021, 4, 22, 10, 0))
    assert later[0].due == stockholm(2021, 4, 22, 10, 5)


def _edited(example, agenda):
    return example.model_copy(update={"agenda": agenda})


def test_moving_one_item_changes_only_its_posts(example):
    before = {p.key: p.due for p in plan_posts(example)}
    agenda = list(example.agenda)
    agenda[0] = agenda[0].model_copy(update={"start": time(8, 0)})  # check-in 15 min earlier
    after = {p.key: p.due for p in plan_posts(_edited(example, agenda))}
    assert before.keys() == after.keys()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"reminder:skelleftea-2021:incheckning:5", "morning:skelleftea-2021"}
    assert after["reminder:skelleftea-2021:incheckning:5"] == stockholm(2021, 4, 22, 7, 55)


def test_adding_and_removing_items_touch_only_their_keys(example):
    before = {p.key: p.due for p in plan_posts(example)}
    extra = AgendaItem(
        start=time(11, 45), end=time(12, 0), title="Mingel", reminder_minutes=[10, 1]
    )
    agenda = [*example.agenda[1:], extra]  # check-in removed, a mingle added at the end
    after = {p.key: p.due for p in plan_posts(_edited(example, agenda))}
    assert before.keys() - after.keys() == {"reminder:skelleftea-2021:incheckning:5"}
    assert after.keys() - before.keys() == {
        "reminder:skelleftea-2021:mingel:10",
        "reminder:skelleftea-2021:mingel:1",
    }
    common = before.keys() & after.keys() - {"morning:skelleftea-2021"}
    assert all(before[k] == after[k] for k in common)


def test_texts_are_swedish_with_swedish_dates(example):
    text = texts.deadline_reminder(example, seats_left=12)
    assert "fredag 16 april 2021 kl. 16:30" in text and "Platser kvar: 12." in text
    item = example.flat_agenda()[0]
    assert texts.reminder(example, item, 5) == ":bell: Om 5 min, kl. 08:15: *Incheckning*"
    assert "08:30–08:40 Inledning" in texts.program(example)
    assert "    09:35–10:10 Samtal i föranmälda grupper" in texts.program(example)


def test_english_event_gets_english_texts(example):
    english = example.model_copy(update={"language": "en"})
    assert "Friday 16 April 2021 at 16:30" in texts.deadline_reminder(english, seats_left=0)
