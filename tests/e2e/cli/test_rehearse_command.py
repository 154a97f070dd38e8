"""`python app.py rehearse` end to end: registration through the real handlers, then the day."""

from __future__ import annotations

import io
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
    assert "Utskick per slag / posts per kind:" in text and "reminder 12" in text


def test_rehearse_at_shows_only_what_happens_around_that_moment():
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
    assert "ger betyget" in text and "kommenterar:" in text
    docs = [p for p in written if p.suffix == ".docx"]
    assert len(docs) == 2  # one per coordinator
    document = docx.Document(str(docs[0]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Gruppen skrev inga anteckningar." in body
    assert "Gemensamma examensarbeten" in body and "medelbetyg" in body
    assert len(document.inline_shapes) == 3
