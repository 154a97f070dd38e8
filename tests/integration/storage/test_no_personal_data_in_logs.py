"""A database error logs where it happened, never the values: names stay out of the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from storage.models import Registration

NAME, ORGANISATION = "Hemliga Hedvig", "Sekretessverket"


def _fail_with_personal_data(database) -> None:
    now = datetime(2021, 4, 1, tzinfo=UTC)
    with pytest.raises(IntegrityError) as raised, database.transaction() as session:
        session.add(  # no such event: the foreign key refuses it, with these values bound
            Registration(
                event_id=999_999, user_id="U0SECRET", status="registered", queue_no=1,
                name=NAME, organisation=ORGANISATION, role="", comment="Allergisk mot nötter",
                locale="sv", consent_at=now, fingerprint="x", created_at=now, updated_at=now,
            )
        )  # fmt: skip
    logging.getLogger("workers.inbox").exception("Failed to store a registration")
    return raised.value


@pytest.mark.parametrize("database", ["db", "pg_db"])
def test_database_error_log_lacks_the_values(database, request, caplog):
    error = _fail_with_personal_data(request.getfixturevalue(database))
    for secret in (NAME, ORGANISATION, "nötter"):
        assert secret not in str(error)
        assert secret not in caplog.text
