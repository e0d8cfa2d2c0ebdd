"""Guardrails: scrubbers for secrets and personal data (used on logs, prompts and spans)."""

from agentic_testgen.guardrails._scrub import Finding, find, scrub

__all__ = ["Finding", "find", "scrub"]
