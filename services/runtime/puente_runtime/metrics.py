"""Metrics through the OpenTelemetry metrics SDK, read as Prometheus text at `/metrics`.

One meter provider per process: the embedded platform's services share it, each figure
labelled with its service. Labels name services, consumer groups, topics and GraphQL
operations (a schema's field names), never anything about a person.

`operations()` sums the same figures per service (lag, dead letters, parked, outbox backlog),
from this process's registry or from the Prometheus text of another process's `/metrics`.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

__all__ = [
    "CONTENT_TYPE",
    "Figures",
    "Watched",
    "dead_lettered",
    "exposition",
    "failed",
    "forget",
    "graphql_duration",
    "graphql_requests",
    "handled",
    "handler_duration",
    "live_subscriptions",
    "operations",
    "parse",
    "watch",
]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Watched(Protocol):
    """A service whose state the gauges read when scraped."""

    name: str

    def outbox_backlog(self) -> int: ...

    def parked(self) -> dict[tuple[str, str], int]:
        """Messages parked now, by (consumer group, topic)."""

    def lag(self) -> dict[tuple[str, str], int]:
        """Messages not yet applied, by (consumer group, topic), as last measured."""


_watched: weakref.WeakSet[Watched] = weakref.WeakSet()


def watch(service: Watched) -> None:
    _watched.add(service)


def forget(service: Watched) -> None:
    _watched.discard(service)


def _backlog(options: CallbackOptions) -> Iterator[Observation]:
    for service in list(_watched):
        yield Observation(service.outbox_backlog(), {"service": service.name})


def _by_consumer(figures: str) -> object:
    def observe(options: CallbackOptions) -> Iterator[Observation]:
        for service in list(_watched):
            for (consumer, topic), value in getattr(service, figures)().items():
                labels = {"service": service.name, "consumer": consumer, "topic": topic}
                yield Observation(value, labels)

    return observe


registry = CollectorRegistry(auto_describe=True)
_provider = MeterProvider(
    metric_readers=[
        PrometheusMetricReader(
            disable_target_info=True, scope_info_enabled=False, registry=registry
        )
    ],
    resource=Resource.create({"service.name": "puente"}),
)
_meter = _provider.get_meter("puente")

handled = _meter.create_counter(
    "puente_messages_handled", description="Messages applied, by service, consumer and topic"
)
failed = _meter.create_counter(
    "puente_messages_failed", description="Handler attempts that raised (each retry counts)"
)
dead_lettered = _meter.create_counter(
    "puente_messages_dead_lettered", description="Messages sent to the dead-letter topic"
)
handler_duration = _meter.create_histogram(
    "puente_handler_duration", unit="s", description="Time to apply one message"
)
_meter.create_observable_gauge(
    "puente_messages_parked",
    callbacks=[_by_consumer("parked")],  # type: ignore[list-item]
    description="Messages parked now, waiting for their cause",
)
_meter.create_observable_gauge(
    "puente_consumer_lag",
    callbacks=[_by_consumer("lag")],  # type: ignore[list-item]
    description="Messages published and not yet applied by the consumer group",
)
_meter.create_observable_gauge(
    "puente_outbox_backlog",
    callbacks=[_backlog],
    description="Outbox rows stored and not yet published",
)
graphql_requests = _meter.create_counter(
    "puente_graphql_requests", description="GraphQL operations, by their root fields"
)
graphql_duration = _meter.create_histogram(
    "puente_graphql_duration", unit="s", description="Time to execute a GraphQL operation"
)
live_subscriptions = _meter.create_up_down_counter(
    "puente_live_subscriptions", description="GraphQL subscriptions open now"
)


def exposition() -> bytes:
    """This process's figures in the Prometheus text format."""
    return generate_latest(registry)


def parse(text: str) -> list[Metric]:
    """Another process's `/metrics` answer, as metric families."""
    return list(text_string_to_metric_families(text))


@dataclass(frozen=True)
class Figures:
    service: str
    lag: int
    dead_letters: int
    parked: int
    outbox_backlog: int


_SUMMED = {
    "puente_consumer_lag": "lag",
    "puente_messages_dead_lettered_total": "dead_letters",
    "puente_messages_parked": "parked",
    "puente_outbox_backlog": "outbox_backlog",
}


def operations(families: Iterable[Metric] | None = None) -> list[Figures]:
    """Per service, the sums of its lag, dead letters, parked messages and outbox backlog,
    read from `families` (this process's registry by default)."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(_SUMMED.values(), 0))
    for family in registry.collect() if families is None else families:
        for sample in family.samples:
            figure = _SUMMED.get(sample.name)
            service = sample.labels.get("service")
            if figure and service:
                totals[service][figure] += sample.value
    return [
        Figures(service=name, **{k: int(v) for k, v in figures.items()})
        for name, figures in sorted(totals.items())
    ]
