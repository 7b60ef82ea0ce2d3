"""Hotline call-backs: when, and by which operator, a registrant is called back. Pure: the
time is passed in.

The hotline (data below) works in one-hour slots, 08:00 to 20:00 Central Mexico time (UTC-6
all year: Mexico ended daylight saving time in 2022), Monday to Saturday. A new call-back gets
the first free call in the first slot after the registration, operators taken in turn (round
robin). Each operator makes one call every 15 minutes; the first call of each operator's slot
is kept for call-backs that were missed or not answered, so such a call-back is rebooked in
the very next slot, ahead of every new call-back in it (DOMAIN.md: people were not called
back at the scheduled time and could not reach anyone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice

from puente_schemas.common import FieldError

# How late an operator may record a call before it counts as missed.
GRACE = dt.timedelta(minutes=15)
# Calls in a row that nobody answered, after which the hotline stops calling back by itself.
UNANSWERED_LIMIT = 3
# A year of slots: a hotline with no free call in a year needs more operators, not a loop.
_HORIZON_SLOTS = 366 * 24


class Status(StrEnum):
    BOOKED = "booked"
    RECORDED = "recorded"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    """What an operator reports after calling."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    LINE_BUSY = "line_busy"
    WRONG_NUMBER = "wrong_number"


# Outcomes after which the registrant is called again (until UNANSWERED_LIMIT).
CALL_AGAIN = frozenset({Outcome.NO_ANSWER, Outcome.LINE_BUSY})


@dataclass(frozen=True)
class Hotline:
    operators: tuple[str, ...]
    zone: dt.tzinfo
    opens_hour: int
    closes_hour: int
    weekdays: frozenset[int]
    calls_per_slot: int = 4
    kept_for_rebooking: int = 1

    @property
    def call_length(self) -> dt.timedelta:
        return dt.timedelta(hours=1) / self.calls_per_slot


HOTLINE = Hotline(
    operators=("operator-01", "operator-02", "operator-03", "operator-04"),
    zone=dt.timezone(dt.timedelta(hours=-6), "CST"),
    opens_hour=8,
    closes_hour=20,
    weekdays=frozenset(range(6)),
)


@dataclass(frozen=True)
class Booking:
    due_at: dt.datetime
    operator: str


def slots_after(moment: dt.datetime, hotline: Hotline = HOTLINE) -> Iterator[dt.datetime]:
    """The starts of the hotline's working hours after `moment`'s hour, in UTC."""
    hour = moment.astimezone(hotline.zone).replace(minute=0, second=0, microsecond=0)
    while True:
        hour += dt.timedelta(hours=1)
        if hour.weekday() in hotline.weekdays and (
            hotline.opens_hour <= hour.hour < hotline.closes_hour
        ):
            yield hour.astimezone(dt.UTC)


def book(
    *,
    after: dt.datetime,
    taken: Collection[tuple[dt.datetime, str]],
    rebooking: bool,
    hotline: Hotline = HOTLINE,
) -> Booking:
    """The earliest free call after `after`: (time, operator) pairs in `taken` are booked.

    A rebooking may take any call, the ones kept for it first; a new call-back only the rest.
    """
    first_call = 0 if rebooking else hotline.kept_for_rebooking
    for slot in islice(slots_after(after, hotline), _HORIZON_SLOTS):
        for call in range(first_call, hotline.calls_per_slot):
            due_at = slot + call * hotline.call_length
            for operator in hotline.operators:
                if (due_at, operator) not in taken:
                    return Booking(due_at=due_at, operator=operator)
    raise RuntimeError("no free call-back in a year: the hotline needs more operators")


def is_missed(due_at: dt.datetime, now: dt.datetime) -> bool:
    return now >= due_at + GRACE


def record_errors(
    *, status: Status, operator: str, outcome: str, hotline: Hotline = HOTLINE
) -> list[FieldError]:
    """What is wrong with recording a call-back in this state, one error per field."""
    errors = []
    if status is Status.RECORDED:
        errors.append(FieldError(field="callback_id", message="is already recorded"))
    elif status is Status.MISSED:
        errors.append(
            FieldError(field="callback_id", message="was missed and rebooked: record the new one")
        )
    elif status is Status.CANCELLED:
        errors.append(
            FieldError(field="callback_id", message="was cancelled: the family was released")
        )
    if operator not in hotline.operators:
        errors.append(FieldError(field="operator", message=f"unknown operator {operator!r}"))
    if outcome not in set(Outcome):
        known = ", ".join(Outcome)
        errors.append(
            FieldError(field="outcome", message=f"unknown outcome {outcome!r}; one of {known}")
        )
    return errors


def calls_again(outcome: Outcome, unanswered_before: int) -> bool:
    """Whether an outcome books another call-back (`unanswered_before`: earlier calls in a
    row that nobody answered)."""
    return outcome in CALL_AGAIN and unanswered_before + 1 < UNANSWERED_LIMIT
