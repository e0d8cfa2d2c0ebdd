"""The critic evaluator: does the critic keep the good candidate tests, drop the bad ones for the
right reason, and what do its mistakes cost?

The labeled set (`agents/sets/critic/`, provenance in its README) holds small modules, each with
the tests the critic kept in an earlier round (`kept.py`) and candidate tests (`candidates.py`).
`critic.jsonl` labels every candidate `keep` or `drop`, a drop with its defect kind. Each module
is reviewed as the orchestrator reviews a round: one `TestFile` holding the kept tests and then
the candidates, the names the module offers imported, and `review` run for real in the sandbox
with the generation's run options (reruns, so a flaky test can be seen; mutants, when the
settings ask for them, so a test that only checks more is kept).

The score is the balanced accuracy of the keep/drop decisions, the mean of the recall of the bad
tests and the recall of the good ones. Both mistakes cost, so a critic that keeps everything and
one that drops everything both score 0.5; and, unlike the F1 of the drops (reported too), it does
not move with the share of bad tests in the set, which differs from the share a coder proposes.
"""

from __future__ import annotations

import ast
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from agentic_testgen.config import load_settings
from agentic_testgen.domain import SourceUnit, TestOutcome
from agentic_testgen.evals._evaluate import run_options
from agentic_testgen.evals.agents import AgentReport, AgentResult, Progress
from agentic_testgen.evals.safety import Counts, SetError
from agentic_testgen.generation._critic import review
from agentic_testgen.generation._test_file import TestFile
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import Sandbox, get_sandbox

DefectKind = Literal[
    "failing", "flaky", "assertion_free", "never_calls", "duplicate", "policy", "tampering"
]
KINDS: tuple[DefectKind, ...] = (
    "failing", "flaky", "assertion_free", "never_calls", "duplicate", "policy", "tampering",
)  # fmt: skip
THRESHOLD = 0.90
# A kept bad test: someone trusts a wrong test, or debugs it when it breaks. A dropped good
# test: someone writes it again by hand.
MINUTES_PER_KEPT_BAD = 30.0
MINUTES_PER_DROPPED_GOOD = 10.0
MANIFEST = "critic.jsonl"
SET_FILES = ("kept.py", "candidates.py")  # with `<module>.py`, in the module's folder
_REASON_LIMIT = 200


