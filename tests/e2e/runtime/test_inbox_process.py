"""The inbox in a process of its own (runtime/inbox_process.py): what the app records, the child
registers and confirms; a child that dies is replaced and the new one processes what was left;
the child ends when the app stops it, when the app's process dies, and with `serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import select

from bot.intake import inbox
from bot.registration.form import FormField
from bot.settings import Settings
from runtime import inbox_process
from runtime.inbox_process import KICK, InboxProcess, relay
from storage.models import InboxItem, OutboxMessage, Registration
from tests.conftest import ROOT, SIGNING_SECRET, load
from tests.e2e.runtime.test_serve_process import _env, _free_port, _wait_healthy
from workers.load import RUSH_PER_S, RequestLoad

VALUES = {FormField.NAME: "Ida", FormField.ORGANISATION: "Umeå universitet",
          FormField.CHOICE_1: "ai", FormField.CONSENT: True}  # fmt: skip
READY_S = 120.0  # a bound on waiting for a child to start (it imports the app), not a timing


def _settings(db, slack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
        instance_id="host-a",
    )


def _record(db, slug: str, user: str, now) -> None:
    with db.transaction() as session:
        inbox.record(session, kind=inbox.REGISTER, slug=slug, user_id=user,
                     values={str(k): v for k, v in VALUES.items()}, lang="sv", view_id=None,
                     now=now)  # fmt: skip


def _ended(pid: int) -> bool:
    """Gone, or a zombie nobody reaped (a container's first process may not reap orphans)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _wait_ended(pid: int) -> None:
    for _ in range(600):  # bounded wait for the child to notice; not a timing assertion
        if _ended(pid):
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} is still running")


def test_the_child_registers_and_confirms_what_the_app_records(db, clock, example, slack):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())  # before any child runs: its start sweeps it
    process = InboxProcess(_settings(db, slack), clock).start()
    try:
        assert process.wait_ready(READY_S)
        assert slack.wait_for("chat.postMessage", timeout=READY_S)[0].channel == "U1"
        _record(db, example.slug, "U2", clock.now())
        process.kick()  # (the child's idle sweep would find it too, later: test_relay proves kicks)
        posts = slack.wait_for("chat.postMessage", 2, timeout=READY_S)
        assert [call.channel for call in posts] == ["U1", "U2"]
        child = process._child
    finally:
        process.stop()
    assert child is not None and child.returncode == 0  # stopped by the end of its input
    with db.read() as session:
        assert sorted(session.scalars(select(Registration.user_id))) == ["U1", "U2"]
        assert set(session.scalars(select(InboxItem.status))) == {"done"}
        claimants = session.scalars(
            select(OutboxMessage.claimed_by).where(OutboxMessage.channel.in_(["U1", "U2"]))
        ).all()
    assert claimants and set(claimants) == {"host-a/inbox"}  # its own name: see recovery
    assert len(slack.calls_to("chat.postMessage")) == 2  # nobody told twice


def test_a_child_that_dies_is_replaced_and_the_new_one_processes_what_was_left(
    db, clock, example, slack
):
    load(db, example, clock)
    process = InboxProcess(_settings(db, slack), clock).start()
    try:
        assert process.wait_ready(READY_S)
        first = process.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        _record(db, example.slug, "U1", clock.now())
        process.kick()  # may reach the dead child only: the next one's sweep finds the row
        assert slack.wait_for("chat.postMessage", timeout=READY_S)[0].channel == "U1"
        assert process.pid != first
    finally:
        process.stop()
    with db.read() as session:
        assert session.scalars(select(Registration.user_id)).all() == ["U1"]


def test_stop_while_a_new_child_starts_leaves_no_child_running(db, clock, slack):
    process = InboxProcess(_settings(db, slack), clock).start()
    try:
        assert process.wait_ready(READY_S)
        first = process._child
        assert first is not None
        first.kill()
        for _ in range(600):  # until the supervisor has started the next one (bounded wait)
            if process._child is not first:
                break
            time.sleep(0.05)
        assert process._child is not first
    finally:
        process.stop()  # while it imports, or already waits for kicks
    assert process._child.poll() is not None and not process._supervisor.is_alive()


class _Worker:
    def __init__(self) -> None:
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


