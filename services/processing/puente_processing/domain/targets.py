"""How long processing at each site should take, from check-in to the end of processing.

The letter cites documents filed in litigation showing ports processing people in hours:
Brownsville 2.5 h, Hidalgo 1-4 h, Progreso 2-4 h, Roma 1-2 h (DOMAIN.md, rule 5). Brownsville
gets its own figure, Hidalgo the top of its range; Progreso and Roma are not Puente sites. The
other ports and the two consulates have no figure of their own and take the default of four
hours, the top of the letter's "1-4 hours at several ports".
"""

from __future__ import annotations

import datetime as dt

DEFAULT_HOURS = 4.0
TARGET_HOURS: dict[str, float] = {
    "brownsville": 2.5,
    "hidalgo": 4.0,
    "san-ysidro": DEFAULT_HOURS,
    "calexico": DEFAULT_HOURS,
    "nogales": DEFAULT_HOURS,
    "el-paso": DEFAULT_HOURS,
    "eagle-pass": DEFAULT_HOURS,
    "laredo": DEFAULT_HOURS,
    "consulate-mexico-city": DEFAULT_HOURS,
    "consulate-monterrey": DEFAULT_HOURS,
}


def target_hours(site: str) -> float:
    return TARGET_HOURS.get(site, DEFAULT_HOURS)


def overdue(site: str, checked_in_at: dt.datetime, now: dt.datetime) -> bool:
    """Processing has taken longer than the site's target (and is not finished)."""
    return now - checked_in_at > dt.timedelta(hours=target_hours(site))
