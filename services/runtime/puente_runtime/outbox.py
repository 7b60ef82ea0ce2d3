"""The transactional outbox: events are stored with the state that caused them and a relay
publishes them afterwards, in order, marking each one sent. A crash between commit and
publish re-publishes on restart; nothing is lost."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import Iterable
from typing import Any, TypeAlias

from puente_schemas import Command, Envelope, Event
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from puente_runtime.bus import Bus, wait_for_wakeup
from puente_runtime.clock import Clock
from puente_runtime.messages import Message
from puente_runtime.storage import OutboxRow
from puente_runtime.tracing import inject_current

log = logging.getLogger("puente.outbox")
RETRY_SECONDS = 1.0
PUBLISHED_AT = "puente_published_at"  # a header: when the relay published the message


Contract: TypeAlias = Command | Event

# What keys a message that is not about one family: its policy, site, shelter or organisation.
_OTHER_SUBJECTS = ("policy_id", "shelter_id", "site", "shelter", "organisation_id")


def subject_of(data: dict[str, Any], *, cause: Envelope | None = None) -> str:
    """Commands and events are keyed by family unit, so one family's messages stay in order;
    the rest by policy, site, shelter or organisation, or else by what caused them (a
    rejection)."""
    if data.get("family_unit_id"):
        return str(data["family_unit_id"])
    for name in _OTHER_SUBJECTS:
        value = data.get(name)
        if value:
            return str(value["id"] if isinstance(value, dict) else value)
    if cause is not None:
        return str(cause.subject)
    raise ValueError(f"no subject: none of family_unit_id, {', '.join(_OTHER_SUBJECTS)}")


def envelope_for(
    contract: Contract,
    *,
    source: str,
    clock: Clock,
    cause: Envelope | None = None,
    correlation_id: str | None = None,
    simulated: bool = False,
) -> Envelope:
    """`simulated`: the field simulator sends it; what a simulated message causes is
    simulated too, so every consumer can tell the simulated field from the real one."""
    data = contract.model_dump(mode="json")
    envelope = Envelope(
        type=contract.TYPE,
        source=f"/puente/{source}",
        time=clock.now(),
        subject=subject_of(data, cause=cause),
        correlation_id=correlation_id or (cause.correlation_id if cause else ""),
        causation_id=cause.id if cause else None,
        simulated=simulated or (cause is not None and cause.simulated),
        data=data,
    )
    if not envelope.correlation_id:
        envelope = envelope.model_copy(update={"correlation_id": envelope.id})
    return envelope


def stage(session: Session, envelopes: Iterable[tuple[Envelope, str]], *, clock: Clock) -> None:
    """Add (envelope, topic) pairs to the outbox of the session's transaction."""
    trace = inject_current()
    for envelope, topic in envelopes:
        session.add(
            OutboxRow(
                event_id=envelope.id,
                type=envelope.type,
                topic=topic,
                key=envelope.subject,
                headers=json.dumps({**envelope.headers(), **trace}),
                body=envelope.body(),
                created_at=clock.now(),
            )
        )


class Relay:
    """Publishes outbox rows in id order; `wake()` after a commit makes it run at once."""

    def __init__(
        self,
        *,
        engine: Engine,
        bus: Bus,
        clock: Clock,
        poll_seconds: float = 0.5,
        crash_before: str | None = None,
    ) -> None:
        self._engine = engine
        self._bus = bus
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._crash_before = crash_before
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        while True:
            self._wakeup.clear()
            try:
                if await self.publish_pending():
                    continue
            except Exception:  # the broker may be away: keep the rows and try again
                log.exception("relay could not publish; retrying in %.1fs", RETRY_SECONDS)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            await wait_for_wakeup(self._wakeup, self._poll_seconds)

    async def publish_pending(self, limit: int = 500) -> int:
        """Publish the oldest unpublished rows in one batch, then mark them sent. A crash in
        between publishes them again: consumers' inboxes make that harmless."""
        with Session(self._engine) as session:
            query = select(OutboxRow).where(col(OutboxRow.published_at).is_(None))
            rows = session.exec(query.order_by(col(OutboxRow.id)).limit(limit)).all()
            if not rows:
                return 0
            if any(row.type == self._crash_before for row in rows):
                log.warning("fault injection: SIGKILL before publishing %s", self._crash_before)
                os.kill(os.getpid(), signal.SIGKILL)
            # Consumers learn when it was published (a flow's hops, api/flow.py in the gateway).
            now = self._clock.now()
            published = {PUBLISHED_AT: now.isoformat()}
            await self._bus.publish_batch(
                [
                    Message(r.topic, r.key, r.body, {**json.loads(r.headers), **published})
                    for r in rows
                ]
            )
            sent = update(OutboxRow).where(col(OutboxRow.id).in_([row.id for row in rows]))
            session.exec(sent.values(published_at=now))
            session.commit()
            return len(rows)
