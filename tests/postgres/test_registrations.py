"""Registration with two replicas: registrations and call-backs of different families reach
different replicas (or a timed run in one meets a message in the other) at the same moment,
and each decision is still made on what the other replica committed: an operator's call goes
to one call-back, a person registered twice is flagged, an A-number is registered once, a
call-back is either recorded or missed, and nobody calls back a released family."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from functools import partial

import puente_registration
import pytest
from puente_registration import callbacks, domain, duplicates, store
from puente_registration.handlers import missed_callbacks
from puente_registration.tables import CallbackRow
from puente_schemas.commands import RecordCallback
from puente_schemas.common import Channel
from puente_schemas.events import (
    CallbackBooked,
    CallbackMissed,
    CallbackRecorded,
    DuplicateFlagged,
    Registered,
    RegistrationRejected,
    Released,
)
from sqlmodel import Session, select

from tests.conftest import START, adult, family
from tests.postgres.support import Replica, at_once, slowed, two_replicas

pytestmark = pytest.mark.servers  # needs servers (here PostgreSQL)

FAMILIES = [f"f{number:02}" for number in range(12)]


def by_phone(family_unit_id: str, number: int):
    """A hotline registration of one adult, born on a day of their own (so that no two are
    likely duplicates of each other) with an A-number of their own."""
    born = dt.date(1980, 1, 1) + dt.timedelta(days=number)
    member = adult(f"A{500000000 + number:09}", birth_date=born)
    return family(family_unit_id, member).model_copy(update={"channel": Channel.HOTLINE})


def test_two_replicas_never_give_one_call_to_two_call_backs(databases, tmp_path, monkeypatch):
    """Twelve families register by phone at once, half in each replica, each replica slow to
    choose a call: every call-back has a call (time and operator) of its own."""
    monkeypatch.setattr(callbacks, "book", slowed(callbacks.book))
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        registrations = [by_phone(f, number) for number, f in enumerate(FAMILIES)]
        at_once(
            *[
                partial(replica.deliver_all, registrations[index :: len(replicas)])
                for index, replica in enumerate(replicas)
            ]
        )

        booked = replicas[0].staged(CallbackBooked)
    assert sorted(b["family_unit_id"] for b in booked) == FAMILIES
    calls = Counter((b["due_at"], b["operator"]) for b in booked)
    assert [call for call, times in calls.items() if times > 1] == []


def test_one_person_registered_in_two_families_at_once_is_flagged(databases, tmp_path, monkeypatch):
    """The same woman, her name spelled two ways, registered in two families in two replicas
    at the same moment: the second registration is flagged as a likely duplicate of the
    first, as it would be one after the other."""
    monkeypatch.setattr(duplicates, "candidates", slowed(duplicates.candidates))
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        one = family("f1", adult("A200000001", given_name="José", family_name="Pérez García"))
        other = family("f2", adult("A200000002", given_name="Jose", family_name="Perez"))

        at_once(partial(first.deliver, one), partial(second.deliver, other))

        registered = first.staged(Registered)
        flagged = first.staged(DuplicateFlagged)
    assert sorted(r["family_unit_id"] for r in registered) == ["f1", "f2"]
    assert len(flagged) == 1
    (flag,) = flagged
    assert {flag["family_unit_id"], *flag["candidate_family_unit_ids"]} == {"f1", "f2"}


def test_an_a_number_registered_in_two_families_at_once_is_decided_without_a_failure(
    databases, tmp_path, monkeypatch, caplog
):
    """One A-number in two registrations at the same moment (two different people: a typing
    error): one family is registered, the other rejected naming it. The database's unique
    A-number already stops both being registered; the lock makes it a decision rather than
    a failed attempt retried (a warning in the log, a back-off before the answer)."""
    monkeypatch.setattr(domain, "validate", slowed(domain.validate))
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        one = family("f1", adult("A300000003"))
        other = family("f2", adult("A300000003", given_name="Rosa", birth_date=dt.date(1975, 7, 7)))

        with caplog.at_level(logging.WARNING):
            at_once(partial(first.deliver, one), partial(second.deliver, other))

        registered = first.staged(Registered)
        rejected = first.staged(RegistrationRejected)
    assert len(registered) == 1 and len(rejected) == 1
    (accepted,) = registered
    (refused,) = rejected
    assert {accepted["family_unit_id"], refused["family_unit_id"]} == {"f1", "f2"}
    assert refused["existing_family_unit_id"] == accepted["family_unit_id"]
    assert [error["field"] for error in refused["errors"]] == ["members[0].a_number"]
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert failures == []


def hotline_family(replica: Replica) -> dict:
    """A family registered by phone; its call-back, as booked."""
    replica.deliver(
        family("f1", adult("A111111111")).model_copy(update={"channel": Channel.HOTLINE})
    )
    (booked,) = replica.staged(CallbackBooked)
    return booked


def past_its_grace(replica: Replica, booked: dict) -> None:
    due_at = dt.datetime.fromisoformat(booked["due_at"])
    replica.clock.advance(due_at + callbacks.GRACE + dt.timedelta(minutes=1) - replica.clock.now())


def recorded(booked: dict, outcome: str) -> RecordCallback:
    return RecordCallback(
        family_unit_id=booked["family_unit_id"],
        callback_id=booked["callback_id"],
        operator=booked["operator"],
        outcome=outcome,
    )


def test_a_call_back_recorded_late_is_either_recorded_or_missed(databases, tmp_path, monkeypatch):
    """The operator records the call just after its grace period, in one replica, while the
    other's sweep finds it missed: it is one or the other (were it both, the family would be
    called again after a call that reached it), and the family has at most one call-back
    still to come."""
    monkeypatch.setattr(callbacks, "record_errors", slowed(callbacks.record_errors))
    monkeypatch.setattr(callbacks, "book", slowed(callbacks.book))
    monkeypatch.setattr(store, "overdue_callbacks", slowed(store.overdue_callbacks))
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        booked = hotline_family(first)
        past_its_grace(first, booked)

        at_once(
            lambda: first.service.run_now(missed_callbacks),
            partial(second.deliver, recorded(booked, "reached")),
        )

        missed = first.staged(CallbackMissed)
        made = first.staged(CallbackRecorded)
        with Session(first.service.engine) as session:
            to_come = session.exec(
                select(CallbackRow).where(CallbackRow.status == callbacks.Status.BOOKED)
            ).all()
    assert len(missed) + len(made) == 1
    assert len(to_come) == len(missed)  # a missed call is rebooked; a reached one is not


def released(family_unit_id: str) -> Released:
    return Released(
        family_unit_id=family_unit_id,
        site="san-ysidro",
        released_at=START,
        destination="Los Angeles, CA",
    )


@pytest.mark.parametrize("how", ["operator records no answer", "sweep finds it missed"])
def test_nobody_calls_back_a_family_released_meanwhile(databases, tmp_path, monkeypatch, how):
    """The family is released (processing's event, in one replica) while its call-back is
    rebooked in the other, after no answer or by the sweep: no call-back is left booked for
    a family whose registration is closed (the sweep would rebook it for ever)."""
    monkeypatch.setattr(callbacks, "record_errors", slowed(callbacks.record_errors))
    monkeypatch.setattr(callbacks, "book", slowed(callbacks.book))
    monkeypatch.setattr(store, "overdue_callbacks", slowed(store.overdue_callbacks))
    monkeypatch.setattr(store, "booked_callbacks", slowed(store.booked_callbacks))
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        booked = hotline_family(first)
        past_its_grace(first, booked)
        if how == "sweep finds it missed":
            rebook = partial(first.service.run_now, missed_callbacks)
        else:
            rebook = partial(first.deliver, recorded(booked, "no_answer"))

        at_once(rebook, partial(second.deliver, released("f1")))

        rebooked = [b for b in first.staged(CallbackBooked) if b["rebooked_from"]]
        with Session(first.service.engine) as session:
            to_come = session.exec(
                select(CallbackRow).where(CallbackRow.status == callbacks.Status.BOOKED)
            ).all()
    assert len(rebooked) <= 1
    assert to_come == []
