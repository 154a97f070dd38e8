"""The inbox worker's batch delivery (Deliverer.deliver_batch) treats every kind of row as
deliver does: a coordinators' user group is expanded to one DM per member, each claim records
this instance, and nothing is sent twice."""

from __future__ import annotations

from sqlalchemy import select

from bot import outbox
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage, OutboxStatus

GROUP = "S0COORDS9"
MEMBERS = ["U0MEMBERA", "U0MEMBERB"]


def test_a_batch_expands_a_user_group_and_records_its_instance(db, clock, slack):
    slack.usergroups[GROUP] = list(MEMBERS)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
        instance_id="inst-batch",
    )
    services = build_app(settings, db, clock=clock)[1]
    try:
        now = clock.now()
        with db.transaction() as session:
            ids = [
                outbox.enqueue(session, key="dm", channel="U0PERSON1", text="Du är anmäld",
                               kind="test", now=now),
                outbox.enqueue(session, key="coord", channel=f"usergroup:{GROUP}",
                               text="Till samordnarna", kind="test", now=now),
            ]  # fmt: skip
        assert services.deliverer.deliver_batch([i for i in ids if i is not None]) == 3
        assert services.deliverer.deliver_batch([i for i in ids if i is not None]) == 0
        assert [p.params["text"] for p in slack.posts("U0PERSON1")] == ["Du är anmäld"]
        for member in MEMBERS:
            assert [p.params["text"] for p in slack.posts(member)] == ["Till samordnarna"]
        with db.transaction() as session:
            rows = {r.key: r for r in session.scalars(select(OutboxMessage))}
            assert (
                rows["dm"].claimed_by == "inst-batch" and rows["coord"].claimed_by == "inst-batch"
            )
            assert all(r.status == OutboxStatus.SENT for r in rows.values())
    finally:
        services.close()
