"""A family's flow across the services (issue 11, item 3): each event with the service that
produced it, its cause, when it occurred, when its producer's relay published it, when each
consumer the gateway knows of applied it, the lag of each hop, and its trace.

A consumer's application is known to the gateway when the gateway applied it itself, when
the consumer published an event it caused (that event's time is when its handler ran), or
from the consumer's span (its `puente.applied_at`) while this process keeps it: the embedded
run's span store. All of those times are the platform's clock; the spans' own start and
duration are real time. In the distributed run spans go to the collector and `spans` is
empty. Nothing personal: ids, types, services and times only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import strawberry
from opentelemetry.sdk.trace import ReadableSpan
from puente_runtime.consumer import APPLIED_AT
from puente_runtime.tracing import recent
from puente_schemas.events import short_type
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import projection
from puente_gateway.access import Principal, RecordAccess, may_see_event
from puente_gateway.api.families import require_follow
from puente_gateway.api.permissions import engine, principal
from puente_gateway.tables import TimelineEntry

__all__ = ["Flow", "FlowEvent", "FlowSpan", "Hop", "flow"]

MAX_SPANS = 1000


@strawberry.type(description="One consumer applying an event, and how long after publication.")
class Hop:
    consumer: str = strawberry.field(description="The service that applied it")
    applied_at: dt.datetime
    lag_seconds: float = strawberry.field(
        description="From publication (or, if unknown, occurrence) to application"
    )


@strawberry.type(description="One event of the family's flow.")
class FlowEvent:
    event_id: strawberry.ID
    type: str
    service: str | None = strawberry.field(description="The service that produced it")
    cause_id: strawberry.ID | None = strawberry.field(
        description="The event or command that caused it"
    )
    cause_type: str | None = strawberry.field(description="The cause's type, when an event")
    occurred_at: dt.datetime
    published_at: dt.datetime | None = strawberry.field(
        description="When its producer's relay published it"
    )
    publish_lag_seconds: float | None
    trace_id: str | None
    hops: list[Hop]


@strawberry.type(description="One span of the family's traces, as this process keeps it.")
class FlowSpan:
    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    service: str
    start: dt.datetime
    duration_ms: float


@strawberry.type
class Flow:
    family_unit_id: strawberry.ID
    trace_id: str | None = strawberry.field(description="The trace of its first event")
    events: list[FlowEvent]
    spans: list[FlowSpan] = strawberry.field(
        description="Recent spans of its traces (embedded run); empty where they go by OTLP"
    )


def _seconds(later: dt.datetime, earlier: dt.datetime) -> float:
    return round((later - earlier).total_seconds(), 6)


def _applied(spans: list[ReadableSpan]) -> dict[str, dict[str, dt.datetime]]:
    """Per event id, when each service's consumer applied it, as its spans record."""
    found: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    for span in spans:
        attributes = span.attributes or {}
        event_id, at = attributes.get("messaging.message.id"), attributes.get(APPLIED_AT)
        if event_id is not None and at is not None:
            found[str(event_id)][_service(span)] = dt.datetime.fromisoformat(str(at))
    return found


def _hops(
    row: TimelineEntry, effects: list[TimelineEntry], spans: dict[str, dt.datetime]
) -> list[Hop]:
    since = row.published_at or row.occurred_at
    applied = {effect.source or "?": effect.occurred_at for effect in effects} | spans
    if row.applied_at is not None:
        applied["gateway"] = row.applied_at
    return [
        Hop(consumer=consumer, applied_at=at, lag_seconds=_seconds(at, since))
        for consumer, at in sorted(applied.items(), key=lambda item: item[1])
    ]


def _event(
    row: TimelineEntry,
    types: dict[str, str],
    effects: list[TimelineEntry],
    spans: dict[str, dt.datetime],
) -> FlowEvent:
    published = row.published_at
    return FlowEvent(
        event_id=strawberry.ID(row.event_id),
        type=row.type,
        service=row.source,
        cause_id=strawberry.ID(row.causation_id) if row.causation_id else None,
        cause_type=types.get(row.causation_id or ""),
        occurred_at=row.occurred_at,
        published_at=published,
        publish_lag_seconds=_seconds(published, row.occurred_at) if published else None,
        trace_id=row.trace_id,
        hops=_hops(row, effects, spans),
    )


def _visible(
    span: ReadableSpan, family_unit_id: str, caller: Principal, access: RecordAccess | None
) -> bool:
    """Left out: a span about another subject in the same trace (a shelter's notice), and
    one about an event the caller may not see (a legal step, for a shelter)."""
    attributes = span.attributes or {}
    subject, event_type = (
        attributes.get("puente.family_unit_id"),
        attributes.get("puente.event_type"),
    )
    if subject is not None and subject != family_unit_id:
        return False
    return event_type is None or may_see_event(caller, access, short_type(str(event_type)))


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes.get("service.name", "?")).removeprefix("puente-")


def _span(span: ReadableSpan) -> FlowSpan:
    context = span.get_span_context()
    assert context is not None and span.start_time is not None and span.end_time is not None
    service = _service(span)
    return FlowSpan(
        trace_id=format(context.trace_id, "032x"),
        span_id=format(context.span_id, "016x"),
        parent_id=format(span.parent.span_id, "016x") if span.parent else None,
        name=span.name,
        service=service,
        start=dt.datetime.fromtimestamp(span.start_time / 1e9, dt.UTC),
        duration_ms=(span.end_time - span.start_time) / 1e6,
    )


def flow(info: Info, family_unit_id: strawberry.ID) -> Flow | None:
    """A family the caller follows (refused and audited otherwise, like familyUnit), with the
    events it may see."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        if projection.family(session, family_unit_id) is None:
            return None
        access = require_follow(info, family_unit_id)
        rows = [
            row
            for row in projection.timeline(session, family_unit_id)
            if may_see_event(caller, access, row.type)
        ]
    types = {row.event_id: row.type for row in rows}
    effects: dict[str, list[TimelineEntry]] = defaultdict(list)
    for row in rows:
        effects[row.causation_id or ""].append(row)
    traces = [row.trace_id for row in rows if row.trace_id]
    kept = recent.of_traces(set(traces))
    spans = [s for s in kept if _visible(s, family_unit_id, caller, access)]
    applied = _applied(spans)
    return Flow(
        family_unit_id=family_unit_id,
        trace_id=traces[0] if traces else None,
        events=[_event(row, types, effects[row.event_id], applied[row.event_id]) for row in rows],
        spans=[_span(s) for s in sorted(spans, key=lambda s: s.start_time or 0)[:MAX_SPANS]],
    )
