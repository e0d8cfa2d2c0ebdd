"""The one face of every guardrail: text (or code) in, findings and a redacted text out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Direction = Literal["input", "output"]  # to a model / from a model (generated tests)
Category = Literal["secret", "pii", "injection", "policy"]
Severity = Literal["low", "medium", "high", "critical"]
# the guardrails, by the names the registry (`guardrails(names)`) and `atg guard scan --only` know
NAMES = ("secrets", "pii", "injection", "policy")


@dataclass(frozen=True)
class Finding:
    """One thing a guardrail found: its category, its kind within it (`stripe_key`, `email`,
    `override`, `network`...), where it is in the text, and how bad it is."""

    category: Category
    kind: str
    start: int
    end: int
    severity: Severity
    detail: str = ""

    def line(self, text: str) -> int:
        """The 1-based line of `text` the finding starts on."""
        return text.count("\n", 0, self.start) + 1


@dataclass(frozen=True)
class Verdict:
    """One check of one text: what was found, the text with it redacted, and whether the text
    may be used at all."""

    direction: Direction
    findings: tuple[Finding, ...]
    redacted: str
    allowed: bool
    checked: tuple[str, ...] = ()  # the guardrails that ran (`secrets`, `pii`...)

    def records(self) -> list[dict[str, object]]:
        """One record per guardrail that ran, as results store them and metrics count them."""
        out: list[dict[str, object]] = []
        for name in self.checked:
            found = [f for f in self.findings if GUARDRAIL_OF[f.category] == name]
            out.append({
                "type": name,
                "findings": len(found),
                "severity": _worst(found) if found else DEFAULT_SEVERITY[name],
                "blocked": bool(found) and not self.allowed,
            })  # fmt: skip
        return out


class Guardrail(Protocol):
    """A guardrail: a name, the category of what it finds, and whether a finding in a model's
    output (generated tests) blocks that output."""

    name: str
    category: Category
    blocks_output: bool

    def find(self, text: str, *, path: str = "") -> list[Finding]:
        """Every finding in `text` (`path`, when given, says what kind of file it comes from)."""
        ...


GUARDRAIL_OF: dict[str, str] = {
    "secret": "secrets",
    "pii": "pii",
    "injection": "injection",
    "policy": "policy",
}
DEFAULT_SEVERITY = {"secrets": "high", "pii": "medium", "injection": "high", "policy": "high"}
_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def _worst(findings: Sequence[Finding]) -> str:
    return max((f.severity for f in findings), key=_RANK.__getitem__)


def without_overlaps(findings: Sequence[Finding]) -> list[Finding]:
    """The findings in text order, the first (in the given order) winning where two overlap."""
    taken: list[Finding] = []
    for finding in findings:
        if not any(finding.start < t.end and t.start < finding.end for t in taken):
            taken.append(finding)
    return sorted(taken, key=lambda finding: finding.start)


def redact(text: str, findings: Sequence[Finding]) -> str:
    """`text` with each finding replaced by `[REDACTED:<kind>]`."""
    return "".join(_pieces(text, without_overlaps(findings)))


def _pieces(text: str, findings: Sequence[Finding]) -> Iterator[str]:
    position = 0
    for finding in findings:
        yield text[position : finding.start]
        yield f"[REDACTED:{finding.kind}]"
        position = finding.end
    yield text[position:]
