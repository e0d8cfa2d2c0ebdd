"""What flows between the agents: targets, candidate tests, LLM call records, the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentic_testgen.domain import RunOutcome


@dataclass(frozen=True)
class Target:
    """A function or method to test, and what of it is still uncovered."""

    qualname: str
    first_line: int
    last_line: int
    missing_lines: tuple[int, ...] = ()
    code: str = ""


@dataclass(frozen=True)
class Plan:
    """Targets in priority order (most uncovered first)."""

    targets: tuple[Target, ...]
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True)
class LLMCall:
    """One model call: who made it, with what, what it cost."""

    agent: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    latency_s: float
    status: str = "ok"


@dataclass(frozen=True)
class Candidate:
    """Test code a coder proposed, with the calls it took to get it."""

    coder: str
    code: str
    calls: tuple[LLMCall, ...] = ()
    failure: str = ""  # the tool's own reason, one line, when it failed or wrote nothing usable


@dataclass(frozen=True)
class CoderFailure:
    """A coder that failed: its name and one line of why (from the tool's output or error)."""

    coder: str
    reason: str

    def __str__(self) -> str:
        return f"{self.coder}: {self.reason}"


@dataclass(frozen=True)
class Goal:
    """Where generation may stop early: the kept tests' coverage and, when mutation testing is
    on, their mutation score (the settings' thresholds of those metrics)."""

    coverage: float = 0.90
    mutation_score: float | None = 0.80


@dataclass
class AgentStats:
    iterations: int = 0
    seconds: float = 0.0


@dataclass
class GenerationOutcome:
    """The final test file and how it was reached."""

    code: str
    kept_tests: int
    proposed_tests: int
    coverage: float
    pass_rate: float
    iterations: int
    calls: list[LLMCall] = field(default_factory=list)
    agents: dict[str, AgentStats] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    guardrails: list[dict[str, object]] = field(default_factory=list)  # one record per check
    failures: list[CoderFailure] = field(default_factory=list)  # each (coder, reason) once
    for_review: list[str] = field(default_factory=list)  # tests that may pin a crash
    dropped: dict[str, str] = field(default_factory=dict)  # test -> the critic's last reason
    # the run of `code` as written with the caller's run options (`measure_final`), else None
    final_run: RunOutcome | None = None
    measured_runs: int = 0  # test and mutant runs made
    reused_runs: int = 0  # runs of a file measured before, served again without running

    def record_failure(self, coder: str, reason: str) -> None:
        """Keep a coder's failure once, however many rounds it repeats."""
        failure = CoderFailure(coder, reason)
        if failure not in self.failures:
            self.failures.append(failure)

    @property
    def cost_usd(self) -> float:
        return sum(call.cost_usd for call in self.calls)

    @property
    def tokens(self) -> int:
        return sum(call.input_tokens + call.output_tokens for call in self.calls)


class GenerationError(RuntimeError):
    """Generation cannot proceed (no provider reachable, bad model name); one line.

    `calls` holds the model calls made before it stopped, the failed one last (status "error"),
    so what was spent is still recorded.
    """

    def __init__(self, message: str, calls: tuple[LLMCall, ...] = ()) -> None:
        super().__init__(message)
        self.calls = calls
