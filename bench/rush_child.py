"""The inbox process as `serve` runs it (runtime/inbox_process.py: all of it), also writing its
SQL statements, commits and CPU seconds by thread to the file named in $RUSH_CHILD_COUNTS every
COUNTS_EVERY_S and at its end, for the deadline rush (bench_registration.py) to add to the app's.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import Engine  # noqa: E402

from bench.rush_apps import COUNTS_ENV, COUNTS_EVERY_S, SqlCounter, thread_cpu  # noqa: E402
from runtime import inbox_process  # noqa: E402


def main() -> None:
    counter = SqlCounter(Engine)  # every engine the child makes
    path = Path(os.environ[COUNTS_ENV])

    def write() -> None:
        statements, commits = counter.snapshot()
        data = {"statements": statements, "commits": commits, "threads": thread_cpu()}
        path.with_suffix(".tmp").write_text(json.dumps(data))
        path.with_suffix(".tmp").replace(path)

    def keep_writing() -> None:
        while True:
            write()
            time.sleep(COUNTS_EVERY_S)

    threading.Thread(target=keep_writing, name="counts", daemon=True).start()
    try:
        inbox_process.main()
    finally:
        write()


if __name__ == "__main__":
    main()
