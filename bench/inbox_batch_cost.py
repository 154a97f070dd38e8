"""What one batch of the registration inbox costs, by its size: CPU and SQL statements, one thread.

    python bench/inbox_batch_cost.py [--rounds 20] [--sizes 1,2,5,10,25]
        [--pg URL | --skip-postgres]

In a deadline rush the inbox worker processes submissions in batches (bot/intake/inbox.py,
process_batch: the event's lock, the pending rows, the waitlist count and the people's
registrations read once, one flush, one commit). This runs that function directly, no HTTP and no
other thread, for batches of each size: a new arrival each (the event has one seat, so all but
the first wait; a seat's calendar invitation is not in these figures), and reports the thread's
CPU per batch and per submission and the statements per batch (COMMIT included). The difference
between sizes separates what a batch costs whatever its size (its fixed cost) from what each
submission adds. Under a real rush (bench_registration.py) both are about twice these: other
threads keep the CPU's caches cold.
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

from bench.rush_apps import (  # noqa: E402
    DEFAULT_PG,
    EXAMPLE,
    OPEN_AT,
    postgres_reachable,
    postgres_url,
    prepare,
)
from bot.events.loading import load_event_file  # noqa: E402
from bot.intake import inbox  # noqa: E402
from bot.registration.form import FormField  # noqa: E402
from storage.db import Database  # noqa: E402

WARMUP_ROUNDS = 5


def _record(db: Database, slug: str, first: int, count: int) -> None:
    with db.transaction() as session:
        for n in range(first, first + count):
            values = {
                FormField.NAME: f"Deltagare {n}", FormField.ORGANISATION: "Umeå universitet",
                FormField.ROLE: "Lärare", FormField.CHOICE_1: "ai", FormField.CONSENT: ["consent"],
            }  # fmt: skip
            inbox.record(session, kind=inbox.REGISTER, slug=slug, user_id=f"U{n:08d}",
                         values={str(k): v for k, v in values.items()}, lang="sv",
                         view_id=None, now=OPEN_AT)  # fmt: skip


def measure(url: str, sizes: list[int], rounds: int) -> list[tuple[int, float, float]]:
    """(size, CPU ms per batch, statements per batch) for each size."""
    example = load_event_file(EXAMPLE)
    registration = example.registration.model_copy(update={"seat_limit": 1})
    definition = example.model_copy(update={"registration": registration})
    prepare(url, definition)
    db = Database(url)
    statements: Counter[str] = Counter()
    sa_event.listen(
        db.engine,
        "before_cursor_execute",  # SQLite's own BEGIN IMMEDIATE left out, as in the rush's counts
        lambda _c, _cur, sql, *_: statements.update([] if sql.startswith("BEGIN") else ["sent"]),
    )
    sa_event.listen(db.engine, "commit", lambda *_: statements.update(["sent"]))
    person = 0
    results = []
    try:
        for size in sizes:
            cpu = 0.0
            sent = 0
            for n in range(WARMUP_ROUNDS + rounds):
                _record(db, definition.slug, person, size)
                person += size
                statements.clear()
                began = time.thread_time()
                with db.transaction() as session:
                    batch = inbox.process_batch(session, definition.slug, now=OPEN_AT, limit=50)
                used = time.thread_time() - began
                assert len(batch.done) == size, (size, len(batch.done))
                if n >= WARMUP_ROUNDS:
                    cpu += used
                    sent += statements["sent"]
            results.append((size, cpu / rounds * 1000, sent / rounds))
    finally:
        db.dispose()
    return results


def report(results: list[tuple[int, float, float]]) -> None:
    print("| submissions | CPU ms per batch | CPU ms per submission | statements per batch |")
    print("|---:|---:|---:|---:|")
    for size, cpu, sent in results:
        print(f"| {size} | {cpu:.2f} | {cpu / size:.2f} | {sent:.1f} |")
    (small, small_cpu, _), (large, large_cpu, _) = results[0], results[-1]
    if large > small:
        each = (large_cpu - small_cpu) / (large - small)
        fixed = small_cpu - small * each
        print(f"\nEach further submission: {each:.2f} ms; a batch whatever its size: {fixed:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="batches measured per size")
    parser.add_argument("--sizes", default="1,2,5,10,25")
    parser.add_argument(
        "--pg",
        default=os.environ.get("TEST_DATABASE_URL", DEFAULT_PG),
        help="PostgreSQL admin URL; a throw-away database is made beside it",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="batch-") as directory:
        print("SQLite\n")
        report(measure(f"sqlite:///{directory}/batch.sqlite3", sizes, args.rounds))
    skipped = "skipped (--skip-postgres)" if args.skip_postgres else postgres_reachable(args.pg)
    if skipped is not None:
        print(f"\nPostgreSQL not measured: {skipped}")
        return
    with postgres_url(args.pg) as url:
        print("\nPostgreSQL\n")
        report(measure(url, sizes, args.rounds))


if __name__ == "__main__":
    main()
