"""Guardrails: scrubbers for secrets and personal data, applied to what goes to a coder and what
comes back (and to logs, prompts and span attributes)."""

from agentic_testgen.guardrails._check import Verdict, check
from agentic_testgen.guardrails._scrub import Finding, find, scrub

__all__ = ["Finding", "Verdict", "check", "find", "scrub"]
