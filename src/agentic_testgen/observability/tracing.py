"""Tracing with the OpenTelemetry SDK: spans kept for the local store, and OTLP when configured.

Every process (the CLI, each suite worker) configures tracing once. Finished spans are held by
a `SpanCollector` until the code that owns them drains them: a worker sends its entry's spans
back with the entry's outcome, and the suite runner stores them with the suite, so `atg trace
show` needs no other server. Tracing never opens the store: whoever keeps spans passes them to
its own. When the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, spans also go out over OTLP
(`OTEL_EXPORTER_OTLP_PROTOCOL`: `grpc`, the default, or `http/protobuf`).

The provider is ours, not the global one, so configuring it twice (tests, a library user with
their own provider) never fights over `trace.set_tracer_provider`. `ATG_TRACING=0` turns it off.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Span, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from agentic_testgen import __version__
from agentic_testgen.signals.spans import SpanRecord

TRACER_NAME = "agentic_testgen"
OTLP_TIMEOUT_S = 2.0  # per export, when the environment sets none (the SDK's default is 10 s)
_EXPORTER_LOGGERS = (
    "opentelemetry.exporter.otlp.proto.grpc.exporter",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
)
_log = logging.getLogger("agentic_testgen.tracing")
CAPTURE_CONTENT_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
_PROPAGATOR = TraceContextTextMapPropagator()


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


class _Tracing:
    """This process's tracing: a provider and its collector, or nothing (turned off)."""

    def __init__(self) -> None:
        self.provider: TracerProvider | None = None
        self.collector = SpanCollector()
        self.configured = False


_state = _Tracing()
_state_lock = threading.Lock()


def tracing_enabled() -> bool:
    return os.environ.get("ATG_TRACING", "1").strip().lower() not in ("0", "false", "no", "off")


def configure_tracing() -> SpanCollector | None:
    """Set up tracing for this process once; the collector, or None when tracing is off."""
    with _state_lock:
        if not _state.configured:
            _state.configured = True
            if tracing_enabled():
                _state.provider = _provider(_state.collector)
        return _state.collector if _state.provider else None


def _provider(collector: SpanCollector) -> TracerProvider:
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
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
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


def tracer() -> Tracer:
    """The tracer of this process (a no-op tracer until tracing is configured, or when off)."""
    if _state.provider is None:
        return trace.NoOpTracer()
    return _state.provider.get_tracer(TRACER_NAME, __version__)


def flush() -> None:
    """Push out spans still batched for OTLP (a worker calls it after each entry)."""
    if _state.provider is not None:
        _state.provider.force_flush()


def capture_content() -> bool:
    """Prompts and responses go into spans only when the user opts in (the GenAI convention)."""
    return os.environ.get(CAPTURE_CONTENT_ENV, "").strip().lower() in ("1", "true", "yes")


def trace_id_of(current: Span) -> str:
    """The hex trace id of a span (as stored)."""
    return f"{current.get_span_context().trace_id:032x}"


def inject() -> dict[str, str]:
    """The current span's context as W3C `traceparent` headers, to hand to another process."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def extract(carrier: Mapping[str, str]) -> Context:
    return _PROPAGATOR.extract(dict(carrier))


@contextmanager
def span(
    name: str,
    attributes: Mapping[str, Any] | None = None,
    *,
    context: Context | None = None,
    kind: trace.SpanKind = trace.SpanKind.INTERNAL,
) -> Iterator[Span]:
    """A span around a block; an exception marks it as an error (`error.type`) and goes on."""
    with tracer().start_as_current_span(
        name,
        context=context,
        kind=kind,
        attributes=dict(attributes or {}),
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except BaseException as error:
            current.set_attribute("error.type", type(error).__qualname__)
            current.set_status(Status(StatusCode.ERROR, str(error)[:200]))
            raise


def record_evaluation(name: str, value: float, label: str | None = None) -> None:
    """A `gen_ai.evaluation.result` event on the current span (GenAI semantic conventions)."""
    attributes: dict[str, Any] = {
        "gen_ai.evaluation.name": name,
        "gen_ai.evaluation.score.value": value,
    }
    if label is not None:
        attributes["gen_ai.evaluation.score.label"] = label
    trace.get_current_span().add_event("gen_ai.evaluation.result", attributes)


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
