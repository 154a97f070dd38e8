"""What the coordinator listeners share: the coordinator check's user-group resolver
(usergroups.users.list; runtime.bootstrap builds the check once), the broadcast look-up with the
check applied, and refusal texts."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.coordination.access import CoordinatorCheck, NotCoordinator
from bot.coordination.broadcasts import get as get_broadcast
from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import definition_of
from bot.i18n import t
from bot.registration.messages import refusal
from storage.models import Event
from workers.services import Services

USERGROUP_TIMEOUT_S = 1  # whole seconds (WebClient takes an int); checked before the 3 s ack


def build_coordinator_check(app_client: WebClient) -> CoordinatorCheck:
    """A coordinator check resolving user groups through the app's token and API URL."""
    # A method's timeout= kwarg would be sent to Slack as a parameter; the client's own timeout
    # is what bounds the call.
    client = WebClient(token=app_client.token, base_url=app_client.base_url,
                       timeout=USERGROUP_TIMEOUT_S)  # fmt: skip

    def resolve(usergroup: str) -> list[str]:
        reply = client.usergroups_users_list(usergroup=usergroup)
        return list(reply.get("users") or [])

    return CoordinatorCheck(resolve)


def language(services: Services, slug: str | None = None) -> str:
    """The language to answer a coordinator in: the event's once it is known (as everything else
    about the event), else the workspace's default."""
    definition = services.events.get(slug) if slug else None
    return definition.language if definition is not None else services.settings.default_language


def refusal_text(exc: DomainError, lang: str) -> str:
    """A domain refusal in words; a refused coordinator action also says nothing happened."""
    if isinstance(exc, NotCoordinator) and not exc.params.get("slug"):
        return t("coord.not_coordinator_any", lang)
    try:
        return refusal(exc, None, lang)  # the participants' renderer: the same fill-ins
    except KeyError:
        return t("coord.error", lang)


def broadcast_for_coordinator(
    services: Services, session, broadcast_id: int, user_id: str, *, action: str
) -> tuple[Event, EventDefinition]:
    """The event of a broadcast, after checking that user_id coordinates it."""
    broadcast = get_broadcast(session, broadcast_id)
    event = session.get(Event, broadcast.event_id)
    if event is None:
        raise DomainError("coord.err.no_broadcast")
    definition = definition_of(event)
    services.coordinators.require(definition, user_id, action=action)
    return event, definition
