"""OpenTelemetry: one tracer provider per service, W3C trace context in message headers.

Spans carry ids only (event id, type, family-unit id): never a name, A-number or birth date.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Collection, Sequence
from pathlib import Path

from opentelemetry import context as otel_context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from puente_runtime.settings import Settings

_propagator = TraceContextTextMapPropagator()


class JsonLinesExporter(SpanExporter):
    """Writes each finished span as one JSON line; lets tests read traces of many processes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        for span in spans:
            context = span.get_span_context()
            assert context is not None
            record = {
                "trace_id": format(context.trace_id, "032x"),
                "span_id": format(context.span_id, "016x"),
                "parent_id": format(span.parent.span_id, "016x") if span.parent else None,
                "name": span.name,
                "service": span.resource.attributes.get("service.name"),
                "start_ns": span.start_time,
                "end_ns": span.end_time,
                "attributes": dict(span.attributes or {}),
            }
            self._file.write(json.dumps(record) + "\n")
        self._file.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self._file.close()


class RecentSpans(SpanExporter):
    """The last `limit` finished spans of every service in this process (the embedded run's
    span store: the gateway's `flow` draws a family's trace from it, without a collector)."""

    def __init__(self, limit: int = 20_000) -> None:
        self._spans: deque[ReadableSpan] = deque(maxlen=limit)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self._spans.extend(spans)
        return SpanExportResult.SUCCESS

    def of_traces(self, trace_ids: Collection[str]) -> list[ReadableSpan]:
        """The spans kept of these traces (hex trace ids), oldest first."""
        wanted = {int(trace_id, 16) for trace_id in trace_ids}
        return [span for span in list(self._spans) if _trace_of(span) in wanted]


def _trace_of(span: ReadableSpan) -> int | None:
    context = span.get_span_context()
    return context.trace_id if context else None


recent = RecentSpans()


def trace_id_of(headers: dict[str, str]) -> str | None:
    """The trace id a message's `traceparent` names, as 32 hex digits, if it has one."""
    parts = headers.get("traceparent", "").split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else None


def make_tracer(service: str, settings: Settings) -> Tracer:
    provider = TracerProvider(resource=Resource.create({"service.name": f"puente-{service}"}))
    if settings.otel_exporter == "file":
        path = settings.var_dir / "traces" / f"{service}.jsonl"
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesExporter(path)))
    elif settings.otel_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otel_endpoint)
        provider.add_span_processor(BatchSpanProcessor(exporter))
    elif settings.otel_exporter == "memory":
        provider.add_span_processor(SimpleSpanProcessor(recent))
    elif settings.otel_exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    return provider.get_tracer("puente")


def inject_current() -> dict[str, str]:
    """The current span's W3C headers (`traceparent`, maybe `tracestate`)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


def extract(headers: dict[str, str]) -> otel_context.Context:
    return _propagator.extract(headers)
