"""Observability: metric definitions and rollups (here), the Prometheus collector and exporter,
tracing, structured logs and the live monitor (in their modules)."""

from agentic_testgen.observability.definitions import METRICS, MetricDefinition, definition

__all__ = ["METRICS", "MetricDefinition", "definition"]
