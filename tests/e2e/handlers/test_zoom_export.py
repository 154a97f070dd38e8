"""End to end: /samordna zoom and `app.py export SLUG --zoom` from the published groups."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select, update

from cli.main import main as cli
from storage.models import OutboxMessage, Registration
from tests.conftest import load
from tests.support.coordination import (
    COORDINATOR,
    OUTSIDER,
    SLUG,
    publish_placements,
    register_people,
    user,
)


@pytest.fixture
def event(db, clock, example):
    load(db, example, clock)
    users = register_people(db, clock.now(), 5)
    with db.transaction() as session:
        for n in (0, 1, 3, 4):  # person 2 has no known address
            session.execute(
                update(Registration)
                .where(Registration.user_id == user(n))
                .values(email=f"person{n}@umu.se")
            )
    return users


def _uploaded(bot) -> tuple[str, bytes, str]:
    complete = bot.slack.wait_for("files.completeUploadExternal")[-1]
    files = complete.params["files"]
    file_id = (json.loads(files) if isinstance(files, str) else files)[0]["id"]
    return complete.params["channel_id"], bot.slack.uploads[file_id], complete.params


def test_zoom_uploads_the_pre_assignment_with_those_without_email_listed_apart(
    bot, db, clock, event
):
    publish_placements(
        db, clock.now(), {user(0): "ai", user(1): "larare", user(2): "ai", user(3): "ai"}
    )  # fmt: skip  (person 4 is not placed)
    reply = bot.sender.command("/samordna", "zoom skelleftea-2021", COORDINATOR)
    assert "Jag skickar Zoom-filen" in reply.body
    channel, data, params = _uploaded(bot)
    assert channel == "D01JGARDEST"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    assert rows[1:] == [
        ["Diskussionsgrupp 1: Lärare – yrke och utbildning", "person1@umu.se"],
        ["Artificiell Intelligens (AI)", "person0@umu.se"],
        ["Artificiell Intelligens (AI)", "person3@umu.se"],
    ]
    comment = params["initial_comment"]
    assert "3 personer i 2 rum" in comment
    assert f"• Person 2 (<@{user(2)}>) → Artificiell Intelligens (AI)" in comment


def test_zoom_before_publishing_says_so_and_uploads_nothing(bot, db, event):
    bot.sender.command("/samordna", "zoom", COORDINATOR)
    text = bot.slack.wait_for("chat.postEphemeral")[-1].params["text"]
    assert "inte publicerad än" in text and "/samordna publicera skelleftea-2021" in text
    assert bot.slack.calls_to("files.completeUploadExternal") == []


def test_zoom_is_for_coordinators_only(bot, db, clock, event):
    publish_placements(db, clock.now(), {user(0): "ai"})
    reply = bot.sender.command("/samordna", "zoom skelleftea-2021", OUTSIDER)
    assert "Det här kan bara samordnarna" in reply.body
    assert bot.slack.calls_to("files.getUploadURLExternal") == []
    with db.transaction() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_cli_export_zoom_writes_the_file_and_names_those_to_place_by_hand(
    db, clock, event, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert cli(["export", SLUG, "--zoom"]) == 1  # nothing published yet
    assert "inte publicerad än" in capsys.readouterr().err
    publish_placements(db, clock.now(), {user(0): "ai", user(2): "energi"})
    out = tmp_path / "zoom.csv"
    assert cli(["export", SLUG, "--zoom", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Pre-assign Room Name,Email Address",
        "Artificiell Intelligens (AI),person0@umu.se",
    ]
    captured = capsys.readouterr()
    assert "1 personer i 1 rum skrivna till" in captured.out
    assert f"Person 2 (<@{user(2)}>)" in captured.err


def test_the_form_is_prefilled_with_the_profile_address_and_stores_it(bot, db, clock, example):
    from bot.registration.form import FormField
    from tests.support.forms import ANSWERS, USER, open_modal

    load(db, example, clock)
    bot.slack.add_user(USER, real_name="Ida Participant", email="ida@skelleftea.se")
    view = open_modal(bot)
    block = next(b for b in view["blocks"] if b.get("block_id") == FormField.EMAIL)
    assert block["element"]["initial_value"] == "ida@skelleftea.se"
    assert block["optional"] is True
    bot.sender.submit_view(view, {**ANSWERS, FormField.EMAIL: "ida@skelleftea.se"}, USER)
    bot.slack.wait_for("chat.postMessage")
    with db.transaction() as session:
        assert session.scalars(select(Registration.email)).one() == "ida@skelleftea.se"
