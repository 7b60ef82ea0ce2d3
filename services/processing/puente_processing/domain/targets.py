"""How long processing at each site should take, from check-in to the end of processing: the
published table in `puente_schemas.places`, which the gateway's dashboard reads too."""

from __future__ import annotations

import datetime as dt

from puente_schemas.places import DEFAULT_PROCESSING_TARGET_HOURS, PROCESSING_TARGET_HOURS

DEFAULT_HOURS = DEFAULT_PROCESSING_TARGET_HOURS
TARGET_HOURS = PROCESSING_TARGET_HOURS


def target_hours(site: str) -> float:
    return TARGET_HOURS.get(site, DEFAULT_HOURS)


def overdue(site: str, checked_in_at: dt.datetime, now: dt.datetime) -> bool:
    """Processing has taken longer than the site's target (and is not finished)."""
    return now - checked_in_at > dt.timedelta(hours=target_hours(site))
