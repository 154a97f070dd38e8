"""The command line's refusals: what a coordinator reads on stderr, the exit code, and that the
database is as it was."""

from __future__ import annotations

import yaml

from bot.events.loading import load_event_file
from bot.events.service import get_event
from bot.registration.form import RegistrationForm
from bot.registration.service import submit_registration
from cli.main import main as cli
from tests.conftest import EXAMPLE

NO_SUCH = "Inget evenemang heter 'finns-inte' / no such event. Se / see: python app.py event list"


def test_commands_for_an_event_that_does_not_exist_say_where_to_look(db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.url)
    for command in (["schedule", "show", "finns-inte"], ["export", "finns-inte"],
                    ["report", "finns-inte"]):  # fmt: skip
        assert cli(command) == 1
        assert capsys.readouterr().err.strip() == NO_SUCH


def test_an_event_file_that_would_orphan_a_choice_is_refused_with_reasons(
    db, clock, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert cli(["event", "load", str(EXAMPLE)]) == 0
    capsys.readouterr()
    example = load_event_file(EXAMPLE)
    form = RegistrationForm("Ida", "Umu", "", ("socionomer", "ai"), "", True)
    with db.transaction() as session:
        submit_registration(session, slug=example.slug, user_id="U1", form=form, locale="sv",
                            now=example.opens_at)  # fmt: skip
    areas = list(example.focus_areas)  # the socionomer group taken out of the file
    first = areas[0].model_copy(update={"groups": [areas[0].groups[0], areas[0].groups[2]]})
    edited = example.model_copy(update={"focus_areas": [first, *areas[1:]]})
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(edited.model_dump(mode="json"), allow_unicode=True))

    assert cli(["event", "load", str(path)]) == 1

    err = capsys.readouterr().err
    assert err.startswith("Ändringen av 'skelleftea-2021' vägrades / the change was refused:")
    assert (
        "  - gruppen 'socionomer' tas bort men är vald av 1 / group 'socionomer' is removed "
        "but chosen by 1: Ida (<@U1>)" in err
    )
    with db.read() as session:  # the stored event is the one loaded first
        event = get_event(session, example.slug)
        assert event is not None and event.version == 1
        assert any(g["key"] == "socionomer" for a in event.definition["focus_areas"]
                   for g in a["groups"])  # fmt: skip
