"""Where a registration's time goes: CPU and SQL statements per step, one thread, no contention.

    /work/venv/bin/python bench/registration_steps.py [--requests 300] [--skip-postgres]

Runs the steps of one view submission directly (what handle_registration_submission does after
Bolt has parsed the request) and reports the CPU time of each step (time.thread_time) and the
statements it sends. Bolt's own share is the bare baseline of bench_registration.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402

from bench.bench_registration import EXAMPLE, OPEN_AT, postgres_url, prepare  # noqa: E402
from bot.blocks.registration_modal import build_notice_modal  # noqa: E402
from bot.clock import SimulatedClock  # noqa: E402
from bot.events.loading import load_event_file  # noqa: E402
from bot.events.service import definition_of, get_event  # noqa: E402
from bot.intake import flows  # noqa: E402
from bot.registration import messages  # noqa: E402
from bot.registration.form import RegistrationForm  # noqa: E402
from bot.settings import Settings  # noqa: E402
from rehearsal.standin.server import SlackStandIn  # noqa: E402
from runtime.bootstrap import build_web_client  # noqa: E402
from storage.db import Database  # noqa: E402
from workers.delivery import Deliverer  # noqa: E402

WARMUP = 50
STEPS = (
    "pre-read: event + definition",
    "flows.register (one transaction)",
    "ack view (confirmation text)",
    "deliver: claim, chat.postMessage, finish",
)


def measure(url: str, requests: int) -> None:
    example = load_event_file(EXAMPLE)
    registration = example.registration.model_copy(update={"seat_limit": requests // 2})
    definition = example.model_copy(update={"registration": registration})
    prepare(url, definition)
    db = Database(url)
    statements: list[str] = []
    sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    sa_event.listen(db.engine, "commit", lambda *_: statements.append("COMMIT"))
    form = RegistrationForm(
        name="Deltagare", organisation="Skellefteå kommun", role="Lärare",
        preferences=("larare", "ai"), comment="", consent=True,
    )  # fmt: skip
    cpu: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    with SlackStandIn() as slack:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token="xoxb-steps",
            slack_api_url=slack.api_url,
        )
        deliverer = Deliverer(db, build_web_client(settings), SimulatedClock(OPEN_AT))
        for n in range(requests):
            result = None
            for step in STEPS:
                statements.clear()
                began = time.thread_time()
                if step == STEPS[0]:
                    with db.transaction() as session:
                        event = get_event(session, definition.slug)
                        assert event is not None
                        loaded = definition_of(event)
                elif step == STEPS[1]:
                    result = flows.register(
                        db, slug=definition.slug, user_id=f"U{n:08d}", form=form, locale="sv",
                        now=OPEN_AT,
                    )  # fmt: skip
                elif step == STEPS[2]:
                    assert result is not None
                    registered = result.outcome.registration
                    text = messages.confirmation(loaded, registered, created=True, lang="sv")
                    build_notice_modal("Anmälan", text).to_dict()
                else:
                    assert result is not None
                    deliverer.deliver(result.outbox_ids)
                if n >= WARMUP:
                    cpu[step] += time.thread_time() - began
                    sent[step] += len(statements)
    db.dispose()
    counted = requests - WARMUP
    for step in STEPS:
        print(f"| {step} | {cpu[step] / counted * 1000:.2f} | {sent[step] / counted:.1f} |")
    total_cpu = sum(cpu.values()) / counted * 1000
    print(f"| total | {total_cpu:.2f} | {sum(sent.values()) / counted:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    header = "| step | CPU ms | statements (incl. COMMIT) |\n|---|---:|---:|"
    with tempfile.TemporaryDirectory(prefix="steps-") as directory:
        print(f"SQLite\n\n{header}")
        measure(f"sqlite:///{directory}/steps.sqlite3", args.requests)
    if not args.skip_postgres:
        with postgres_url(args.postgres) as url:
            print(f"\nPostgreSQL\n\n{header}")
            measure(url, args.requests)


if __name__ == "__main__":
    main()
