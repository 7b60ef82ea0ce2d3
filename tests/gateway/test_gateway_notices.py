"""An organisation's own notices: read, followed live from a cursor, acknowledged; another
organisation's notice is refused exactly like an unknown one; the first read is recorded."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

from puente_gateway import notices
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas import Envelope, Event
from puente_schemas.common import FieldError
from puente_schemas.events import (
    NoticeAcknowledged,
    NoticeDelivered,
    NoticeIssued,
    NotificationsCommandRejected,
)
from puente_schemas.topics import NOTIFICATIONS_COMMANDS
from sqlmodel import Session

from .support import T0, Harness, answer_commands

NOTICES = """
query($after: String, $open: Boolean) {
  notices(after: $after, unacknowledgedOnly: $open) {
    id kind title text language createdAt deliveredVia acknowledgedAt policyId familyUnitId
    cursor
  }
}"""
FEED = "subscription($after: String) { notices(after: $after) { id title cursor } }"
ACKNOWLEDGE = """
mutation($id: ID!) {
  acknowledgeNotice(noticeId: $id) { status outcome acknowledgedAt }
}"""
CASA, LEGAL = "org-casa", "org-legal"


def issued(notice_id: str, organisation_id: str, *, language: str = "spa") -> NoticeIssued:
    return NoticeIssued(
        notice_id=notice_id,
        organisation_id=organisation_id,
        kind="policy",
        title=f"Aviso {notice_id}",
        text="El puerto de Nogales abre el 1 de junio.",
        language=language,
        policy_id="p-1",
        effective_at=T0 + dt.timedelta(hours=30),
    )


def delivered(notice_id: str, organisation_id: str, channel: str) -> NoticeDelivered:
    return NoticeDelivered(
        notice_id=notice_id,
        family_unit_id=None,
        recipient=organisation_id,
        channel=channel,
        kind="policy",
        policy_id="p-1",
        organisation_id=organisation_id,
    )


async def read(harness: Harness, organisation_id: str, **variables: Any) -> list[dict[str, Any]]:
    context = harness.context_for(Role.SHELTER, organisation_id=organisation_id)
    result = await harness.execute(NOTICES, context, **variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    found: list[dict[str, Any]] = result.data["notices"]
    return found


async def test_an_organisation_reads_its_own_notices_with_what_became_of_them(
    harness: Harness,
) -> None:
    await harness.publish_all(
        issued("n-1", CASA),
        issued("n-2", CASA, language="eng"),
        issued("n-3", LEGAL),
        delivered("n-1", CASA, "inbox"),
        delivered("n-1", CASA, "email"),
        delivered("n-1", CASA, "inbox"),
        NoticeAcknowledged(
            notice_id="n-1", organisation_id=CASA, policy_id="p-1", acknowledged_at=T0
        ),
    )

    everything = await read(harness, CASA)
    unacknowledged = await read(harness, CASA, open=True)
    later = await read(harness, CASA, after=everything[0]["cursor"])

    assert [n["id"] for n in everything] == ["n-1", "n-2"]
    first = everything[0]
    assert first["kind"] == "policy"
    assert first["title"] == "Aviso n-1"
    assert first["language"] == "spa"
    assert first["deliveredVia"] == ["inbox", "email"]
    assert first["acknowledgedAt"] == T0.isoformat()
    assert first["policyId"] == "p-1"
    assert first["familyUnitId"] is None
    assert everything[1]["language"] == "eng"
    assert everything[1]["acknowledgedAt"] is None
    assert [n["id"] for n in unacknowledged] == ["n-2"]
    assert [n["id"] for n in later] == ["n-2"]
    assert [n["id"] for n in await read(harness, LEGAL)] == ["n-3"]


async def test_the_first_read_is_recorded_once(harness: Harness) -> None:
    await harness.publish_all(issued("n-1", CASA), issued("n-2", LEGAL))
    harness.clock.advance(dt.timedelta(hours=1))
    first_read = harness.clock.now()

    await read(harness, CASA)
    harness.clock.advance(dt.timedelta(hours=2))
    await read(harness, CASA)

    with Session(harness.gateway.service.engine) as session:
        casa, legal = notices.notice(session, "n-1"), notices.notice(session, "n-2")
    assert casa is not None and legal is not None
    assert casa.first_read_at == first_read
    assert legal.first_read_at is None


async def test_the_live_feed_resumes_from_a_cursor_and_carries_only_own_notices(
    harness: Harness,
) -> None:
    await harness.publish_all(issued("n-1", CASA), issued("n-2", CASA))
    context = harness.context_for(Role.SHELTER, organisation_id=CASA)
    first = (await read(harness, CASA))[0]

    feed = await schema.subscribe(
        FEED, variable_values={"after": first["cursor"]}, context_value=context
    )
    assert not hasattr(feed, "errors"), feed
    received: list[str] = []

    async def take(count: int) -> None:
        async for result in feed:  # type: ignore[union-attr]
            assert result.errors is None, result.errors
            received.append(result.data["notices"]["id"])
            if len(received) == count:
                return

    replayed = asyncio.ensure_future(take(1))
    await asyncio.wait_for(replayed, 5)
    live = asyncio.ensure_future(take(2))
    await harness.publish_all(issued("n-3", LEGAL), issued("n-4", CASA))
    await asyncio.wait_for(live, 5)
    await feed.aclose()  # type: ignore[union-attr]

    assert received == ["n-2", "n-4"]


async def test_acknowledging_sends_the_command_and_answers_with_its_outcome(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()

    def notifications(command: Envelope) -> Event | None:
        data = command.data
        return NoticeAcknowledged(
            notice_id=data["notice_id"],
            organisation_id=data["organisation_id"],
            policy_id="p-1",
            acknowledged_at=T0 + dt.timedelta(hours=1),
        )

    answer_commands(harness, NOTIFICATIONS_COMMANDS, notifications)
    await harness.start()
    await harness.publish_all(issued("n-1", CASA))
    context = harness.context_for(Role.SHELTER, organisation_id=CASA)

    result = await harness.execute(ACKNOWLEDGE, context, id="n-1")

    assert result.errors is None, result.errors
    assert result.data == {
        "acknowledgeNotice": {
            "status": "ACCEPTED",
            "outcome": "notice-acknowledged",
            "acknowledgedAt": (T0 + dt.timedelta(hours=1)).isoformat(),
        }
    }
    assert harness.staged_commands() == [
        ("acknowledge-notice", {"notice_id": "n-1", "organisation_id": CASA})
    ]
    assert (await read(harness, CASA))[0]["acknowledgedAt"] == (
        T0 + dt.timedelta(hours=1)
    ).isoformat()


async def test_a_refused_acknowledgement_is_an_error_naming_the_field(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()

    def notifications(command: Envelope) -> Event | None:
        return NotificationsCommandRejected(
            command=command.type,
            errors=[FieldError(field="notice_id", message="the policy was cancelled")],
        )

    answer_commands(harness, NOTIFICATIONS_COMMANDS, notifications)
    await harness.start()
    await harness.publish_all(issued("n-1", CASA))

    result = await harness.execute(
        ACKNOWLEDGE, harness.context_for(Role.SHELTER, organisation_id=CASA), id="n-1"
    )

    assert [e.message for e in result.errors or []] == ["noticeId: the policy was cancelled"]


async def test_another_organisations_notice_is_refused_like_an_unknown_one(
    harness: Harness,
) -> None:
    await harness.publish_all(issued("n-1", LEGAL))
    casa = harness.context_for(Role.SHELTER, organisation_id=CASA)

    theirs = await harness.execute(ACKNOWLEDGE, casa, id="n-1")
    unknown = await harness.execute(ACKNOWLEDGE, casa, id="n-9")

    assert [e.message for e in theirs.errors or []] == ["noticeId: unknown notice 'n-1'"]
    assert [e.message for e in unknown.errors or []] == ["noticeId: unknown notice 'n-9'"]
    assert harness.staged_commands() == []


async def test_one_notice_is_read_by_its_id_and_another_organisations_reads_as_none(
    harness: Harness,
) -> None:
    await harness.publish_all(issued("n-1", CASA), issued("n-2", CASA), issued("n-3", LEGAL))
    one = "query($id: ID) { notices(id: $id) { id title } }"

    ours = await harness.execute(
        one, harness.context_for(Role.SHELTER, organisation_id=CASA), id="n-2"
    )
    theirs = await harness.execute(
        one, harness.context_for(Role.SHELTER, organisation_id=CASA), id="n-3"
    )

    assert ours.data == {"notices": [{"id": "n-2", "title": "Aviso n-2"}]}
    assert theirs.data == {"notices": []}  # as an unknown notice: nothing of LEGAL's shows
    with Session(harness.gateway.service.engine) as session:
        other = notices.notice(session, "n-1")
    assert other is not None and other.first_read_at is None  # only the one asked for was read
