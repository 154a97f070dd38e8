"""End to end: lista, export (slash command and CLI), flytta/publicera and the Home tab."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.events.loading import load_event_file
from bot.ids.coordinator import Action
from cli.main import main as cli
from storage.models import Assignment, AssignmentStatus, Broadcast, OutboxMessage, Pin
from tests.conftest import SECOND_EXAMPLE, load
from tests.support.coordination import COORDINATOR, SLUG, publish_placements, register_people, user
from tests.support.forms import count


@pytest.fixture
def event(db, clock, example):
    load(db, example, clock)
    return register_people(db, clock.now(), 6)


def test_lista_shows_counts_preferences_seats_and_deadline(bot, event):
    text = bot.sender.command("/samordna", "lista", COORDINATOR).body
    assert "Anmälda: *6* av 120 (platser kvar: 114)" in text
    assert "Väntelista: *0*" in text
    assert "Sista anmälan: fredag 16 april 2021 kl. 16:30 (om 15 d 6 h)" in text
    assert "• Diskussionsgrupp 1: Lärare – yrke och utbildning: 2 / 0 / 0 (max 25)" in text
    assert "• Artificiell Intelligens (AI): 2 / 0 / 0 (max 30)" in text


def test_export_uploads_an_excel_friendly_csv_to_the_coordinators_dm(bot, event):
    reply = bot.sender.command("/samordna", "export skelleftea-2021", COORDINATOR)
    assert "Jag skickar deltagarlistan" in reply.body
    complete = bot.slack.wait_for("files.completeUploadExternal")[-1]
    assert complete.params["channel_id"] == "D01JGARDEST"  # the coordinator's DM
    files = complete.params["files"]
    file_id = (json.loads(files) if isinstance(files, str) else files)[0]["id"]
    data = bot.slack.uploads[file_id]
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Anmälningsnummer;Status;Namn;Organisation;Roll;Val 1")
    assert len(lines) == 7
    assert lines[1].startswith("1;anmäld;Person 0;Org 0;;Diskussionsgrupp 1: Lärare")


def test_cli_export_writes_the_same_csv(db, event, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = tmp_path / "lista.csv"
    assert cli(["export", SLUG, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 7
    assert "6 deltagare skrivna" in capsys.readouterr().out
    assert cli(["export", "finns-inte"]) == 1
    assert "Inget evenemang heter 'finns-inte'" in capsys.readouterr().err


def test_flytta_pins_and_redrafts_then_publicera_publishes(bot, db, event):
    bot.sender.command("/samordna", f"flytta <@{user(0)}|person0> ai", COORDINATOR)
    moved = bot.slack.wait_for("chat.postEphemeral")[-1].params["text"]
    assert f"<@{user(0)}> är flyttad till *Artificiell Intelligens (AI)*" in moved
    with db.transaction() as session:
        assert session.scalars(select(Pin.group_key)).one() == "ai"
        assert session.scalars(select(Assignment.status)).one() == AssignmentStatus.DRAFT
    bot.sender.command("/samordna", "publicera", COORDINATOR)
    published = bot.slack.wait_for("chat.postEphemeral", 2)[-1].params["text"]
    assert "(version 1) är publicerad" in published
    with db.transaction() as session:
        assert session.scalars(select(Assignment.status)).one() == AssignmentStatus.PUBLISHED


def test_flytta_to_an_unknown_group_is_a_clear_message(bot, db, event):
    bot.sender.command("/samordna", f"flytta <@{user(0)}> finnsinte", COORDINATOR)
    text = bot.slack.wait_for("chat.postEphemeral")[-1].params["text"]
    assert "Gruppen `finnsinte` finns inte i evenemanget." in text
    with db.transaction() as session:
        assert session.scalars(select(Pin)).all() == []


def test_flytta_someone_not_registered_is_a_clear_message(bot, db, event):
    bot.sender.command("/samordna", "flytta <@U0NOTREG|nobody> ai", COORDINATOR)
    text = bot.slack.wait_for("chat.postEphemeral")[-1].params["text"]
    assert "<@U0NOTREG> är inte anmäld (med plats) till evenemanget." in text
    with db.transaction() as session:
        assert session.scalars(select(Pin)).all() == []
        assert session.scalars(select(Assignment)).all() == []


def test_home_shows_a_participant_their_event_group_and_program(bot, db, clock, event):
    publish_placements(db, clock.now(), {user(1): "energi"})
    bot.sender.event({"type": "app_home_opened", "user": user(1), "tab": "home"})
    view = bot.slack.wait_for("views.publish")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view, ensure_ascii=False)
    assert "Digital partnerskapsdag" in text and "Du är anmäld." in text
    assert "Din grupp: *Hållbar samhällsutveckling*" in text
    assert "08:15–08:30 Incheckning" in text
    assert "Samordning" not in text and Action.HOME_BROADCAST not in text


def test_home_shows_a_coordinator_a_dashboard_with_actions(bot, db, clock, event):
    bot.sender.event({"type": "app_home_opened", "user": COORDINATOR, "tab": "home"})
    view = bot.slack.wait_for("views.publish")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view, ensure_ascii=False)
    assert "Samordning: Digital partnerskapsdag" in text
    assert "Anmälda *6*/120" in text and "Sista anmälan: om 15 d 6 h" in text
    assert "Inga misslyckade utskick." in text
    actions = [e["action_id"] for b in view["blocks"] if b["type"] == "actions"
               for e in b["elements"]]  # fmt: skip
    assert actions == [Action.HOME_BROADCAST, Action.HOME_LIST, Action.HOME_EXPORT,
                       Action.HOME_PUBLISH, "workshop_review_open"]  # fmt: skip
    bot.sender.click(Action.HOME_LIST, SLUG, COORDINATOR)
    dm = bot.slack.wait_for("chat.postMessage")[-1]
    assert dm.channel == COORDINATOR and "Anmälda: *6* av 120" in dm.params["text"]


def test_help_and_unknown_text(bot, event):
    help_text = bot.sender.command("/samordna", "hjalp", COORDINATOR).body
    assert "`/samordna utskick [SLUG]`" in help_text and "`/samordna publicera [SLUG]`" in help_text
    unknown = bot.sender.command("/samordna", "skicka allt", COORDINATOR).body
    assert unknown.startswith("Jag förstod inte `skicka allt`.") and "`/samordna lista" in unknown


def test_the_dashboard_refreshes_when_a_broadcast_ends(bot, db, clock, event):
    from tests.e2e.handlers.test_coordinator_broadcast import answers, open_compose, wait_done
    from tests.support.coordination import fast_runner

    fast_runner(bot.services)
    preview = bot.sender.submit_view(open_compose(bot), answers(), COORDINATOR).json()["view"]
    bot.sender.submit_view(preview, {}, COORDINATOR)
    wait_done(bot)
    home = bot.slack.wait_for("views.publish")[-1].params
    assert home["user_id"] == COORDINATOR and "Samordning" in json.dumps(home["view"])


@pytest.mark.parametrize("verb", ["utskick", "lista", "export", "publicera"])
def test_a_coordinator_of_several_events_is_asked_which(bot, db, clock, example, verb):
    other = load_event_file(SECOND_EXAMPLE).model_copy(
        update={"date": example.date, "registration": example.registration.model_copy(),
                "coordinators": example.coordinators.model_copy()}
    )  # fmt: skip
    load(db, example, clock)
    load(db, other, clock)
    reply = bot.sender.command("/samordna", verb, COORDINATOR)
    assert reply.status == 200
    assert reply.body == (
        "Du samordnar flera evenemang. Skriv vilket, t.ex. `/samordna lista SLUG`: "
        "`skelleftea-2021`, `region-vasterbotten-2020`."
    )
    assert count(db, Broadcast) == count(db, Assignment) == count(db, OutboxMessage) == 0
    assert not [c for c in bot.slack.calls if c.method != "auth.test"]
