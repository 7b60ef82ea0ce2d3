"""Webhook rules, pure: which events an endpoint may ask for, which addresses it may have,
when a delivery is tried again, and what an answer means (Standard Webhooks)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

from puente_schemas.common import FieldError
from puente_schemas.events import FEED_TYPES, NoticeEscalated, NoticeIssued

# What an endpoint may subscribe to: notices, as the organisation's inbox receives them, and
# the events of the families its organisation follows, by the names `familyEvents(types:)`
# takes (the gateway decides who follows which family and redacts each event for it).
EVENT_TYPES = (NoticeIssued.TYPE, NoticeEscalated.TYPE)
MAX_URL = 2048
# When each attempt is made, counted from the first: immediately, then 5 s, 5 min, 30 min,
# 2 h, 5 h, 10 h and 10 h after the attempt before it.
SCHEDULE = (
    dt.timedelta(0),
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
)
TIMEOUT = dt.timedelta(seconds=15)  # a 2xx later than this is a failure
DISABLE_AFTER = dt.timedelta(days=5)  # failing without one success this long: disabled
PREVIOUS_SECRET_VALID = dt.timedelta(hours=24)  # after a rotation, both secrets sign


class Answer(StrEnum):
    SUCCEEDED = "succeeded"
    GONE = "gone"  # 410: the receiver asks never to be sent to again
    FAILED = "failed"  # anything else: tried again on the schedule


def answer_of(status: int | None) -> Answer:
    """`None`: no answer at all (refused, timed out, address no longer allowed)."""
    if status is not None and 200 <= status < 300:
        return Answer.SUCCEEDED
    return Answer.GONE if status == 410 else Answer.FAILED


def next_attempt(
    attempts_made: int, now: dt.datetime, retry_after: dt.timedelta | None = None
) -> dt.datetime | None:
    """When to try again after `attempts_made` failed attempts; None once all were made.
    A `Retry-After` (429, 503) is honoured: never sooner than the receiver asked."""
    if attempts_made >= len(SCHEDULE):
        return None
    wait = SCHEDULE[attempts_made]
    if retry_after is not None:
        wait = max(wait, min(retry_after, max(SCHEDULE)))
    return now + wait


def retry_after(status: int | None, header: str | None, now: dt.datetime) -> dt.timedelta | None:
    """`Retry-After` of a 429 or 503, in seconds or as an HTTP date; None if absent or bad."""
    if status not in (429, 503) or not header:
        return None
    if header.strip().isdigit():
        return dt.timedelta(seconds=int(header.strip()))
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(dt.timedelta(0), moment - now)


def endpoint_errors(url: str, event_types: Iterable[str]) -> list[FieldError]:
    """What is wrong with the endpoint as given, before its address is resolved."""
    errors: list[FieldError] = []
    if len(url) > MAX_URL:
        errors.append(FieldError(field="url", message=f"is longer than {MAX_URL} characters"))
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        errors.append(FieldError(field="url", message="must be an https:// address"))
    unknown = sorted(set(event_types) - set(EVENT_TYPES) - FEED_TYPES)
    if unknown or not list(event_types):
        known = ", ".join(EVENT_TYPES) + ", or a family event type as familyEvents takes it"
        what = f"unknown: {', '.join(unknown)}" if unknown else "none given"
        errors.append(FieldError(field="event_types", message=f"{what}; known: {known}"))
    return errors


def address_errors(url: str, addresses: Iterable[str], *, allow_private: bool) -> list[FieldError]:
    """Where the host resolves to. Only a public address is allowed, over https. With
    `allow_private` (development and tests), a loopback or private address is allowed too,
    and over plain http, which a receiver on one's own machine needs."""
    resolved = [ipaddress.ip_address(a.split("%")[0]) for a in addresses]
    if not resolved:
        return [FieldError(field="url", message="its host does not resolve")]
    private = [a for a in resolved if not a.is_global]
    if private and not allow_private:
        return [
            FieldError(
                field="url",
                message=f"resolves to a loopback, private or link-local address ({private[0]})",
            )
        ]
    if urlsplit(url).scheme != "https" and not (allow_private and len(private) == len(resolved)):
        return [FieldError(field="url", message="must be an https:// address")]
    return []
