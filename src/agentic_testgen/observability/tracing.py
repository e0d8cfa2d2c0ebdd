"""Tracing with the OpenTelemetry SDK: spans kept for the local store, and OTLP when configured.

Every process (the CLI, each suite worker) configures tracing once. Finished spans are held by
a `SpanCollector` until the code that owns them drains them: a worker sends its entry's spans
back with the entry's outcome, and the suite runner stores them with the suite, so `atg trace
show` needs no other server. Tracing never opens the store: whoever keeps spans passes them to
its own. When the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, spans also go out over OTLP
(`OTEL_EXPORTER_OTLP_PROTOCOL`: `grpc`, the default, or `http/protobuf`).

Spans are recorded only where they go somewhere: a command configures OTLP export
(`configure_export`), a suite and its workers also keep them (`configure_tracing`). Until then
spans are the API's no-op spans, and the SDK (`_tracing_sdk`) is not imported, so a command
whose spans have nowhere to go starts without it.

The provider is ours, not the global one, so configuring it twice (tests, a library user with
their own provider) never fights over `trace.set_tracer_provider`. `ATG_TRACING=0` turns it off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

import agentic_testgen

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from agentic_testgen.observability._tracing_sdk import SpanCollector

TRACER_NAME = "agentic_testgen"
CAPTURE_CONTENT_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
_PROPAGATOR = TraceContextTextMapPropagator()


class _Tracing:
    """This process's tracing: a provider and its collector, or nothing (not yet, or off)."""

    def __init__(self) -> None:
        self.provider: TracerProvider | None = None
        self.collector: SpanCollector | None = None
        self.configured = False


_state = _Tracing()
_state_lock = threading.Lock()


def tracing_enabled() -> bool:
    return os.environ.get("ATG_TRACING", "1").strip().lower() not in ("0", "false", "no", "off")


def otlp_endpoint() -> str | None:
    """Where spans go over OTLP, as the standard OTEL_* variables say; None: nowhere."""
    return os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )


def configure_tracing() -> SpanCollector | None:
    """Set up tracing for this process once; the collector, or None when tracing is off."""
    with _state_lock:
        if not _state.configured:
            _state.configured = True
            if tracing_enabled():
                from agentic_testgen.observability import _tracing_sdk  # noqa: PLC0415

                _state.collector = _tracing_sdk.SpanCollector()
                _state.provider = _tracing_sdk.build_provider(_state.collector)
        return _state.collector if _state.provider else None


def configure_export() -> None:
    """Set up tracing for a command whose spans only go out over OTLP: when no OTLP endpoint is
    set, nothing (its spans stay no-op, and a later `configure_tracing` still sets it up)."""
    if tracing_enabled() and otlp_endpoint():
        configure_tracing()


def tracer() -> Tracer:
    """The tracer of this process (a no-op tracer until tracing is configured, or when off)."""
    if _state.provider is None:
        return trace.NoOpTracer()
    return _state.provider.get_tracer(TRACER_NAME, agentic_testgen.__version__)


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
