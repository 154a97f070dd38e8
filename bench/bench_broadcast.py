"""Benchmark: a DM broadcast to 2,000 participants against the Slack stand-in enforcing rate limits.

    /work/venv/bin/python bench/bench_broadcast.py [--people 2000] [--rate 60] [--ack-runs 20]

The stand-in models chat.postMessage as Slack does: about 1 message per second per channel (each DM
is its own channel) plus a workspace-wide cap, here a token bucket of --rate messages per second
(burst --rate), answering HTTP 429 + Retry-After beyond it. Slack does not publish its workspace
cap ("several hundred per minute"); --rate 60 is chosen so 2,000 messages take about 35 s.

Ours: the real app over signed HTTP, /samordna utskick -> preview -> confirm, then the paced sender
(token bucket at 97% of the cap, 429 pauses all workers); a second run paces 30% above the cap to
show 429 + Retry-After being honoured without losses. Naive: a loop over chat.postMessage with
slack_sdk's default WebClient (no retry handler for 429). Ack times are measured while the 2,000
messages are being sent (further confirmations have their background sending switched off, so the
audience is never messaged twice).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk import WebClient  # noqa: E402
from slack_sdk.errors import SlackApiError  # noqa: E402

from bot.clock import SimulatedClock  # noqa: E402
from bot.coordination.settings import BroadcastSettings  # noqa: E402
from bot.events.loading import load_event_file  # noqa: E402
from bot.events.service import upsert_event  # noqa: E402
from bot.ids.coordinator import Field  # noqa: E402
from bot.registration.form import RegistrationForm  # noqa: E402
from bot.registration.service import submit_registration  # noqa: E402
from bot.settings import Settings  # noqa: E402
from rehearsal.signed_requests import SlackSender  # noqa: E402
from rehearsal.standin.server import SlackStandIn  # noqa: E402
from runtime.bootstrap import build_app  # noqa: E402
from runtime.server import HttpServer  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

COORDINATOR = "U01JGARDEST"
SECRET = "bench-secret"
TEXT = "Hej! Imorgon klockan *08:30* börjar partnerskapsdagen. Välkommen!"


def limited_standin(rate: float) -> SlackStandIn:
    slack = SlackStandIn().start()
    slack.rate_limit("chat.postMessage", 1.0)  # per channel
    slack.workspace_rate_limit("chat.postMessage", rate, burst=rate)
    return slack


def prepare(db: Database, clock: SimulatedClock, people: int) -> list[str]:
    example = load_event_file(ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml")
    registration = example.registration.model_copy(update={"seat_limit": people})
    definition = example.model_copy(update={"registration": registration})
    users = [f"U0B{n:06d}" for n in range(people)]
    with db.transaction() as session:
        upsert_event(session, definition, now=clock.now())
        for n, user in enumerate(users):
            form = RegistrationForm(name=f"Deltagare {n}", organisation="Org", role="",
                                    preferences=("ai",), comment="", consent=True)  # fmt: skip
            submit_registration(session, slug=definition.slug, user_id=user, form=form,
                                locale="sv", now=clock.now())  # fmt: skip
    return users


def posts_by_user(slack: SlackStandIn, users: set[str]) -> Counter:
    return Counter(c.channel for c in slack.posts() if c.channel in users)


def delivery_figures(slack: SlackStandIn, users: list[str], wall: float, rate: float) -> dict:
    counts = posts_by_user(slack, set(users))
    attempts = [c.at for c in slack.calls_to("chat.postMessage") if c.channel in set(users)]
    accepted = sorted(c.at for c in slack.posts() if c.channel in counts)
    span = (accepted[-1] - min(attempts)) if accepted else wall  # first try -> last delivery
    achieved = len(accepted) / span if span else 0.0
    refused = sum(1 for c in slack.calls_to("chat.postMessage") if not c.ok)
    return {
        "sent": len(counts), "lost": len(users) - len(counts),
        "duplicates": sum(n - 1 for n in counts.values()), "429s": refused,
        "rate": achieved, "share": achieved / rate, "wall": wall,
    }  # fmt: skip


def run_ours(people: int, rate: float, ack_runs: int, pace: float = 0.97) -> tuple[dict, dict]:
    slack = limited_standin(rate)
    tmp = tempfile.mkdtemp(prefix="bench-broadcast-")
    db = Database(f"sqlite:///{tmp}/bench.sqlite3")
    upgrade(db)
    clock = SimulatedClock(load_event_file(
        ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml").opens_at)  # fmt: skip
    users = prepare(db, clock, people)
    settings = Settings(_env_file=None, database_url=db.url, slack_bot_token="xoxb-bench",  # type: ignore[call-arg]
                        slack_signing_secret=SECRET, slack_api_url=slack.api_url)  # fmt: skip
    app, services = build_app(settings, db, clock=clock)
    runner = services.broadcasts
    runner.settings = BroadcastSettings(rate_per_second=rate * pace, workers=4,
                                        progress_seconds=2.0)  # fmt: skip
    server = HttpServer(app).start()
    sender = SlackSender(server.url, SECRET)
    acks: dict[str, list[float]] = {"preview": [], "confirm": []}

    def one_broadcast() -> float:
        before = len(slack.calls_to("views.open"))
        sender.command("/samordna", "utskick", COORDINATOR)
        view = slack.wait_for("views.open", before + 1)[-1].params["view"]
        answers = {Field.TEXT: TEXT, Field.AUDIENCE: ["registered"], Field.GROUP: None,
                   Field.SEND_AT: None}  # fmt: skip
        started = time.perf_counter()
        preview = sender.submit_view(view, answers, COORDINATOR).json()["view"]
        acks["preview"].append(time.perf_counter() - started)
        started = time.perf_counter()
        sender.submit_view(preview, {}, COORDINATOR)
        acks["confirm"].append(time.perf_counter() - started)
        return started

    started = one_broadcast()
    real_submit = runner.submit
    runner.submit = lambda broadcast_id: None  # further confirmations: ack only
    for _ in range(ack_runs - 1):
        one_broadcast()
    runner.submit = real_submit
    slack.wait_until(lambda: runner.idle and len(slack.calls_to("chat.update")) > 0
                     and "klart" in slack.calls_to("chat.update")[-1].params.get("text", ""),
                     timeout=600, what="the broadcast finished")  # fmt: skip
    wall = time.perf_counter() - started
    figures = delivery_figures(slack, users, wall, rate)
    server.stop()
    slack.stop()
    return figures, acks


def run_naive(people: int, rate: float) -> dict:
    slack = limited_standin(rate)
    users = [f"U0B{n:06d}" for n in range(people)]
    client = WebClient(token="xoxb-bench", base_url=slack.api_url)  # slack_sdk's defaults
    started = time.perf_counter()
    for user in users:
        with contextlib.suppress(SlackApiError):  # a 429: the message is lost
            client.chat_postMessage(channel=user, text=TEXT)
    figures = delivery_figures(slack, users, time.perf_counter() - started, rate)
    slack.stop()
    return figures


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=60.0, help="workspace cap, messages/s")
    parser.add_argument("--ack-runs", type=int, default=20)
    args = parser.parse_args()
    ours, acks = run_ours(args.people, args.rate, args.ack_runs)
    pushed, _ = run_ours(args.people, args.rate, 1, pace=1.3)  # misconfigured: 429s happen
    naive = run_naive(args.people, args.rate)
    print(f"\nDM broadcast to {args.people} participants; stand-in: 1 msg/s per channel and "
          f"{args.rate:g} msg/s per workspace (429 + Retry-After beyond)\n")  # fmt: skip
    print("| | sent | lost | duplicates | 429s answered | achieved rate | of allowed | wall time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = (("ours (paced at 97% of the cap)", ours),
            ("ours, paced 30% above the cap", pushed),
            ("naive loop, default WebClient", naive))  # fmt: skip
    for name, f in rows:
        print(f"| {name} | {f['sent']} | {f['lost']} | {f['duplicates']} | {f['429s']} | "
              f"{f['rate']:.1f}/s | {f['share']:.0%} | {f['wall']:.1f} s |")  # fmt: skip
    print(f"\nAck of /samordna utskick over HTTP, audience {args.people}, {args.ack_runs} runs, "
          "measured while the broadcast was sending:\n")  # fmt: skip
    print("| step | p50 | p99 | max |")
    print("|---|---:|---:|---:|")
    for step, values in acks.items():
        print(f"| {step} | {pct(values, 0.5):.0f} ms | {pct(values, 0.99):.0f} ms | "
              f"{max(values) * 1000:.0f} ms |")  # fmt: skip
    print(f"\nmean confirm ack {statistics.mean(acks['confirm']) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
