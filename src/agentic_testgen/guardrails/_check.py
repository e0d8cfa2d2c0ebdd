"""Guardrail checks on what goes to a coder and what comes back: the scrubbers as a verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agentic_testgen.guardrails._scrub import Finding, find, scrub

Direction = Literal["input", "output"]
SEVERITY = {"secret": "high", "pii": "medium"}


@dataclass(frozen=True)
class Verdict:
    """One check of one text: what was found, the text with it redacted, and whether the text
    may be used at all (test code that carries a credential is refused)."""

    direction: Direction
    findings: tuple[Finding, ...]
    redacted: str
    allowed: bool

    def records(self) -> list[dict[str, object]]:
        """One record per guardrail type (secrets, pii), as metrics and results store them."""
        out: list[dict[str, object]] = []
        for kind, name in (("secret", "secrets"), ("pii", "pii")):
            found = sum(1 for finding in self.findings if finding.kind == kind)
            out.append({
                "type": name,
                "findings": found,
                "severity": SEVERITY[kind],
                "blocked": bool(found) and not self.allowed,
            })  # fmt: skip
        return out


def check(text: str, direction: Direction) -> Verdict:
    """Scan `text`. Inputs are redacted and used; outputs with a secret are blocked."""
    findings = tuple(find(text))
    blocked = direction == "output" and any(f.kind == "secret" for f in findings)
    return Verdict(direction, findings, scrub(text) if findings else text, not blocked)
