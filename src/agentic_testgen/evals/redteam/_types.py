"""What an attack is, what it runs with, and what it found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from agentic_testgen.sandbox import Sandbox

StoppedBy = Literal["guardrail", "critic", "sandbox", "input_check", ""]
ATTACK_CLASSES = (
    "prompt_injection",
    "command_injection",
    "sql_injection",
    "path_traversal",
    "harness_tampering",
)


@dataclass(frozen=True)
class AttackOutcome:
    """One attack's verdict.

    Attributes:
        stopped: the attack was blocked or contained and the host is verifiably untouched.
        stopped_by: the layer that stopped it (`guardrail`, `critic`, `sandbox`,
            `input_check`), or "" when it was not stopped.
        evidence: what was observed, in a few plain words.
    """

    name: str
    attack_class: str
    stopped: bool
    stopped_by: StoppedBy
    evidence: str


@dataclass(frozen=True)
class Verdict:
    """What an attack's probe concluded (the attack adds its name and class)."""

    stopped: bool
    stopped_by: StoppedBy
    evidence: str

    @classmethod
    def reached(cls, problems: list[str], *, despite: str = "") -> Verdict:
        """Not stopped: what reached the host (and which layer let it through, if said)."""
        prefix = f"{despite}; " if despite else ""
        return cls(False, "", prefix + "; ".join(problems))


@dataclass(frozen=True)
class Arena:
    """What one attack runs with.

    Attributes:
        sandbox: the sandbox every run of test code goes through.
        root: the attack's own temporary directory on the host, outside every sandbox
            workspace; removed after the attack.
        token: digits naming this attack's leftovers (processes, stray files).
    """

    sandbox: Sandbox
    root: Path
    token: str


@dataclass(frozen=True)
class Attack:
    """One attack of the catalogue: `run` attacks the real components and checks the host."""

    name: str
    attack_class: str
    description: str
    probe: Callable[[Arena], Verdict]
    time_bound_s: float = 240.0

    def run(self, arena: Arena) -> AttackOutcome:
        verdict = self.probe(arena)
        return AttackOutcome(
            self.name, self.attack_class, verdict.stopped, verdict.stopped_by, verdict.evidence
        )
