"""Scheduling's message handlers and its timed passes: decode, let the plan decide, store and
announce, in one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from puente_runtime import Context, Handlers
from puente_runtime.service import Timed
from puente_schemas.events import (
    Event,
    ExpediteDecided,
    PolicyEffective,
    Registered,
    RegistrationUpdated,
    SchedulingCommandRejected,
    TransportFailed,
)
from sqlmodel import Session

from puente_scheduling.announce import events
from puente_scheduling.domain import Arrival, Plan
from puente_scheduling.store import Store


def on_registered(event: Registered, ctx: Context, *, store: Store) -> list[Event]:
    now = ctx.clock.now()
    return decide(ctx.session, store, lambda plan: plan.register(arrival(event), now=now), now=now)


def on_registration_updated(
    event: RegistrationUpdated, ctx: Context, *, store: Store
) -> list[Event]:
    now = ctx.clock.now()
    return decide(
        ctx.session,
        store,
        lambda plan: plan.update(
            event.family_unit_id,
            people=len(event.members),
            city=event.current_location.city,
            country=event.current_location.country,
            categories=frozenset(m.case_category for m in event.members if m.case_category),
            now=now,
        ),
        now=now,
    )


def on_expedite_decided(event: ExpediteDecided, ctx: Context, *, store: Store) -> list[Event]:
    granted_at, now = event.decided_at or ctx.envelope.time, ctx.clock.now()

    def grant(plan: Plan) -> None:
        if event.granted:
            plan.grant_expedite(event.family_unit_id, granted_at=granted_at, now=now)

    return decide(ctx.session, store, grant, now=now)


def on_transport_failed(event: TransportFailed, ctx: Context, *, store: Store) -> list[Event]:
    now = ctx.clock.now()
    return decide(
        ctx.session,
        store,
        lambda plan: plan.transport_failed(
            event.family_unit_id,
            event.appointment_id,
            reason=event.reason,
            now=now,
            earliest_arrival=event.earliest_arrival,
        ),
        now=now,
    )


def on_policy_effective(event: PolicyEffective, ctx: Context, *, store: Store) -> list[Event]:
    reason, now = f"{event.title} (policy {event.policy_id})", ctx.clock.now()
    errors = []

    def apply(plan: Plan) -> None:
        errors.extend(plan.apply_policy(event.changes, now=now, reason=reason))

    decided = decide(ctx.session, store, apply, now=now)
    if not errors:
        return decided
    rejected = SchedulingCommandRejected(
        command=PolicyEffective.TYPE, policy_id=event.policy_id, errors=errors
    )
    return [*decided, rejected]


def passes(session: Session, now: dt.datetime, *, store: Store) -> list[Event]:
    """Timed: as days come into the horizon, families waiting in line get their days."""
    return decide(session, store, lambda plan: plan.run_passes(now), now=now)


def decide(
    session: Session, store: Store, change: Callable[[Plan], None], *, now: dt.datetime
) -> list[Event]:
    """Change the plan and its estimates, store what changed in the session's transaction,
    return the events."""
    plan = store.open(session)
    change(plan)
    plan.estimate(now)
    changes = plan.changes()
    store.save(session, plan, changes)
    return events(changes)


def arrival(event: Registered) -> Arrival:
    enrolled = [m.mpp_enrollment_date for m in event.members if m.mpp_enrollment_date]
    return Arrival(
        family_unit_id=event.family_unit_id,
        people=len(event.members),
        city=event.current_location.city,
        country=event.current_location.country,
        categories=frozenset(m.case_category for m in event.members if m.case_category),
        earliest_enrollment=min(enrolled, default=None),
        registered_at=event.registered_at,
    )


def handlers(store: Store) -> Handlers:
    """The handlers of one service instance, sharing its plan."""
    return {
        Registered: partial(on_registered, store=store),
        RegistrationUpdated: partial(on_registration_updated, store=store),
        ExpediteDecided: partial(on_expedite_decided, store=store),
        TransportFailed: partial(on_transport_failed, store=store),
        PolicyEffective: partial(on_policy_effective, store=store),
    }


def timed_passes(store: Store) -> Timed:
    def scheduling_passes(session: Session, now: dt.datetime) -> list[Event]:
        return passes(session, now, store=store)

    return scheduling_passes
