"""What happens after a commit: committed timeline entries go to live subscribers, and a
command's first outcome event goes to the request waiting for it.

Subscribers are bounded: so many per token and per organisation, and each with a bounded
queue. One that cannot keep up, or whose token is revoked, is stopped with a reason (a slow
one resumes from its cursor)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from puente_runtime import metrics

from puente_gateway.access import Principal, RecordAccess

__all__ = ["Entry", "Hub", "Listener", "Outcome", "Outcomes", "TooMany"]


@dataclass(frozen=True)
class Entry:
    """A committed timeline entry, as subscribers see it, with what decides who follows its
    family (read when it was committed)."""

    cursor: int
    event_id: str
    family_unit_id: str | None
    type: str
    occurred_at: dt.datetime
    # The organisation the event names (whose inbox a notice is in), if any.
    organisation_id: str | None = None
    # The event's content, unredacted: redaction.py decides what each subscriber sees.
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    access: RecordAccess | None = None


@dataclass(frozen=True)
class Outcome:
    type: str
    data: dict[str, Any]


class TooMany(ValueError):
    """A token or an organisation holds as many subscriptions as it may."""


@dataclass(eq=False)
class Listener:
    """One live subscription: its caller, its bounded queue of entries, and why it was
    stopped (None while it runs). A stop empties the queue and wakes the subscriber."""

    principal: Principal
    queue: asyncio.Queue[Entry | None]
    live: bool = False
    stopped: str | None = field(default=None)

    def stop(self, reason: str) -> None:
        if self.stopped is not None:
            return
        self.stopped = reason
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class Hub:
    """Fans committed entries out to every live subscription."""

    def __init__(self, *, queue_size: int, per_token: int, per_organisation: int) -> None:
        self.queue_size = queue_size
        self.per_token = per_token
        self.per_organisation = per_organisation
        self._listeners: set[Listener] = set()

    @property
    def listening(self) -> bool:
        return bool(self._listeners)

    def _refusal(self, principal: Principal) -> str | None:
        tokens = Counter(one.principal.token_id for one in self._listeners)
        if tokens[principal.token_id] >= self.per_token:
            return f"too many subscriptions: {self.per_token} per token"
        organisation = principal.organisation_id
        held = sum(one.principal.organisation_id == organisation for one in self._listeners)
        if organisation is not None and held >= self.per_organisation:
            return f"too many subscriptions: {self.per_organisation} per organisation"
        return None

    @contextlib.contextmanager
    def listen(self, principal: Principal) -> Iterator[Listener]:
        """A listener counted against the caller's limits; it receives entries once `live`."""
        refused = self._refusal(principal)
        if refused:
            raise TooMany(refused)
        listener = Listener(principal=principal, queue=asyncio.Queue(self.queue_size + 1))
        self._listeners.add(listener)
        metrics.live_subscriptions.add(1, {"service": "gateway"})
        try:
            yield listener
        finally:
            self._listeners.discard(listener)
            metrics.live_subscriptions.add(-1, {"service": "gateway"})

    def publish(self, entry: Entry) -> None:
        resume = (
            f"subscriber too slow: more than {self.queue_size} events waiting; "
            "subscribe again with `after` set to the last cursor received"
        )
        for listener in list(self._listeners):
            if listener.live and listener.stopped is None:
                if listener.queue.qsize() >= self.queue_size:
                    listener.stop(resume)  # its queue keeps one place for the wake-up
                else:
                    listener.queue.put_nowait(entry)

    def revoke(self, token_id: str) -> int:
        """Stop every subscription of a revoked token; how many there were."""
        stopping = [one for one in self._listeners if one.principal.token_id == token_id]
        for listener in stopping:
            listener.stop("token revoked")
        return len(stopping)


class Outcomes:
    """Requests waiting, by correlation id, for the first event of given types."""

    def __init__(self) -> None:
        self._waiting: dict[str, tuple[frozenset[str], asyncio.Future[Outcome]]] = {}

    @contextlib.contextmanager
    def expect(
        self, correlation_id: str, types: frozenset[str]
    ) -> Iterator[asyncio.Future[Outcome]]:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting[correlation_id] = (types, future)
        try:
            yield future
        finally:
            self._waiting.pop(correlation_id, None)

    def settle(self, correlation_id: str, outcome: Outcome) -> None:
        types, future = self._waiting.get(correlation_id, (frozenset(), None))
        if future is not None and outcome.type in types and not future.done():
            future.set_result(outcome)
