"""Guardrails: secrets, personal data, prompt injection and test policy, behind one protocol
(`Guardrail.find` -> findings; `check` -> a verdict with the redacted text), applied by the
orchestrator to what goes to a model and what comes back, and to logs, prompts and spans."""

from agentic_testgen.guardrails._protocol import Direction, Finding, Guardrail, Verdict, redact
from agentic_testgen.guardrails._registry import NAMES, check, find, guardrails, scrub
from agentic_testgen.guardrails.injection import new_canary

__all__ = [
    "NAMES",
    "Direction",
    "Finding",
    "Guardrail",
    "Verdict",
    "check",
    "find",
    "guardrails",
    "new_canary",
    "redact",
    "scrub",
]
