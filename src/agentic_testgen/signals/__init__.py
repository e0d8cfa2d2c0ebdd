"""What atg records about itself, as plain data: the metric catalogue (`definitions`), the counter
increments each stored record adds (`rollups`), and finished spans (`spans`).

A leaf of the package graph: the store writes these, the exporter, tracing and reports read them,
and nothing here imports either side.
"""

from agentic_testgen.signals.definitions import METRICS, MetricDefinition, definition

__all__ = ["METRICS", "MetricDefinition", "definition"]
