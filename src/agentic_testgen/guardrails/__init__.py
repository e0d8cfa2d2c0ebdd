"""Guardrails: secrets, personal data, prompt injection and test policy, behind one protocol
(`Guardrail.find` -> findings; `check` -> a verdict with the redacted text), applied by the
orchestrator to what goes to a model and what comes back, and to logs, prompts and spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports
from agentic_testgen.guardrails._protocol import (
    NAMES,
    Direction,
    Finding,
    Guardrail,
    Verdict,
    redact,
)

if TYPE_CHECKING:
    from agentic_testgen.guardrails._registry import check, find, guardrails
    from agentic_testgen.guardrails.injection import new_canary

# Imported on first use: the detectors (detect-secrets, phonenumbers, the injection rules) take
# a while to load, and `atg guard scan --help` or a run with nothing to scrub never needs them.
_REGISTRY = "agentic_testgen.guardrails._registry"
_LAZY = {
    "check": _REGISTRY,
    "find": _REGISTRY,
    "guardrails": _REGISTRY,
    "new_canary": "agentic_testgen.guardrails.injection",
}


def scrub(text: str) -> str:
    """`text` with every secret and piece of personal data replaced by `[REDACTED:<kind>]`.

    Modules that may scrub (the adapters, logs, model clients) import this at no cost; the
    detectors load on the first call."""
    from agentic_testgen.guardrails._registry import scrub as scrub_text  # noqa: PLC0415

    return scrub_text(text)


__getattr__ = lazy_exports(__name__, _LAZY)


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
