"""Two replicas of one service on one PostgreSQL database, driven from threads.

A replica is the service as `create_app` builds it, with its own engine (its own connections),
sharing the database and the clock. Messages go straight to its consumer (decode, inbox,
handler, outbox, retries: all as under Kafka); nothing is relayed, so what each replica
decided is read back from the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from puente_runtime import Clock, FakeClock, Service, Settings, Timed
from puente_runtime.messages import Message, to_message
from puente_runtime.outbox import Contract, envelope_for
from puente_runtime.storage import OutboxRow
from puente_schemas import Envelope
from puente_schemas.common import Location, Member
from puente_schemas.events import Registered
from sqlmodel import Session, col, func, select

T = TypeVar("T")
Handler = Callable[[Message], Any]


class Factory(Protocol):
    def __call__(self, *, settings: Settings, bus: Any, clock: Clock) -> Service: ...


class Consumers:
    """A bus that keeps each consumer a service subscribes, and carries nothing itself."""

    def __init__(self) -> None:
        self.groups: dict[str, Handler] = {}

    async def publish(self, message: Message) -> None:
        raise AssertionError("the relay is not started in these tests")

    async def publish_batch(self, messages: Sequence[Message]) -> None:
        raise AssertionError("the relay is not started in these tests")

    def subscribe(self, topics: Sequence[str], group: str, handler: Handler) -> None:
        self.groups[group] = handler

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class Replica:
    def __init__(self, factory: Factory, *, database_url: str, var_dir: Path, clock: FakeClock):
        self.bus = Consumers()
        self.clock = clock
        settings = Settings(var_dir=var_dir, database_url=database_url)
        self.service = factory(settings=settings, bus=self.bus, clock=clock)
        # The service's own consumer group (notifications also has one for its webhooks).
        self.consumer = self.bus.groups[f"{settings.group_prefix}.{self.service.name}"]

    def deliver(self, contract: Contract) -> None:
        """What the replica does with a message Kafka hands it (blocking: for a thread)."""
        envelope = envelope_for(contract, source="test", clock=self.clock)
        asyncio.run(self.consumer(to_message(envelope, contract.TOPIC, {})))

    def deliver_all(self, contracts: Iterable[Contract]) -> None:
        for contract in contracts:
            self.deliver(contract)

    def staged(self, kind: type[Contract]) -> list[dict[str, Any]]:
        """The data of every `kind` event staged in the outbox (by either replica)."""
        with Session(self.service.engine) as session:
            query = select(OutboxRow).where(OutboxRow.type == kind.TYPE)
            rows = session.exec(query.order_by(col(OutboxRow.id))).all()
        return [Envelope.from_kafka(json.loads(r.headers), r.body).data for r in rows]

    def last_staged(self) -> int:
        with Session(self.service.engine) as session:
            return session.exec(select(func.max(OutboxRow.id))).one() or 0

    def staged_since(self, last: int) -> list[tuple[str, bytes]]:
        """Each event staged after outbox row `last`: its type and its data (a change
        staged twice has the same data twice; the event ids differ)."""
        with Session(self.service.engine) as session:
            query = select(OutboxRow).where(col(OutboxRow.id) > last)
            rows = session.exec(query.order_by(col(OutboxRow.id))).all()
        return [(row.type, row.body) for row in rows]

    def close(self) -> None:
        self.service.engine.dispose()


@contextlib.contextmanager
def two_replicas(
    factory: Factory, *, database_url: str, tmp_path: Path, start: dt.datetime
) -> Iterator[list[Replica]]:
    clock = FakeClock(start)
    made = [
        Replica(factory, database_url=database_url, var_dir=tmp_path / name, clock=clock)
        for name in ("a", "b")
    ]
    try:
        yield made
    finally:
        for replica in made:
            replica.close()


def at_once(*jobs: Callable[[], T]) -> list[T]:
    """Run each job in a thread of its own, all released at the same moment."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        start.wait(timeout=10)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [future.result() for future in [pool.submit(run, job) for job in jobs]]


def slowed(decide: Callable[..., T], seconds: float = 0.05) -> Callable[..., T]:
    """`decide`, taking `seconds` longer: a replica slow to decide (a busy CPU, a pause)
    while another decides too, so that two decisions overlap in every run, not now and
    then."""

    @functools.wraps(decide)
    def slowly(*args: Any, **kwargs: Any) -> T:
        decided = decide(*args, **kwargs)
        time.sleep(seconds)
        return decided

    return slowly


def overlapping(work: Timed, *, runs: int = 2, wait_seconds: float = 1.0) -> Timed:
    """`work` (same name) that, once started, waits for the other runs to start too before
    it reads anything, so runs in two replicas overlap for sure; a run alone goes on after
    `wait_seconds`."""
    started = threading.Barrier(runs)

    @functools.wraps(work)
    def together(session: Session, now: dt.datetime) -> Sequence[Contract]:
        with contextlib.suppress(threading.BrokenBarrierError):
            started.wait(timeout=wait_seconds)
        return work(session, now)

    return together


def registered(family: str, *, at: dt.datetime) -> Registered:
    """Registration's event for a family of one from Tijuana (`f07`: A-number A000000007)."""
    member = Member(
        member_id=f"{family}-1",
        given_name="Ana",
        family_name="Lopez",
        birth_date=dt.date(1990, 3, 1),
        in_mpp=True,
        a_number=f"A{int(family[1:]):09}",
        case_category="active",
        language="spa",
    )
    return Registered(
        family_unit_id=family,
        channel="online",
        current_location=Location(city="Tijuana", country="MX"),
        members=[member],
        registered_at=at,
    )
