"""Agent-level evaluators: is each agent of the generator good at its own job?

- `planner`: on modules with a seeded partial test file and labeled gaps, does it aim at the
  real gaps (recall), only at them (precision), the most valuable first (ordering)?
- `coder`: per coder, the share of proposals that parse, import what they use, use the test
  framework correctly, call the target and pass.
- `critic`: on seeded candidate tests labeled keep/drop with a defect kind, precision and recall
  of its decisions per kind, and what its mistakes cost.

Each runs on a labeled set shipped as package data (`agents/sets/`), alone (`atg eval agents`)
or after a suite (`atg eval run --evaluators`), and is stored as a suite of its own name with
one result per part at level `agent` (`eval_score{eval_name="critic", level="agent"}`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

EVALUATORS = ("planner", "coder", "critic")
LEVEL = "agent"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class AgentResult:
    """One stored result of an agent evaluator: the planner's or the critic's whole set, or
    one coder (`coder/crosshair`).

    Attributes:
        name: the result's eval name (`planner`, `critic`, `coder/<name>`).
        score: in [0, 1]; what the threshold holds.
        threshold: the lowest passing score.
        metrics: named values in [0, 1] (precision, recall, shares...).
        details: JSON-able evidence: counts per kind, the labeled items it got wrong.
        seconds: wall time of the measurement.
    """

    name: str
    score: float
    threshold: float
    metrics: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True)
class AgentReport:
    """One evaluator's run: its results (one, or one per coder) and notes for the reader."""

    evaluator: str
    results: tuple[AgentResult, ...]
    notes: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)


def run_agent_evaluator(
    name: str,
    *,
    coders: Sequence[str] | None = None,
    on_progress: Progress | None = None,
) -> AgentReport:
    """Run the evaluator `name` (one of `EVALUATORS`) on its shipped set."""
    if name == "planner":
        from agentic_testgen.evals.agents._planner import evaluate_planner  # noqa: PLC0415

        return evaluate_planner(on_progress=on_progress)
    if name == "coder":
        from agentic_testgen.evals.agents._coder import evaluate_coders  # noqa: PLC0415

        return evaluate_coders(coders, on_progress=on_progress)
    if name == "critic":
        from agentic_testgen.evals.agents._critic import evaluate_critic  # noqa: PLC0415

        return evaluate_critic(on_progress=on_progress)
    raise ValueError(f"unknown agent evaluator {name!r} (known: {', '.join(EVALUATORS)})")
