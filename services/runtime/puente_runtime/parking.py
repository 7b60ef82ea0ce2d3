"""Parking: a message that arrives before its cause (which travels on another topic) waits in
the database, so it holds up nothing else. It is tried again whenever a message of the same
family is applied, and dead-lettered if its cause has not come within the patience period.
Messages of the same family on the same topic queue behind it, keeping that topic's order."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import Engine, delete
from sqlmodel import Field, Session, SQLModel, col, select

from puente_runtime.messages import Message


class ParkedRow(SQLModel, table=True):
    __tablename__ = "parked"

    id: int | None = Field(default=None, primary_key=True)
    consumer: str = Field(index=True)
    subject: str = Field(index=True)
    topic: str
    partition: int
    offset: int
    headers: str
    body: bytes
    reason: str
    parked_at: dt.datetime

    def message(self) -> Message:
        return Message(
            self.topic,
            self.subject,
            self.body,
            json.loads(self.headers),
            self.partition,
            self.offset,
        )


def park(engine: Engine, consumer: str, message: Message, reason: str) -> None:
    with Session(engine) as session:
        session.add(
            ParkedRow(
                consumer=consumer,
                subject=message.key,
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                headers=json.dumps(message.headers),
                body=message.value,
                reason=reason,
                parked_at=dt.datetime.now(dt.UTC),
            )
        )
        session.commit()


def parked(engine: Engine, consumer: str, subject: str) -> Sequence[ParkedRow]:
    query = select(ParkedRow).where(ParkedRow.consumer == consumer, ParkedRow.subject == subject)
    with Session(engine) as session:
        return session.exec(query.order_by(col(ParkedRow.id))).all()


def expired(engine: Engine, consumer: str, patience: dt.timedelta) -> Sequence[ParkedRow]:
    cutoff = dt.datetime.now(dt.UTC) - patience
    query = select(ParkedRow).where(
        ParkedRow.consumer == consumer, col(ParkedRow.parked_at) < cutoff
    )
    with Session(engine) as session:
        return session.exec(query.order_by(col(ParkedRow.id))).all()


def unpark(session: Session, parked_id: int) -> None:
    session.exec(delete(ParkedRow).where(col(ParkedRow.id) == parked_id))


def remove(engine: Engine, parked_id: int) -> None:
    with Session(engine) as session:
        unpark(session, parked_id)
        session.commit()
