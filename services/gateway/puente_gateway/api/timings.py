"""Processing times per site: check-in to end of processing to release, per family and as
average, median and maximum, against the site's target (timing.py), and the families over it.
Ids and times only: for analysts, every site's aggregates (no family named); for port
officers, the sites they work at, family by family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import strawberry
from puente_schemas.places import SITE_PLACES
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import ports, timing
from puente_gateway.access import Principal, works_at
from puente_gateway.api.permissions import NOT_AUTHORISED, engine, gateway, principal, refuse
from puente_gateway.api.ports import require_site
from puente_gateway.roles import Role
from puente_gateway.tables import PortVisit


@strawberry.type(description="Durations in hours of the families for which both steps are known.")
class Durations:
    count: int
    average_hours: float | None
    p50_hours: float | None
    p90_hours: float | None
    max_hours: float | None


@strawberry.type
class FamilyProcessingTime:
    family_unit_id: strawberry.ID
    checked_in_at: dt.datetime
    processed_at: dt.datetime | None
    released_at: dt.datetime | None
    processing_hours: float = strawberry.field(
        description="Check-in to end of processing; so far, while still in processing."
    )
    release_hours: float | None = strawberry.field(description="End of processing to release.")
    total_hours: float | None = strawberry.field(description="Check-in to release.")
    over_target: bool = strawberry.field(description="Processing reported it overdue.")
    overdue_reported: bool = strawberry.field(
        description="Processing reported it overdue (the same as overTarget: kept for clients)."
    )


AGGREGATES_ONLY = f"{NOT_AUTHORISED}: per family only for a port officer at the site"


def _overdue(root: strawberry.Parent[ProcessingTimes]) -> list[FamilyProcessingTime]:
    if not root.named:
        raise refuse(AGGREGATES_ONLY)
    return root.over


def _per_family(root: strawberry.Parent[ProcessingTimes]) -> list[FamilyProcessingTime]:
    if not root.named:
        raise refuse(AGGREGATES_ONLY)
    return root.every


@strawberry.type
class ProcessingTimes:
    site: str
    target_hours: float = strawberry.field(
        description="Check-in to end of processing, as processing last reported it for the "
        "site (`processing-overdue`), else the published target."
    )
    target_reported: bool
    families: int = strawberry.field(description="Families checked in at the site.")
    in_processing: int
    within_target: int = strawberry.field(description="Processed within the target.")
    over_target: int = strawberry.field(
        description="Reported overdue by processing, finished or not."
    )
    check_in_to_processed: Durations
    processed_to_released: Durations
    check_in_to_released: Durations
    named: strawberry.Private[bool]
    over: strawberry.Private[list[FamilyProcessingTime]]
    every: strawberry.Private[list[FamilyProcessingTime]]
    overdue: list[FamilyProcessingTime] = strawberry.field(
        resolver=_overdue,
        description="The families over the target: for a port officer at the site (an analyst "
        "sees aggregates only).",
    )
    per_family: list[FamilyProcessingTime] = strawberry.field(
        resolver=_per_family, description="Each family: for a port officer at the site."
    )


def _durations(values: Sequence[float | None]) -> Durations:
    found = timing.spread(values)
    return Durations(
        count=found.count,
        average_hours=found.average,
        p50_hours=found.p50,
        p90_hours=found.p90,
        max_hours=found.maximum,
    )


def _family_time(times: timing.FamilyTimes) -> FamilyProcessingTime:
    return FamilyProcessingTime(
        family_unit_id=strawberry.ID(times.family_unit_id),
        checked_in_at=times.checked_in_at,
        processed_at=times.processed_at,
        released_at=times.released_at,
        processing_hours=times.processing,
        release_hours=times.release,
        total_hours=times.total,
        over_target=times.over_target,
        overdue_reported=times.over_target,
    )


def _site_times(
    site: str, visits: Sequence[PortVisit], now: dt.datetime, *, named: bool
) -> ProcessingTimes:
    reported = [v.overdue_target_hours for v in visits if v.overdue_target_hours is not None]
    target, from_processing = timing.target_hours(site, reported)
    every = [
        timing.family_times(
            family_unit_id=v.family_unit_id,
            checked_in_at=v.checked_in_at,
            processed_at=v.processed_at,
            released_at=v.released_at,
            reported_overdue=v.overdue_target_hours is not None,
            now=now,
        )
        for v in visits
        if v.checked_in_at is not None
    ]
    over = [t for t in every if t.over_target]
    return ProcessingTimes(
        site=site,
        target_hours=target,
        target_reported=from_processing,
        families=len(every),
        in_processing=sum(1 for t in every if t.processed_at is None),
        within_target=sum(1 for t in every if t.processed_at and not t.over_target),
        over_target=len(over),
        check_in_to_processed=_durations([t.processing if t.processed_at else None for t in every]),
        processed_to_released=_durations([t.release for t in every]),
        check_in_to_released=_durations([t.total for t in every]),
        named=named,
        over=[_family_time(t) for t in over],
        every=[_family_time(t) for t in every],
    )


def _sees(caller: Principal, site: str) -> bool:
    """An analyst sees every site's aggregates; a port officer those of its sites."""
    return Role.ANALYST in caller.roles or works_at(caller, site)


def processing_times(info: Info, site: str | None = None) -> list[ProcessingTimes]:
    """Per site (one, or every site where families checked in), by check-in time."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        visits = ports.visits_at(session, site)
    if site is not None and site not in SITE_PLACES and not visits:
        raise ValueError(f"site: unknown site '{site}'")
    if site is not None and not _sees(caller, site):
        require_site(info, site)
    by_site: dict[str, list[PortVisit]] = {site: []} if site is not None else {}
    for visit in visits:
        by_site.setdefault(visit.site or "", []).append(visit)
    now = gateway(info).clock.now()
    chosen = sorted(name for name in by_site if _sees(caller, name))
    return [_site_times(name, by_site[name], now, named=works_at(caller, name)) for name in chosen]
