"""The rehearsal's partner organisation: registered through the card, told by e-mail; and
`--out DIR` leaves the e-mails, the calendar files and Zoom's pre-assignment."""

from __future__ import annotations

import csv
import io
from email import message_from_bytes, policy

from icalendar import Calendar

from bot.events.loading import load_event_file
from rehearsal.partners import PARTNERS
from rehearsal.run import Rehearsal
from tests.conftest import EXAMPLE


def test_partners_register_by_the_card_and_everything_is_left_in_the_out_dir(tmp_path):
    rehearsal = Rehearsal(load_event_file(EXAMPLE), participants=12, seed=3)
    try:
        rehearsal.run()
        out = io.StringIO()
        rehearsal.render(out)
        rehearsal.write_files(tmp_path)
    finally:
        rehearsal.close()
    text = out.getvalue()
    assert "/samordna kort #partnerskap-delad" in text
    assert text.count("kortet: Anmäl mig") == PARTNERS

    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in sorted((tmp_path / "e-post").glob("*.eml"))]  # fmt: skip
    partners = {m["To"].addresses[0].addr_spec for m in mails}
    assert len(partners) == PARTNERS and all(a.endswith("@skelleftea.se") for a in partners)
    bodies = [m.get_body(("plain",)).get_content() for m in mails]
    for kind in ("Du är anmäld", "Välkommen till", "Tack för att du var med"):
        assert sum(kind in body for body in bodies) == PARTNERS, kind
    assert sum("Du är i gruppen" in body for body in bodies) == 2 * PARTNERS  # both breakouts
    assert sum("https://umu.zoom.us/j/" in body for body in bodies) >= PARTNERS  # the link
    ics_files = sorted((tmp_path / "e-post").glob("*.ics"))
    assert len(ics_files) == PARTNERS
    (event,) = Calendar.from_ical(ics_files[0].read_bytes()).walk("VEVENT")
    assert event["SEQUENCE"] == 0

    slack_ics = list((tmp_path / "uploads").rglob("*.ics"))
    assert len(slack_ics) >= 12 - 2  # people of our workspace with a seat (some cancel)
    (zoom,) = list((tmp_path / "uploads").rglob("zoom-grupper-*.csv"))
    rows = list(csv.reader(io.StringIO(zoom.read_text(encoding="utf-8"))))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    assert partners <= {email for _, email in rows[1:]}  # partners are pre-assigned too
