"""Whether `serve` runs its inbox in a second process by default: when it may use a second core."""

from __future__ import annotations

import os

import pytest

from bot.settings import Settings, usable_cores


def _settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_second_process_only_with_a_second_core(monkeypatch):
    monkeypatch.delenv("INBOX_PROCESS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert usable_cores() == 1 and not _settings().inbox_process
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3}, raising=False)
    assert usable_cores() == 2 and _settings().inbox_process


def test_without_an_affinity_every_core_counts(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # e.g. macOS
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert usable_cores() == 4


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("true", True)])
def test_the_setting_wins(monkeypatch, value, expected):
    monkeypatch.setenv("INBOX_PROCESS", value)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert _settings().inbox_process is expected