def test_relay_wakes_the_worker_per_read_and_counts_each_kick_as_an_arrival():
    read, write = os.pipe()
    os.write(write, KICK * (RUSH_PER_S - 1))
    load, worker = RequestLoad(), _Worker()
    relayed = threading.Thread(target=relay, args=(read, load, worker))
    relayed.start()
    for _ in range(600):  # until the first read is relayed (bounded wait)
        if worker.kicks:
            break
        time.sleep(0.01)
    assert worker.kicks == 1 and load.quiet()
    os.write(write, KICK)  # the tenth within a second: a rush
    os.close(write)  # the end of input ends the relay
    relayed.join(30)
    assert not relayed.is_alive()
    assert worker.kicks == 2 and not load.quiet()
    os.close(read)


def test_a_failed_restart_is_tried_again(db, clock, example, slack, monkeypatch):
    load(db, example, clock)
    process = InboxProcess(_settings(db, slack), clock).start()
    real_popen, failures = subprocess.Popen, []

    def popen_failing_once(*args, **kwargs):
        if not failures:
            failures.append(args)
            raise OSError(11, "Resource temporarily unavailable")  # EAGAIN: out of processes
        return real_popen(*args, **kwargs)

    try:
        assert process.wait_ready(READY_S)
        first = process._child
        monkeypatch.setattr(subprocess, "Popen", popen_failing_once)
        first.kill()
        _record(db, example.slug, "U1", clock.now())
        assert slack.wait_for("chat.postMessage", timeout=READY_S)[0].channel == "U1"
        assert failures and process._child is not first
        assert process._supervisor.is_alive()
    finally:
        process.stop()


CHILD_OF_A_DOOMED_APP = """
import sys
from bot.settings import Settings
from runtime.inbox_process import InboxProcess
settings = Settings(_env_file=None, database_url=sys.argv[1], slack_api_url=sys.argv[2])
process = InboxProcess(settings).start()
assert process.wait_ready(120)
print(process.pid, flush=True)
sys.stdin.read()  # until the test kills this process
"""


def test_the_child_ends_when_the_apps_process_dies(db, slack):
    app = subprocess.Popen(
        [sys.executable, "-c", CHILD_OF_A_DOOMED_APP, db.url, slack.api_url], cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        child = int(app.stdout.readline())
        assert not _ended(child)
        app.kill()  # no chance to stop it: the child reads the end of its input
        app.wait(30)
        _wait_ended(child)
    finally:
        app.kill()
        app.wait(30)


def _children(pid: int) -> list[int]:
    """Living child processes, whichever thread started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return [child for child in found if not _ended(child)]


def _health(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_health_reports_an_inbox_process_that_never_gets_ready(db, clock, slack, monkeypatch):
    monkeypatch.setattr(inbox_process, "HEALTH_GRACE_S", 0.0)
    monkeypatch.setattr(InboxProcess, "module", "tests.support.failing_inbox_child")
    process = InboxProcess(_settings(db, slack), clock)
    assert process.problem() is None  # starting
    process.start()
    try:
        for _ in range(600):  # until the first child has ended (a bounded wait)
            if process.problem() is not None:
                break
            time.sleep(0.05)
        assert process.problem() == (
            "the registration inbox process has not run for a while (restarting it)"
        )
        assert not process.wait_ready(0)
    finally:
        process.stop()


def test_serve_runs_its_inbox_in_a_child_and_stops_it(tmp_path, slack):
    port = _free_port()
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=slack.api_url, PORT=str(port), HOST="127.0.0.1",
               SCHEDULER_ENABLED="false", INBOX_PROCESS="true")  # fmt: skip
    subprocess.run([sys.executable, "app.py", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    serve = subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        health = f"http://127.0.0.1:{port}/healthz"
        _wait_healthy(health, serve)
        [child] = _children(serve.pid)
        assert b"runtime.inbox_process" in Path(f"/proc/{child}/cmdline").read_bytes()
        os.kill(child, signal.SIGKILL)  # replaced within HEALTH_GRACE_S: still healthy
        for _ in range(600):  # bounded wait for its replacement
            replacements = [c for c in _children(serve.pid) if c != child]
            if replacements:
                break
            time.sleep(0.05)
        [replacement] = replacements
        assert _health(health) == (200, "ok")
        serve.terminate()  # SIGTERM, as a container stop
        assert serve.wait(30) == 0
        _wait_ended(replacement)
    finally:
        serve.kill()
        serve.wait(30)
