"""Observability: the Prometheus collector and exporter, tracing, structured logs, SLOs and the
live monitor, each in its module. What they report on is in `agentic_testgen.signals` (the metric
catalogue, the counters each stored record adds, span records), which the store also uses: the
store never imports this package."""
