"""siteLoad: per site, the people with an appointment on each of the coming days against the
site's capacity per day, and today's arrivals (due today by their booking, and arrived). An
aggregate of the read model: no one named (dashboards)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import queueing, travel
from puente_gateway.api.permissions import engine, gateway

__all__ = ["SiteLoad", "site_load"]

MAX_DAYS = 60
_DAY = dt.timedelta(days=1)


@strawberry.type
class DayLoad:
    date: dt.date
    families: int = strawberry.field(description="Appointments on the day.")
    people: int


@strawberry.type(description="A site's coming days against its capacity, and today's arrivals.")
class SiteLoad:
    site: str
    name: str
    open: bool
    capacity_per_day: int = strawberry.field(description="People per day.")
    days: list[DayLoad] = strawberry.field(description="From today (UTC), every day.")
    arriving_today: int = strawberry.field(
        description="Families whose transport is due at the site today, arrived or not."
    )
    arrived_today: int = strawberry.field(description="Of those, the families that arrived.")


def site_load(info: Info, days: int = 14) -> list[SiteLoad]:
    """Every site, by id, over `days` days (1 to 60) from today."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days: must be between 1 and {MAX_DAYS}")
    today = gateway(info).clock.now().date()
    start = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    dates = [today + dt.timedelta(days=n) for n in range(days)]
    families: Counter[tuple[str, dt.date]] = Counter()
    people: Counter[tuple[str, dt.date]] = Counter()
    due: Counter[str] = Counter()
    arrived: Counter[str] = Counter()
    with Session(engine(info)) as session:
        sites = queueing.sites(session)
        for site, at, size in queueing.booked_between(session, start, start + days * _DAY):
            families[(site, at.date())] += 1
            people[(site, at.date())] += size
        for site, came in travel.arriving_between(session, start, start + _DAY):
            due[site] += 1
            arrived[site] += came
    return [
        SiteLoad(
            site=row.id,
            name=row.name,
            open=row.open,
            capacity_per_day=row.capacity_per_day,
            days=[
                DayLoad(date=day, families=families[(row.id, day)], people=people[(row.id, day)])
                for day in dates
            ],
            arriving_today=due[row.id],
            arrived_today=arrived[row.id],
        )
        for row in sites
    ]
