"""Finished spans as plain values: what tracing hands out and the span store keeps.

Tracing knows nothing of the store: the code that keeps spans (the suite runner) drains them
from the collector and passes them to its `ResultStore`; `atg trace show` reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpanRecord:
    """A finished span as stored: ids in hex, times in nanoseconds since the epoch."""

    span_id: str
    trace_id: str
    parent_id: str | None
    name: str
    kind: str
    start_ns: int
    end_ns: int
    status: str
    attributes: dict[str, Any] = field(default_factory=dict)
    events: tuple[dict[str, Any], ...] = ()
