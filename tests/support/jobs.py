"""The app's services against the Slack stand-in, and running one planned post as the scheduler
would (for tests of scheduled posts without the scheduler's clock)."""

from __future__ import annotations

from bot.clock import Clock
from bot.settings import Settings
from rehearsal.standin.server import SlackStandIn
from runtime.bootstrap import build_app
from storage.db import Database
from workers import schedule_jobs
from workers.services import Services


def app_services(db: Database, slack: SlackStandIn, clock: Clock) -> Services:
    """The services `serve` would build, talking to the stand-in."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    return build_app(settings, db, clock=clock)[1]


def run_planned(services: Services, plan: dict, kind: str):  # noqa: ANN201
    """Move the clock to the planned post of `kind` and run its job, as the scheduler does."""
    post = plan[kind]
    services.clock.set(post.due)  # type: ignore[attr-defined]
    with schedule_jobs.bound_to(services):
        return schedule_jobs.run_scheduled_post(post.key)
