"""Shim: jobs stored before the move name this path; the leader's first sync rewrites them."""

from workers.schedule_jobs import run_scheduled_post  # noqa: F401
