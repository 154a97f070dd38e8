"""The deadline rush's child process: the Slack stand-in and the people who register through it
(bench_registration.py starts it; the app under test runs in the parent)."""

from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIGNING_SECRET = "bench-signing-secret"


def _standin_class():  # type: ignore[no-untyped-def]
    from rehearsal.standin.server import SlackStandIn

    class WatchingStandIn(SlackStandIn):
        """Tells each waiting person at once when their modal or their DM arrives."""

        def __init__(self) -> None:
            super().__init__()
            self.views: dict[str, dict[str, Any]] = {}  # trigger_id -> the opened view
            self.dms: dict[str, list[float]] = {}  # channel -> arrival times
            self.methods: Counter[str] = Counter()
            self.waiters: dict[tuple[str, str], threading.Event] = {}
            self.watch_lock = threading.Lock()

        def waiter(self, kind: str, key: str) -> threading.Event:
            with self.watch_lock:
                return self.waiters.setdefault((kind, key), threading.Event())

        def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
            result = super().answer(method, params)
            with self.watch_lock:
                self.methods[method] += 1
            if method == "views.open":
                self.views[params["trigger_id"]] = result["view"]
                self.waiter("view", params["trigger_id"]).set()
            elif method == "chat.postMessage":
                channel = str(params.get("channel"))
                with self.watch_lock:
                    self.dms.setdefault(channel, []).append(time.perf_counter())
                self.waiter("dm", channel).set()
            return result

    return WatchingStandIn


def _person(slack: Any, url: str, user: str, n: int, consent: bool) -> dict[str, Any]:
    """One person's whole registration; timings in ms, perf_counter marks in s."""
    from bot.registration.form import FormField
    from rehearsal.signed_requests import SlackSender, state_values

    sender = SlackSender(url, SIGNING_SECRET)
    trigger = f"{n}.{user}.trigger"
    body = urlencode({
        "token": "legacy", "team_id": "T00000001", "team_domain": "standin",
        "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user,
        "user_name": user.lower(), "command": "/anmal", "text": "", "api_app_id": "A00000001",
        "is_enterprise_install": "false", "response_url": slack.response_url,
        "trigger_id": trigger,
    })  # fmt: skip
    out: dict[str, Any] = {"user": user}
    began = time.perf_counter()
    reply = sender._post(body)
    out["anmal_ms"] = (time.perf_counter() - began) * 1000
    out["anmal_status"] = reply.status
    if not slack.waiter("view", trigger).wait(30):
        out["error"] = "no modal"
        return out
    out["modal_ms"] = (time.perf_counter() - began) * 1000 - out["anmal_ms"]
    view = slack.views[trigger]
    answers = {
        FormField.NAME: f"Deltagare {n}",
        FormField.ORGANISATION: "Skellefteå kommun" if n % 2 else "Umeå universitet",
        FormField.ROLE: "Lärare",
        FormField.CHOICE_1: ("larare", "energi", "ai")[n % 3],
        FormField.CONSENT: ["consent"] if consent else [],
    }
    payload = {
        "type": "view_submission", "team": {"id": "T00000001"},
        "user": {"id": user, "team_id": "T00000001"}, "api_app_id": "A00000001",
        "trigger_id": f"{n}.{user}.submit",
        "view": {**view, "state": {"values": state_values(view, answers)}},
    }  # fmt: skip
    began = out["submit_began"] = time.perf_counter()
    reply = sender._post(urlencode({"payload": json.dumps(payload)}))
    out["submit_done"] = time.perf_counter()
    out["submit_ms"] = (out["submit_done"] - began) * 1000
    out["submit_status"] = reply.status
    out["submit_body"] = reply.body[:200]
    if consent and not slack.waiter("dm", user).wait(60):
        out["error"] = "no DM"
    elif consent:
        out["dm_ms"] = (time.perf_counter() - out["submit_done"]) * 1000
    return out


def _run_people(slack: Any, url: str, users: list[str], concurrency: int, consent: bool):  # type: ignore[no-untyped-def]
    counter = itertools.count()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        began = time.perf_counter()
        results = list(pool.map(lambda u: _person(slack, url, u, next(counter), consent), users))
    return began, results


def _loadgen(pipe: Any) -> None:
    """Child: the stand-in and the people. Commands: ("run", url, users, concurrency, consent)."""
    with _standin_class()() as slack:
        pipe.send(slack.api_url)
        while (command := pipe.recv()) != "stop":
            _, url, users, concurrency, consent = command
            slack.reset()
            slack.dms.clear()
            slack.methods.clear()
            began, results = _run_people(slack, url, users, concurrency, consent)
            told = [t for u in users for t in slack.dms.get(u, [])[:1]]
            pipe.send({
                "began": began,
                "results": results,
                "last_told": max(told, default=began),
                "dms": {u: len(slack.dms.get(u, [])) for u in users},
                "methods": dict(slack.methods),
            })  # fmt: skip


@contextmanager
def loadgen() -> Iterator[tuple[str, Any]]:
    ours, theirs = mp.Pipe()
    process = mp.get_context("spawn").Process(target=_loadgen, args=(theirs,), daemon=True)
    process.start()
    try:
        yield ours.recv(), ours
    finally:
        ours.send("stop")
        process.join(30)
        if process.is_alive():
            process.terminate()
