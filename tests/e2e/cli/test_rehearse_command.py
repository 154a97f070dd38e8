"""`python app.py rehearse` end to end: registration through the real handlers, then the day."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from bot.events.loading import load_event_file
from rehearsal.run import Rehearsal
from tests.conftest import EXAMPLE, ROOT

CHANNEL = "#partnerskapsdag-skelleftea"


def test_rehearsal_reproduces_the_seed_program_minute_by_minute():
    rehearsal = Rehearsal(load_event_file(EXAMPLE), participants=12, seed=3)
    try:
        rehearsal.run()
        out = io.StringIO()
        rehearsal.render(out)
    finally:
        rehearsal.close()
    text = out.getvalue()
    lines = [line for line in text.splitlines() if f"→ {CHANNEL}:" in line]

    def minutes(marker: str) -> list[str]:
        return [line[:5] for line in lines if marker in line]

    assert minutes(":alarm_clock:") == ["16:30", "16:30"]  # 3 and 1 days before the deadline
    assert minutes(":sunrise:") == ["07:45"]
    assert minutes(":bell:") == [
        "08:10",
        "08:25",
        "08:35",
        "08:50",
        "09:05",
        "09:25",
        "09:30",
        "10:05",
        "10:20",
        "10:40",
        "11:00",
        "11:20",
    ]
    groups = minutes(":busts_in_silhouette:")  # one message per group at each breakout
    assert groups and set(groups) == {"09:35", "10:45"}
    assert groups.count("09:35") == groups.count("10:45")
    assert "08:10  → #partnerskapsdag-skelleftea: :bell: Om 5 min, kl. 08:15: *Incheckning*" in text
    assert "11:20  → #partnerskapsdag-skelleftea: :bell: Om 5 min, kl. 11:25: *Summering" in text
    assert "== onsdag 21 april 2021 ==" in text  # join links the day before
    assert "15:00  → " in text and "Välkommen till" in text
    assert "12:00  → " in text and "Tack för att du var med" in text
    assert "Utskick per slag, i den ordning de först gick ut: " in text
    assert (
        "; Påminnelse 12;" in text
        and "Utskickens status (meddelanden, kalenderfiler och e-post): skickade " in text
    )
    assert "Publicerad gruppindelning, deltagare per grupp: Diskussionsgrupp 1: " in text


def test_rehearse_at_shows_only_what_happens_around_that_moment(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "app.py",
            "rehearse",
            str(EXAMPLE),
            "--participants",
            "8",
            "--at",
            "09:35",
            "--out",
            str(tmp_path),
            "--all-cores",  # its threads spread over every core: the same day, only slower
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    times = [line[:5] for line in result.stdout.splitlines() if line[:2].isdigit()]
    assert times and all("09:05" <= t <= "10:05" for t in times), result.stdout
    assert "09:30  → #partnerskapsdag-skelleftea: :bell: Om 5 min, kl. 09:35" in result.stdout


def test_rehearsal_shows_the_workshop_half_notes_summaries_feedback_and_documentation(tmp_path):
    import docx

    rehearsal = Rehearsal(load_event_file(EXAMPLE), participants=40, seed=3)
    try:
        rehearsal.run()
        out = io.StringIO()
        rehearsal.render(out)
        channel = [c.params["text"] for c in rehearsal.slack.posts(CHANNEL)]
        written = rehearsal.write_files(tmp_path)
    finally:
        rehearsal.close()
    text = out.getvalue()
    assert "09:35  " in text and "skriver i gruppens anteckningar" in text
    summaries = [s for s in channel if s.startswith(":memo:")]
    assert len(summaries) == 6  # per focus area, at both regroups
    first = [s for s in summaries if "Återsamling och kort summering" in s]
    assert any("Gemensamma examensarbeten" in s for s in first)  # a group that wrote
    assert any("Inga anteckningar än från:_ Hållbar samhällsutveckling" in s for s in first)
    last = [s for s in summaries if "sammanfattning av samtliga" in s]
    assert any("Ett uppföljande möte i maj" in s for s in last)  # next steps at the last one
    assert "Tack för ditt svar" in text and "kommenterar:" in text
    docs = [p for p in written if p.suffix == ".docx"]
    assert len(docs) == 2  # one per coordinator
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(doc.name in page for doc in docs)  # in the page's list of files
    assert "📎 " in page and ".docx" in page  # and in the coordinators' DMs
    document = docx.Document(str(docs[0]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Gruppen skrev inga anteckningar." in body
    assert "Gemensamma examensarbeten" in body and "medelbetyg" in body
    assert len(document.inline_shapes) == 3


def test_rehearse_verbose_prints_every_message_to_everyone(tmp_path):
    result = subprocess.run(
        [sys.executable, "app.py", "rehearse", str(EXAMPLE), "--participants", "8", "--verbose",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    out = result.stdout
    sent = int(re.search(r"Meddelanden från boten: (\d+)", out).group(1))
    said = [line for line in out.splitlines() if re.match(r"\d\d:\d\d  → ", line)]
    private = [line for line in said if "(privat): " in line]
    assert len(said) - len(private) == sent  # every post, to a channel or a person, one line each
    assert len([line for line in said if "(DM): :white_check_mark: Du är anmäld" in line]) == 8
    assert "Tack för att du var med" in out and "== Sammanfattning ==" in out
    assert (tmp_path / "index.html").is_file()


def test_rehearse_prints_what_a_coordinator_wants_to_read(sample_run):
    out = sample_run.stdout
    lines = out.splitlines()
    assert len(lines) <= 80, out  # about two screens, not every DM
    assert lines[0] == "Digital partnerskapsdag för Umeå universitet och Skellefteå kommun"
    assert "torsdag 22 april 2021 kl. 08:30–11:45, Online, via Zoom; 120 platser" in lines[1]
    assert "(DM)" not in out and "Du är anmäld" not in out
    # the app's notes of routine work (INFO) stay out of the report; the partners' channel by name
    assert " INFO " not in sample_run.stderr, sample_run.stderr
    assert "  12:00  #partnerskap-delad: Anmälan till Digital partnerskapsdag" in out
    assert lines[-1].startswith("(repetitionen tog ") and lines[-1].endswith(" s)")
    channel = out.split("== Kanalen #partnerskapsdag-skelleftea under dagarna ==")[1]
    channel = channel.split("== Det här ombeds samordnarna göra ==")[0]
    assert [line[2:7] for line in channel.splitlines() if ":bell:" in line] == [
        "08:10", "08:25", "08:35", "08:50", "09:05", "09:25", "09:30", "10:05", "10:20",
        "10:40", "11:00", "11:20",
    ]  # fmt: skip
    assert channel.count(":alarm_clock:") == 2 and channel.count(":sunrise:") == 1
    groups = [line[2:7] for line in channel.splitlines() if ":busts_in_silhouette:" in line]
    assert groups == ["09:35"] * 5 + ["10:45"] * 5
    coordinators = out.split("== Det här ombeds samordnarna göra ==")[1].split(
        "== Sammanfattning =="
    )[0]
    assert coordinators.count("16:30  samordnare") == 2
    said = " ".join(coordinators.split())  # wrapped under the time
    assert said.count("har stängt: 120 anmälda, 8 på väntelistan") == 2
    assert said.count("(version 1) är klart att granska.") == 2
    assert "anmälda 120 av 120 platser, väntelista 8" in out
    assert f"Sidan med hela dagen: {sample_run.page}" in out
    assert "--verbose" in out


def test_an_explicit_log_level_shows_the_apps_notes(tmp_path):
    env = {**os.environ, "LOG_LEVEL": "INFO"}
    result = subprocess.run(
        [sys.executable, "app.py", "rehearse", str(EXAMPLE), "--participants", "3", "--out", ""],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert " INFO " in result.stderr  # asked for: the routine notes are shown


def test_a_rehearsal_with_few_participants_runs_to_the_end():
    # a group may then hold only the partner organisation's people (they write no notes here)
    for participants in ("0", "1", "3"):
        result = subprocess.run(
            [sys.executable, "app.py", "rehearse", str(EXAMPLE), "--participants", participants,
             "--out", ""],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "== Sammanfattning ==" in result.stdout
