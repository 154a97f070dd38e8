"""Against the stand-in: the documentation uploaded to each coordinator's DM once, the follow-up
DM weeks later, the group channels kept open for the follow-up, and `app.py report`."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from docx import Document

from bot.clock import SimulatedClock
from bot.schedule.plan import plan_posts
from bot.workshop.notes import save_notes
from cli.main import main as cli
from tests.conftest import load
from tests.support.coordination import publish_placements, register_people
from tests.support.jobs import app_services, run_planned

SLUG = "skelleftea-2021"


@pytest.fixture
def services(db, slack, example):
    clock = SimulatedClock(example.opens_at)
    load(db, example, clock)
    people = register_people(db, clock.now(), 3)
    publish_placements(db, clock.now(), dict(zip(people, ("larare", "larare", "ai"), strict=True)))
    with db.transaction() as session:
        save_notes(session, slug=SLUG, group_key="larare", user_id=people[0], now=clock.now(),
                   answers={"nasta_steg": "Möte i maj", "kontakt": "Ida Lindh"})  # fmt: skip
    services = app_services(db, slack, clock)
    services.plan = {p.kind: p for p in plan_posts(example)}  # type: ignore[attr-defined]
    services.people = people  # type: ignore[attr-defined]
    return services


def _run(services, kind):
    return run_planned(services, services.plan, kind)


def test_the_documentation_is_uploaded_to_each_coordinator_once(services, slack, example):
    post = services.plan["documentation"]
    assert post.due == example.ends_at + timedelta(minutes=15 + 60)  # after the feedback
    _run(services, "documentation")
    completes = slack.calls_to("files.completeUploadExternal")
    assert sorted(c.params["channel_id"] for c in completes) == ["D01IDALINDH", "D01JGARDEST"]
    files = completes[0].params["files"]
    file_id = (json.loads(files) if isinstance(files, str) else files)[0]["id"]
    assert (json.loads(files) if isinstance(files, str) else files)[0]["title"] == (
        "dokumentation-skelleftea-2021.docx"
    )
    document = Document(io.BytesIO(slack.uploads[file_id]))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Möte i maj" in text and "Ida Lindh" in text
    _run(services, "documentation")  # a re-run uploads nothing twice
    assert len(slack.calls_to("files.completeUploadExternal")) == 2


def _with_usergroup(services, example, usergroup):
    grouped = example.model_copy(update={"coordinators": example.coordinators.model_copy(
        update={"usergroup": usergroup})})  # fmt: skip
    load(services.db, grouped, services.clock)


def test_the_documentation_goes_to_the_coordinators_user_group_too(services, slack, example):
    slack.usergroups["S0COORDS"] = ["U01JGARDEST", "U0GROUPMEM"]  # one listed already: once
    _with_usergroup(services, example, "S0COORDS")
    _run(services, "documentation")
    completes = slack.calls_to("files.completeUploadExternal")
    opened = [c.params["users"] for c in slack.calls_to("conversations.open")]
    assert sorted(opened) == ["U01IDALINDH", "U01JGARDEST", "U0GROUPMEM"]
    assert len(completes) == 3


def test_a_user_group_that_cannot_be_listed_is_reported_and_the_listed_get_it(
    services, slack, example
):
    _with_usergroup(services, example, "S0MISSING")  # the stand-in knows no such group
    _run(services, "documentation")
    assert len(slack.calls_to("files.completeUploadExternal")) == 2  # the listed coordinators
    reports = [c.params["text"] for c in slack.posts() if "no_such_subteam" in c.params["text"]]
    assert reports  # the coordinators are told what went wrong


def test_the_follow_up_dm_reminds_of_the_next_steps_and_the_support(services, slack, example):
    post = services.plan["followup"]
    assert post.due == example.ends_at + timedelta(days=21)
    _run(services, "followup")
    first, third = services.people[0], services.people[2]
    text = slack.wait_for_posts(first)[0].params["text"]
    assert "*Diskussionsgrupp 1: Lärare – yrke och utbildning*" in text
    assert "Möte i maj" in text and "Ida Lindh" in text
    assert "Företagsforskarskolan" in text and "Enheten för forskningsstöd och samverkan" in text
    other = slack.wait_for_posts(third)[0].params["text"]
    assert "Gruppen skrev inga nästa steg" in other and "Företagsforskarskolan" in other
    _run(services, "followup")
    assert len(slack.posts(first)) == 1  # once


def test_group_channels_stay_open_for_the_follow_up(example):
    schedule = example.schedule.model_copy(update={"group_channels": True})
    plan = {p.kind: p for p in plan_posts(example.model_copy(update={"schedule": schedule}))}
    # 30 days, but a minute before the retention purge (also 30 days): a purged event runs no job
    assert plan["archive"].due == example.ends_at + timedelta(days=30, minutes=-1)
    longer = example.model_copy(update={"schedule": schedule, "retention_days": 60})
    archive = next(p for p in plan_posts(longer) if p.kind == "archive")
    assert archive.due == example.ends_at + timedelta(days=30)
    follow_up = example.follow_up.model_copy(update={"keep_channels_days": 0})
    edited = example.model_copy(update={"schedule": schedule, "follow_up": follow_up})
    archive = next(p for p in plan_posts(edited) if p.kind == "archive")
    assert archive.due == example.ends_at + timedelta(minutes=15)  # not before the feedback


def test_cli_report_writes_the_docx(db, services, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = tmp_path / "dag.docx"
    assert cli(["report", SLUG, "--out", str(out)]) == 0
    assert "Dokumentationen skriven till" in capsys.readouterr().out
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Program", "Deltagande"]
    assert cli(["report", "finns-inte"]) == 1
    assert "Inget evenemang heter 'finns-inte'" in capsys.readouterr().err


def test_group_channels_are_archived_before_a_shorter_retention_purge(example):
    schedule = example.schedule.model_copy(update={"group_channels": True})
    edited = example.model_copy(update={"schedule": schedule, "retention_days": 10})
    plan = {p.kind: p for p in plan_posts(edited)}
    assert plan["archive"].due == plan["purge"].due - timedelta(minutes=1)
