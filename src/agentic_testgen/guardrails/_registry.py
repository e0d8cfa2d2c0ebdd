"""The guardrails by name, and the one check the rest of the system calls."""

from __future__ import annotations

from collections.abc import Sequence

from agentic_testgen.guardrails._protocol import (
    NAMES,
    Direction,
    Finding,
    Guardrail,
    Verdict,
    redact,
)
from agentic_testgen.guardrails.injection import InjectionGuardrail
from agentic_testgen.guardrails.pii import PiiGuardrail
from agentic_testgen.guardrails.policy import PolicyGuardrail
from agentic_testgen.guardrails.secrets import SecretsGuardrail


def guardrails(
    names: Sequence[str] = NAMES, *, canary: str | None = None, injection_rules: bool = True
) -> list[Guardrail]:
    """The guardrails called `names`, in that order."""
    made: dict[str, Guardrail] = {
        "secrets": SecretsGuardrail(),
        "pii": PiiGuardrail(),
        "injection": InjectionGuardrail(canary, rules=injection_rules),
        "policy": PolicyGuardrail(),
    }
    unknown = [name for name in names if name not in made]
    if unknown:
        raise ValueError(f"unknown guardrail {unknown[0]!r} (known: {', '.join(NAMES)})")
    return [made[name] for name in names]


def check(
    text: str,
    direction: Direction,
    *,
    names: Sequence[str] | None = None,
    canary: str | None = None,
    path: str = "",
) -> Verdict:
    """Run the guardrails over `text`. What goes to a model (`input`) is redacted and used;
    what comes back (`output`, generated tests) is refused when a guardrail that blocks output
    finds something. By default inputs get secrets, PII and injection; outputs all four, and
    the injection guardrail looks in outputs only for the canary."""
    if names is None:
        names = ("secrets", "pii", "injection") if direction == "input" else NAMES
    ran = guardrails(names, canary=canary, injection_rules=direction == "input")
    findings: list[Finding] = []
    blocked = False
    for guardrail in ran:
        found = guardrail.find(text, path=path)
        findings += found
        blocked |= direction == "output" and guardrail.blocks_output and bool(found)
    ordered = tuple(sorted(findings, key=lambda finding: (finding.start, finding.category)))
    redacted = redact(text, [f for f in findings if f.category in ("secret", "pii", "injection")
                             and f.end > f.start])  # fmt: skip
    return Verdict(direction, ordered, redacted, not blocked, tuple(g.name for g in ran))


_FAST = (SecretsGuardrail(fast=True), PiiGuardrail())


def find(text: str) -> list[Finding]:
    """Secrets (by their patterns) and personal data in `text`: the fast pass for log lines,
    prompts and span attributes."""
    return [finding for guardrail in _FAST for finding in guardrail.find(text)]


def scrub(text: str) -> str:
    """`text` with every secret and piece of personal data replaced by `[REDACTED:<kind>]`."""
    found = find(text)
    return redact(text, found) if found else text
