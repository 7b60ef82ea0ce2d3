"""The documents a family carries on the journey, and how long each takes to be ready.

Everyone carries the appointment letter (issued with the booking). People in MPP are not
Mexican nationals, so crossing from one Mexican state to another needs a transit permit from
Mexico's migration institute (an "oficio de salida"); IOM requests it when the family is
booked, and it is ready some hours later. A departure sooner than that cannot be booked.
"""

from __future__ import annotations

import datetime as dt

from puente_transport.routes import Route

APPOINTMENT_LETTER = "appointment letter"
TRANSIT_PERMIT = "Mexican transit permit (oficio de salida)"
CONVOY_PASS = "escorted convoy boarding pass"

READY_AFTER: dict[str, dt.timedelta] = {
    APPOINTMENT_LETTER: dt.timedelta(0),
    CONVOY_PASS: dt.timedelta(0),
    TRANSIT_PERMIT: dt.timedelta(hours=12),
}


def travel_documents(route: Route) -> tuple[str, ...]:
    documents = [APPOINTMENT_LETTER]
    if route.crosses_states:
        documents.append(TRANSIT_PERMIT)
    if route.escorted_convoy:
        documents.append(CONVOY_PASS)
    return tuple(documents)


def slowest(documents: tuple[str, ...]) -> tuple[str, dt.timedelta]:
    """The document that takes longest to be ready, and how long it takes."""
    return max(((d, READY_AFTER[d]) for d in documents), key=lambda pair: pair[1])
