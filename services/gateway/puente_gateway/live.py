"""What happens after a commit: committed timeline entries go to live subscribers, and a
command's first outcome event goes to the request waiting for it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entry:
    """A committed timeline entry, as subscribers see it."""

    cursor: int
    event_id: str
    family_unit_id: str | None
    type: str
    occurred_at: dt.datetime
    # The organisation the event names (whose inbox a notice is in), if any.
    organisation_id: str | None = None
    # The event's content, unredacted: redaction.py decides what each subscriber sees.
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Outcome:
    type: str
    data: dict[str, Any]


class Hub:
    """Fans committed entries out to every live subscription (one queue each)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Entry]] = set()

    @contextlib.contextmanager
    def listen(self) -> Iterator[asyncio.Queue[Entry]]:
        queue: asyncio.Queue[Entry] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def publish(self, entry: Entry) -> None:
        for queue in self._queues:
            queue.put_nowait(entry)


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
