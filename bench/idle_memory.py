"""Idle memory: RSS of `app.py serve` (HTTP, SQLite, migrated beforehand) and of a bare Bolt app
on waitress with the same thread count, each in a fresh process after it has settled. `serve`
is measured with its inbox in a process of its own (the default on a machine with more than one
core: runtime/inbox_process.py; both processes counted) and in one process (INBOX_PROCESS=false).

    /work/main/.venv/bin/python bench/idle_memory.py [--settle 8]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import os
from concurrent.futures import ThreadPoolExecutor
from slack_bolt import App
from slack_sdk import WebClient
from runtime.server import HttpServer
app = App(client=WebClient(token="xoxb-idle", base_url="http://127.0.0.1:9/api/"),
          signing_secret="s", token_verification_enabled=False,
          listener_executor=ThreadPoolExecutor(max_workers=8))
app.command("/anmal")(lambda ack: ack())
HttpServer(app, port=int(os.environ['PORT']), threads=8).serve_forever()
"""


def rss_after(command: list[str], env: dict[str, str], settle: float) -> tuple[list[int], str]:
    """VmRSS in KiB of the process `command` and of each of its child processes after `settle`
    seconds, and its modules of note."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(settle)
        if process.poll() is not None:
            raise SystemExit(f"{command} ended early (code {process.returncode})")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        statuses = [Path(f"/proc/{pid}/status").read_text() for pid in [process.pid, *children]]
        maps = Path(f"/proc/{process.pid}/maps").read_text()
    finally:
        process.terminate()
        process.wait(30)
    rss = [int(status.split("VmRSS:")[1].split()[0]) for status in statuses]
    heavy = [name for name in ("ortools", "numpy") if f"/{name}/" in maps]
    return rss, ", ".join(heavy) or "none"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="idle-") as directory:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{directory}/idle.sqlite3",
            "SLACK_BOT_TOKEN": "xoxb-idle",
            "SLACK_SIGNING_SECRET": "s",
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SLACK_APP_TOKEN", None)
        subprocess.run([sys.executable, "app.py", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        serve = rss_after([sys.executable, "app.py", "serve"], env, args.settle)
        alone = rss_after([sys.executable, "app.py", "serve"], {**env, "INBOX_PROCESS": "false"},
                          args.settle)  # fmt: skip
        bare = rss_after([sys.executable, "-c", BARE], env, args.settle)
    print("| idle process | RSS MiB (each process) | RSS MiB in all | OR-Tools / numpy loaded |")
    print("|---|---:|---:|---|")
    for name, (rss, heavy) in [
        ("`app.py serve` (HTTP, SQLite, migrated)", serve),
        ("`app.py serve`, INBOX_PROCESS=false", alone),
        ("bare Bolt app on waitress, 8 threads", bare),
    ]:
        each = " + ".join(f"{kib / 1024:.0f}" for kib in rss)
        print(f"| {name} | {each} | {sum(rss) / 1024:.0f} | {heavy} |")


if __name__ == "__main__":
    main()