class Label(BaseModel):
    """One candidate test and what the critic should do with it (`why` is for the reader)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    module: str
    test: str
    label: Literal["keep", "drop"]
    kind: DefectKind | None = None
    why: str = ""

    @model_validator(mode="after")
    def _kind_with_drops_only(self) -> Label:
        if (self.label == "drop") != (self.kind is not None):
            raise ValueError("a `drop` needs a defect kind, a `keep` has none")
        return self

    @property
    def id(self) -> str:
        return f"{self.module}::{self.test}"


@dataclass(frozen=True)
class CriticCase:
    """One module of the set: its code, the tests kept before, the candidates, their labels."""

    module: str
    source: str
    kept: str
    candidates: str
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Decision:
    """What the critic did with one labeled candidate; `reason` is its own (empty when kept)."""

    label: Label
    kept: bool
    reason: str = ""

    @property
    def right(self) -> bool:
        return self.kept == (self.label.label == "keep")

    @property
    def reason_kind(self) -> DefectKind | None:
        return reason_kind(self.reason) if not self.kept else None


def reason_kind(reason: str) -> DefectKind | None:
    """The defect kind a drop reason of the critic names (None: a reason it does not know).

    The policy's `harness` rule is the syntax check for tampering, so it counts as tampering;
    every other rule as policy. A test that did not pass, or made the file fail to import or
    was not collected, is `failing`; one that adds no coverage (nor kills a mutant) `duplicate`.
    """
    if reason.startswith(("tampers with the harness", "breaks policy [harness]")):
        return "tampering"
    prefixes: tuple[tuple[str, DefectKind], ...] = (
        ("breaks policy", "policy"),
        ("flaky", "flaky"),
        ("checks nothing", "assertion_free"),
        ("never calls", "never_calls"),
        ("adds no coverage", "duplicate"),
        ("fails when the file is imported", "failing"),
        ("the file does not import", "failing"),
        ("not collected", "failing"),
    )
    for prefix, kind in prefixes:
        if reason.startswith(prefix):
            return kind
    outcomes = tuple(f"{o.value}:" for o in TestOutcome if o != TestOutcome.PASSED)
    return "failing" if reason.startswith(outcomes) else None


def load_critic_set(manifest: str | None = None) -> list[CriticCase]:
    """The shipped set: every module folder the manifest names, with its labels (`manifest`
    replaces the shipped `critic.jsonl` text, the modules stay the shipped ones).

    Raises:
        SetError: a line that is not a label, names no candidate test or labels one twice, or a
            candidate test without a label; the message names the file and line.
    """
    folder = resources.files("agentic_testgen.evals.agents") / "sets" / "critic"
    if manifest is None:
        manifest = (folder / MANIFEST).read_text("utf-8")
    labels: dict[str, list[tuple[int, Label]]] = {}
    for number, line in enumerate(manifest.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            label = Label.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as error:
            raise SetError(f"{MANIFEST}:{number}: not a label: {_first_line(error)}") from None
        labels.setdefault(label.module, []).append((number, label))
    return [_case(folder, module, entries) for module, entries in labels.items()]


def _case(folder: Traversable, module: str, entries: list[tuple[int, Label]]) -> CriticCase:
    first = entries[0][0]
    try:
        source = (folder / module / f"{module}.py").read_text("utf-8")
        kept, candidates = ((folder / module / name).read_text("utf-8") for name in SET_FILES)
    except (FileNotFoundError, NotADirectoryError):
        raise SetError(
            f"{MANIFEST}:{first}: no module folder {module}/ with {module}.py, kept.py and "
            "candidates.py in the set"
        ) from None
    tests = _test_functions(candidates, f"{module}/candidates.py")
    clash = set(tests) & set(_test_functions(kept, f"{module}/kept.py"))
    if clash:
        name = min(clash)
        raise SetError(
            f"{module}/candidates.py:{tests[name]}: {name} is also a kept test: rename it"
        )
    seen: dict[str, int] = {}
    for number, label in entries:
        if label.test not in tests:
            raise SetError(f"{MANIFEST}:{number}: {module}/candidates.py has no test {label.test}")
        if label.test in seen:
            raise SetError(
                f"{MANIFEST}:{number}: {label.id} is labeled twice (first at line "
                f"{seen[label.test]})"
            )
        seen[label.test] = number
    for name, line in tests.items():
        if name not in seen:
            raise SetError(
                f"{module}/candidates.py:{line}: {name} has no label in {MANIFEST}: add one"
            )
    return CriticCase(module, source, kept, candidates, tuple(label for _, label in entries))


def _test_functions(code: str, name: str) -> dict[str, int]:
    """The top-level test functions of a set file, with their lines."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise SetError(f"{name}:{error.lineno}: does not parse: {error.msg}") from None
    return {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def _first_line(error: Exception) -> str:
    text = str(error)
    if isinstance(error, ValidationError):  # pydantic's first line only counts the errors
        details = error.errors()[0]
        where = ".".join(str(part) for part in details["loc"])
        text = f"{where}: {details['msg']}" if where else details["msg"]
    return text.splitlines()[0]


def evaluate_critic(
    *,
    on_progress: Progress | None = None,
    cases: Sequence[CriticCase] | None = None,
    minutes_per_kept_bad: float = MINUTES_PER_KEPT_BAD,
    minutes_per_dropped_good: float = MINUTES_PER_DROPPED_GOOD,
    sandbox: Sandbox | None = None,
    options: RunOptions | None = None,
) -> AgentReport:
    """Review every module of `cases` (default: the shipped set) with the critic and score its
    decisions against the labels.

    Args:
        on_progress: told one line per module.
        cases: the labeled modules to review instead of the shipped set.
        minutes_per_kept_bad: what a bad test the critic keeps costs a developer.
        minutes_per_dropped_good: what a good test the critic drops costs (writing it by hand).
        sandbox: where the tests run (default: the settings' sandbox, as `atg generate` takes).
        options: the run options (default: the settings', as `atg generate` takes them).
    """
    started = time.monotonic()
    if sandbox is None or options is None:
        settings = load_settings()
        sandbox = sandbox or get_sandbox(settings.run.sandbox)
        options = options or run_options(settings)
    cases = load_critic_set() if cases is None else cases
    decisions: list[Decision] = []
    for case in cases:
        found = review_case(case, sandbox, options)
        decisions += found
        if on_progress:
            kept = sum(1 for d in found if d.kept)
            wrong = sum(1 for d in found if not d.right)
            on_progress(f"critic: {case.module}: kept {kept} of {len(found)}, {wrong} wrong")
    notes = [
        f"sandbox {sandbox.name}, {options.reruns} reruns, "
        f"mutants {'on' if options.mutation else 'off'}"
    ]
    if options.reruns == 0:
        notes.append("no reruns: a flaky test cannot be told from a stable one")
    result = score(
        decisions,
        minutes_per_kept_bad=minutes_per_kept_bad,
        minutes_per_dropped_good=minutes_per_dropped_good,
        seconds=time.monotonic() - started,
    )
    return AgentReport("critic", (result,), tuple(notes))


def review_case(case: CriticCase, sandbox: Sandbox, options: RunOptions) -> list[Decision]:
    """One round of the critic on `case`, built as the orchestrator builds it; a decision per
    labeled candidate."""
    source = SourceUnit(path=f"{case.module}.py", code=case.source, module_name=case.module)
    tests = TestFile()
    kept = tests.add(case.kept)
    tests.add(case.candidates)
    tests.import_missing(source)
    review_options = RunOptions(
        reruns=options.reruns, parallel=options.parallel, test_timeout_s=options.test_timeout_s,
        limits=options.limits, mutation=False,
    )  # fmt: skip
    verdict = review(source, tests, kept, sandbox, review_options, kill_mutants=options.mutation)
    return [
        Decision(label, kept=True)
        if label.test in verdict.kept
        else Decision(label, kept=False, reason=verdict.dropped.get(label.test, "not reviewed"))
        for label in case.labels
    ]


def score(
    decisions: Iterable[Decision],
    *,
    minutes_per_kept_bad: float = MINUTES_PER_KEPT_BAD,
    minutes_per_dropped_good: float = MINUTES_PER_DROPPED_GOOD,
    seconds: float = 0.0,
) -> AgentResult:
    """The critic's figures on `decisions`: a bad test dropped is a true positive."""
    decisions = list(decisions)
    counts = Counts(
        tp=sum(1 for d in decisions if d.label.kind and not d.kept),
        fp=sum(1 for d in decisions if not d.label.kind and not d.kept),
        fn=sum(1 for d in decisions if d.label.kind and d.kept),
        tn=sum(1 for d in decisions if not d.label.kind and d.kept),
    )
    keeps = Counts(tp=counts.tn, fp=counts.fn, fn=counts.fp, tn=counts.tp)
    total = len(decisions)
    by_kind: dict[str, dict[str, int]] = {}
    cost: dict[str, float] = {}
    for kind in KINDS:
        of_kind = [d for d in decisions if d.label.kind == kind]
        if not of_kind:
            continue
        dropped = [d for d in of_kind if not d.kept]
        by_kind[kind] = {
            "cases": len(of_kind), "dropped": len(dropped),
            "right_reason": sum(1 for d in dropped if d.reason_kind == kind),
        }  # fmt: skip
        cost[kind] = (len(of_kind) - len(dropped)) * minutes_per_kept_bad
    by_kind["keep"] = {"cases": counts.tn + counts.fp, "kept": counts.tn}
    cost["keep"] = counts.fp * minutes_per_dropped_good
    metrics = {
        "drop_precision": counts.precision, "drop_recall": counts.recall, "drop_f1": counts.f1,
        "keep_precision": keeps.precision, "keep_recall": keeps.recall,
        "accuracy": (counts.tp + counts.tn) / total if total else 0.0,
        "balanced_accuracy": (counts.recall + keeps.recall) / 2,
        **{f"recall_{kind}": c["dropped"] / c["cases"] for kind, c in by_kind.items()
           if kind != "keep"},
        "kind_accuracy": (
            sum(c["right_reason"] for k, c in by_kind.items() if k != "keep") / counts.tp
            if counts.tp else 1.0
        ),
    }  # fmt: skip
    details: dict[str, Any] = {
        "counts": counts.as_dict(),
        "by_kind": by_kind,
        "mistake_cost_minutes": sum(cost.values()),
        "mistake_cost_by_kind": cost,
        "minutes_per_kept_bad": minutes_per_kept_bad,
        "minutes_per_dropped_good": minutes_per_dropped_good,
        "wrong": [_entry(d) for d in decisions if not d.right],
        "wrong_reason": [
            _entry(d) for d in decisions if d.right and not d.kept and d.reason_kind != d.label.kind
        ],
    }
    return AgentResult(
        name="critic",
        score=round(metrics["balanced_accuracy"], 4),
        threshold=THRESHOLD,
        metrics={name: round(value, 4) for name, value in metrics.items()},
        details=details,
        seconds=seconds,
    )


def _entry(decision: Decision) -> dict[str, str | None]:
    return {
        "id": decision.label.id,
        "label": decision.label.label,
        "kind": decision.label.kind,
        "decision": "keep" if decision.kept else "drop",
        "reason": decision.reason[:_REASON_LIMIT],
        "reason_kind": decision.reason_kind,
    }
