"""How long processing took at a site: pure functions over the timestamps the read model keeps.

Whether a family is over its site's target is processing's decision alone: it publishes
`processing-overdue` (with the target, `target_hours`) for every family that goes past it, and
the gateway shows that. The target shown is the latest one processing reported for the site,
and until it reported one, the published table processing uses
(`puente_schemas.places.PROCESSING_TARGET_HOURS`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from puente_schemas.places import DEFAULT_PROCESSING_TARGET_HOURS, PROCESSING_TARGET_HOURS

__all__ = [
    "FamilyTimes",
    "Spread",
    "family_times",
    "hours",
    "spread",
    "target_hours",
]


def target_hours(site: str, reported: Sequence[float] = ()) -> tuple[float, bool]:
    """(the site's target, whether processing reported it): the last reported one, else
    the published table's."""
    if reported:
        return reported[-1], True
    return PROCESSING_TARGET_HOURS.get(site, DEFAULT_PROCESSING_TARGET_HOURS), False


def hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 3600


@dataclass(frozen=True)
class FamilyTimes:
    """One family's processing: each step's duration in hours (None until it happened);
    `processing` runs to now while the family is still being processed; over the target when
    processing reported it overdue."""

    family_unit_id: str
    checked_in_at: dt.datetime
    processed_at: dt.datetime | None
    released_at: dt.datetime | None
    processing: float
    release: float | None
    total: float | None
    over_target: bool


def family_times(
    *,
    family_unit_id: str,
    checked_in_at: dt.datetime,
    processed_at: dt.datetime | None,
    released_at: dt.datetime | None,
    reported_overdue: bool,
    now: dt.datetime,
) -> FamilyTimes:
    processing = hours(checked_in_at, processed_at or now)
    assert processing is not None
    return FamilyTimes(
        family_unit_id=family_unit_id,
        checked_in_at=checked_in_at,
        processed_at=processed_at,
        released_at=released_at,
        processing=processing,
        release=hours(processed_at, released_at),
        total=hours(checked_in_at, released_at),
        over_target=reported_overdue,
    )


@dataclass(frozen=True)
class Spread:
    count: int
    average: float | None
    p50: float | None
    p90: float | None
    maximum: float | None


def spread(values: Sequence[float | None]) -> Spread:
    """Count, mean, median, 90th percentile and maximum of the durations known (None: not
    happened yet)."""
    known = [value for value in values if value is not None]
    if not known:
        return Spread(count=0, average=None, p50=None, p90=None, maximum=None)
    return Spread(
        count=len(known),
        average=statistics.fmean(known),
        p50=statistics.median(known),
        p90=statistics.quantiles(known, n=10, method="inclusive")[-1]
        if len(known) > 1
        else known[0],
        maximum=max(known),
    )
