"""The OpenTelemetry SDK side of tracing: the provider, the collector of finished spans and the
OTLP exporters.

Imported only when a process records spans (`tracing.configure_tracing`): a command whose spans
have nowhere to go starts without the SDK, its resource detection and its exporters.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

from agentic_testgen import __version__
from agentic_testgen.observability.tracing import otlp_endpoint
from agentic_testgen.signals.spans import SpanRecord

OTLP_TIMEOUT_S = 2.0  # per export, when the environment sets none (the SDK's default is 10 s)
_EXPORTER_LOGGERS = (
    "opentelemetry.exporter.otlp.proto.grpc.exporter",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
)
_log = logging.getLogger("agentic_testgen.tracing")


class SpanCollector(SpanExporter):
    """Holds finished spans, converted to `SpanRecord`s, until drained.

    Bounded: a process that makes spans nobody drains (a library caller evaluating in a loop)
    keeps only the newest `max_spans`.
    """

    def __init__(self, max_spans: int = 50_000) -> None:
        self._spans: deque[SpanRecord] = deque(maxlen=max_spans)
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        records = [_record(span) for span in spans]
        with self._lock:
            self._spans.extend(records)
        return SpanExportResult.SUCCESS

    def drain(self, trace_id: str | None = None) -> list[SpanRecord]:
        """Take the spans held (of one trace only, when given; the others stay)."""
        with self._lock:
            taken = [s for s in self._spans if trace_id is None or s.trace_id == trace_id]
            kept = [s for s in self._spans if trace_id is not None and s.trace_id != trace_id]
            self._spans.clear()
            self._spans.extend(kept)
        return taken

    def shutdown(self) -> None:
        self.drain()


def build_provider(collector: SpanCollector) -> TracerProvider:
    resource = Resource.create({"service.name": "agentic-testgen", "service.version": __version__})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(SimpleSpanProcessor(collector))
    exporter = _otlp_exporter()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _otlp_exporter() -> SpanExporter | None:
    """The OTLP exporter the standard OTEL_* variables ask for, if any (endpoint, headers and
    timeout from the environment; without OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT, a short one)."""
    endpoint = otlp_endpoint()
    if not endpoint:
        return None
    protocol = os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    )
    timed = any(
        os.environ.get(name)
        for name in ("OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")
    )
    timeout = None if timed else OTLP_TIMEOUT_S
    # their own retry lines would repeat what the one warning says
    for name in _EXPORTER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if protocol.startswith("http"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter as HTTPExporter,
        )

        return _GivesUp(HTTPExporter(timeout=timeout), endpoint)
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter as GRPCExporter,
    )

    return _GivesUp(GRPCExporter(timeout=timeout), endpoint)


class _GivesUp(SpanExporter):
    """An OTLP exporter that stops at its first failure, with one warning line: a collector
    that is down must not add its retries to every command (spans stay in the local store)."""

    def __init__(self, inner: SpanExporter, endpoint: str) -> None:
        self._inner = inner
        self._endpoint = endpoint
        self._failed = False

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self._failed:
            return SpanExportResult.FAILURE
        try:
            result = self._inner.export(spans)
        except Exception:  # any failure of the exporter means the same here
            result = SpanExportResult.FAILURE
        if result is not SpanExportResult.SUCCESS:
            self._failed = True
            _log.warning(
                "OTLP collector at %s did not take the spans; no more are sent by this process "
                "(they stay in the local store: atg trace show)",
                self._endpoint,
            )
        return result

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True if self._failed else self._inner.force_flush(timeout_millis)

    def shutdown(self) -> None:
        self._inner.shutdown()


def _record(span: ReadableSpan) -> SpanRecord:
    context = span.get_span_context()
    assert context is not None  # a finished SDK span always has one
    parent = span.parent
    return SpanRecord(
        span_id=f"{context.span_id:016x}",
        trace_id=f"{context.trace_id:032x}",
        parent_id=f"{parent.span_id:016x}" if parent is not None else None,
        name=span.name,
        kind=span.kind.name.lower(),
        start_ns=span.start_time or 0,
        end_ns=span.end_time or 0,
        status=span.status.status_code.name.lower(),
        attributes=_plain(span.attributes),
        events=tuple(
            {"name": event.name, "time_ns": event.timestamp, "attributes": _plain(event.attributes)}
            for event in span.events
        ),
    )


def _plain(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """Attribute values as JSON-ready values (the SDK keeps sequences as tuples)."""
    plain: dict[str, Any] = {}
    for key, value in (attributes or {}).items():
        plain[key] = list(value) if isinstance(value, tuple) else value
    return plain
