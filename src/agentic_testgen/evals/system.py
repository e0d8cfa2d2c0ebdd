"""The evaluators run beside the test evaluations: at level `system`, safety (do the guardrails
find what they must?) and red team (are attacks stopped?); at level `agent`, the planner, the
coders and the critic (`agentic_testgen.evals.agents`). Each run is a suite of its own name
(`safety`, `red_team`, `planner`, `coder`, `critic`) with one result per category, attack class
or part, at its level, so history, trends, baselines and the exporter's
`eval_score{eval_name=..., level=...}` treat it like every eval."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agentic_testgen.evals.agents import EVALUATORS as AGENT_EVALUATORS
from agentic_testgen.evals.agents import LEVEL as AGENT_LEVEL
from agentic_testgen.evals.agents import AgentReport, run_agent_evaluator
from agentic_testgen.evals.safety import SafetyReport, evaluate_safety
from agentic_testgen.storage import ResultStore, SuiteRecord

if TYPE_CHECKING:
    from agentic_testgen.evals.redteam import RedTeamReport

SYSTEM_EVALUATORS = ("safety", "red_team")
EVALUATORS = (*SYSTEM_EVALUATORS, *AGENT_EVALUATORS)
LEVEL = "system"


def parse_evaluators(text: str) -> list[str]:
    """`safety,critic`, `all` or `none` as evaluator names; an unknown one raises ValueError."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return list(EVALUATORS)
    chosen = [name for name in names if name != "none"]
    unknown = [name for name in chosen if name not in EVALUATORS]
    if unknown:
        known = ", ".join((*EVALUATORS, "all", "none"))
        raise ValueError(f"unknown evaluator {unknown[0]!r} (known: {known})")
    return chosen


def store_agent(store: ResultStore, report: AgentReport, started_at: datetime) -> SuiteRecord:
    """One suite named after the evaluator (`critic`): a result per part (the critic's set,
    each coder) with its metrics and evidence, at level `agent`."""
    suite = store.start_suite(
        report.evaluator, dataset=f"{report.evaluator}-set", generator="atg",
        planned_entries=len(report.results),
        description=f"the {report.evaluator} on its labeled set",
    )  # fmt: skip
    for result in report.results:
        store.add_evaluation(
            suite.id, result.name, level=AGENT_LEVEL, score=result.score,
            passed=result.passed, started_at=started_at, metrics=result.metrics,
            metadata={"threshold": result.threshold, "seconds": round(result.seconds, 3),
                      **result.details},
            warnings=report.notes,
        )  # fmt: skip
    return store.finish_suite(suite.id)


def store_safety(store: ResultStore, report: SafetyReport, started_at: datetime) -> SuiteRecord:
    """One suite `safety`: a result per category with precision, recall and F1 (per kind in
    its metadata, with the ids of the samples it got wrong)."""
    suite = store.start_suite(
        "safety", dataset="guardrail-sets", generator=report.detector,
        planned_entries=len(report.results),
        description="guardrails on the labeled secret, PII and injection sets",
    )  # fmt: skip
    for result in report.results:
        counts = result.counts
        store.add_evaluation(
            suite.id, f"safety/{result.category}", level=LEVEL, score=result.score,
            passed=result.passed, started_at=started_at,
            metrics={
                f"{result.category}_precision": counts.precision,
                f"{result.category}_recall": counts.recall,
                f"{result.category}_f1": counts.f1,
            },
            metadata={
                "threshold": result.threshold, "counts": counts.as_dict(),
                "by_kind": {kind: c.as_dict() for kind, c in result.per_kind.items()},
                "by_sample_kind": {kind: c.as_dict() for kind, c in result.by_kind.items()},
                "missed": list(result.missed), "false_alarms": list(result.false_alarms),
                "seconds": round(result.seconds, 3),
            },
        )  # fmt: skip
    return store.finish_suite(suite.id)


def store_redteam(store: ResultStore, report: RedTeamReport, started_at: datetime) -> SuiteRecord:
    """One suite `red_team`: a result per attack class, score = stopped / tried, each attack's
    outcome in its metadata."""
    by_class = report.by_class()
    suite = store.start_suite(
        "red_team", dataset="attacks", generator="adversarial-model",
        planned_entries=len(by_class), description="attacks on generation, sandbox and storage",
    )  # fmt: skip
    for attack_class, (stopped, tried) in by_class.items():
        outcomes = [o for o in report.outcomes if o.attack_class == attack_class]
        store.add_evaluation(
            suite.id, f"red_team/{attack_class}", level=LEVEL, score=stopped / tried,
            passed=stopped == tried, started_at=started_at,
            metrics={f"{attack_class}_stopped": stopped / tried},
            metadata={"stopped": stopped, "tried": tried, "attacks": [
                {"name": o.name, "stopped": o.stopped, "stopped_by": o.stopped_by,
                 "evidence": o.evidence} for o in outcomes
            ]},
        )  # fmt: skip
    return store.finish_suite(suite.id)


def run_evaluators(
    store: ResultStore,
    names: Sequence[str],
    on_progress: Callable[[str], None] | None = None,
) -> list[tuple[str, SuiteRecord, object]]:
    """Run the evaluators `names` and store each as its suite."""
    unknown = [name for name in names if name not in EVALUATORS]
    if unknown:
        raise ValueError(f"unknown evaluator {unknown[0]!r} (known: {', '.join(EVALUATORS)})")
    done: list[tuple[str, SuiteRecord, object]] = []
    for name in names:
        started = datetime.now(UTC)
        if name == "safety":
            safety = evaluate_safety(on_progress=on_progress)
            done.append((name, store_safety(store, safety, started), safety))
        elif name in AGENT_EVALUATORS:
            agent = run_agent_evaluator(name, on_progress=on_progress)
            done.append((name, store_agent(store, agent, started), agent))
        else:
            # imported when asked for: the attacks pull in generation and the model server
            from agentic_testgen.evals.redteam import run_redteam  # noqa: PLC0415

            redteam = run_redteam(on_progress=on_progress)
            done.append((name, store_redteam(store, redteam, started), redteam))
    return done
