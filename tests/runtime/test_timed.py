"""Clock-driven work: its state and its events commit together, and a family's events stay
in the family's one trace and correlation even when the clock, not a message, caused them."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3

import pytest
from puente_runtime import EmbeddedBus, Service, Settings
from puente_runtime.outbox import envelope_for, stage
from puente_runtime.storage import OutboxRow, OutdatedSchema, make_engine
from puente_schemas.events import CheckedIn, Processed
from sqlmodel import Field, Session, SQLModel, select

TRACE = "0af7651916cd43dd8448eb211c80319c"


def trace_id(headers: str) -> str:
    return json.loads(headers)["traceparent"].split("-")[1]


def test_timed_events_continue_the_trace_of_the_familys_last_event(tmp_path, clock):
    settings = Settings(var_dir=tmp_path)
    service = Service(
        name="timed", settings=settings, bus=EmbeddedBus(tmp_path / "bus.db"), clock=clock
    )
    earlier = envelope_for(
        CheckedIn(family_unit_id="f1", site="laredo", checked_in_at=clock.now()),
        source="timed",
        clock=clock,
        correlation_id="c-1",
    )
    with Session(service.engine) as session:
        stage(session, [(earlier, CheckedIn.TOPIC)], clock=clock)
        row = session.exec(select(OutboxRow)).one()
        headers = json.loads(row.headers) | {"traceparent": f"00-{TRACE}-b7ad6b7169203331-01"}
        row.headers = json.dumps(headers)
        session.add(row)
        session.commit()

    def finish(session: Session, now: dt.datetime) -> list[Processed]:
        return [
            Processed(family_unit_id=f, site="laredo", processed_at=now, documents=[])
            for f in ("f1", "f2")
        ]

    envelopes = service.run_now(finish)

    by_family = {e.subject: e for e in envelopes}
    assert by_family["f1"].correlation_id == "c-1"
    assert by_family["f2"].correlation_id == by_family["f2"].id  # a family new to the service
    with Session(service.engine) as session:
        rows = {r.event_id: r for r in session.exec(select(OutboxRow)).all()}
    assert trace_id(rows[by_family["f1"].id].headers) == TRACE
    assert trace_id(rows[by_family["f2"].id].headers) != TRACE
    service.engine.dispose()


async def test_a_failed_run_is_tried_again_and_commits_nothing(tmp_path, clock, caplog):
    service = Service(
        name="timed",
        settings=Settings(var_dir=tmp_path),
        bus=EmbeddedBus(tmp_path / "b.db"),
        clock=clock,
    )
    runs: list[int] = []

    def flaky(session: Session, now: dt.datetime) -> list[Processed]:
        runs.append(len(runs))
        event = Processed(
            family_unit_id=f"f{len(runs)}", site="laredo", processed_at=now, documents=[]
        )
        if len(runs) == 1:
            session.add(
                OutboxRow(
                    event_id="half",
                    type="t",
                    topic="t",
                    key="k",
                    headers="{}",
                    body=b"",
                    created_at=now,
                )
            )
            raise ConnectionError("database went away")
        return [event]

    service.every(dt.timedelta(minutes=5), flaky)
    await service.start()
    try:
        for _ in range(200):
            if len(runs) >= 2:
                break
            clock.advance(dt.timedelta(minutes=5))
            await asyncio.sleep(0.02)
    finally:
        await service.stop()
    assert len(runs) >= 2
    assert "flaky failed: ConnectionError: database went away" in caplog.text
    with Session(service.engine) as session:
        keys = [r.key for r in session.exec(select(OutboxRow)).all()]
    assert "k" not in keys and "f2" in keys  # the failed run left nothing; the next one counted


class Old(SQLModel, table=True):
    __tablename__ = "test_old"
    id: int | None = Field(default=None, primary_key=True)
    name: str


def test_a_database_made_by_an_older_version_is_refused_at_start(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.execute("CREATE TABLE test_old (id INTEGER PRIMARY KEY)")
    with pytest.raises(OutdatedSchema, match=r"table test_old lacks columns name: .* delete it"):
        make_engine(url, [Old])
