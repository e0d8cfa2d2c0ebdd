"""Core types shared by every stage: the code under test, what one run observed, what it scored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Version of the serialized `EvalResult`; bump it on any change a reader could notice.
#   1: first version (metrics, tests, collection errors, notes).
#   2: `integrity` (ok and findings); quality level `invalid` for a result that is not ok.
RESULT_SCHEMA_VERSION = 2

# The goal users must prove: coverage and pass rate both at least 90% (reports, gauges, monitor).
GOAL = 0.90


# Suites of the system-level evaluators (`agentic_testgen.evals.system`) and of the agent-level
# ones (`agentic_testgen.evals.agents`): stored beside the test suites, but `latest`, the
# test-quality gauges and the SLOs mean test suites, never one of these
SYSTEM_SUITES = ("safety", "red_team")
AGENT_SUITES = ("planner", "coder", "critic")
EVALUATOR_SUITES = (*SYSTEM_SUITES, *AGENT_SUITES)

# The evaluation levels of the seed's framework, lowest first; every stored result has one.
EVAL_LEVELS = ("unit", "component", "agent", "system", "business")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Language(StrEnum):
    """Languages that have a `LanguageAdapter`."""

    PYTHON = "python"
    JAVASCRIPT = "javascript"
    JAVA = "java"


class TestOutcome(StrEnum):
    """The runner's own verdict on one test, plus the two outcomes the sandbox imposes."""

    __test__ = False

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    XFAIL = "xfail"
    XPASS = "xpass"
    TIMEOUT = "timeout"
    KILLED = "killed"


class SourceUnit(_Frozen):
    """A module under test.

    Attributes:
        path: where the user's file lives (for display and reports only).
        code: the module's text.
        module_name: the name it is imported under, e.g. ``slug``.
        package: the enclosing package parts, outermost first (empty when it has none).
        language: the language of the code.
        project_root: the root of the project the module was read from (`agentic_testgen.
            projects`); the tests then run inside that project. None: the module is laid out
            alone.
        python: the interpreter (or virtual environment) the project's tests run with, when
            the module's dataset names one (an imported project's own environment); None: the
            one found for the project.
    """

    path: str
    code: str
    module_name: str
    package: tuple[str, ...] = ()
    language: Language = Language.PYTHON
    project_root: str | None = None
    python: str | None = None

    @field_validator("module_name")
    @classmethod
    def _module_name_names_no_path(cls, value: str) -> str:
        """The module name becomes a file name in the workspace: it may not lead out of it."""
        if any(part in value for part in ("/", "\\", "\0", "..")) or value.startswith("."):
            raise ValueError(f"module name {value!r} is not a module name")
        return value

    @property
    def qualified_name(self) -> str:
        return ".".join((*self.package, self.module_name))


class GeneratedTests(_Frozen):
    """A test file, generated or written by hand, to be measured against a `SourceUnit`."""

    code: str
    filename: str = "test_generated.py"
    path: str | None = None
    # the framework the file is written for (JavaScript: node, jest or vitest); None: detected
    framework: str | None = None


class TestResult(_Frozen):
    """One test in the instrumented run: its verdict and what it executed in the module."""

    __test__ = False

    nodeid: str
    outcome: TestOutcome
    duration_s: float
    failure: str | None = None
    lines: tuple[int, ...] = ()
    branches: tuple[tuple[int, int], ...] = ()

    @property
    def reached_module(self) -> bool:
        """Whether the test executed at least one line of the module under test."""
        return bool(self.lines)


class CollectionError(_Frozen):
    """A test file (or item) pytest could not collect, with pytest's own message."""

    nodeid: str
    message: str


class FileCoverage(_Frozen):
    """coverage.py's own figures for the module under test."""

    num_statements: int
    covered_lines: int
    num_branches: int
    covered_branches: int
    percent_covered: float
    executed_lines: tuple[int, ...]
    missing_lines: tuple[int, ...]
    executed_branches: tuple[tuple[int, int], ...]
    missing_branches: tuple[tuple[int, int], ...]

    @property
    def line_rate(self) -> float:
        return self.covered_lines / self.num_statements if self.num_statements else 1.0

    @property
    def branch_rate(self) -> float:
        return self.covered_branches / self.num_branches if self.num_branches else 1.0


class MutantStatus(StrEnum):
    """A mutant's fate: killed by a failing test, survived, timed out (counted as killed), not
    covered by any passing test (not run), left out by sampling, or not run because of an error."""

    KILLED = "killed"
    SURVIVED = "survived"
    TIMEOUT = "timeout"
    NO_COVERAGE = "no_coverage"
    NOT_SAMPLED = "not_sampled"
    ERROR = "error"


class MutantResult(_Frozen):
    """One mutant of the module under test and what the tests made of it."""

    id: int
    line: int
    col: int
    operator: str
    original: str
    mutated: str
    status: MutantStatus
    tests_run: int = 0
    duration_s: float = 0.0
    # CPU time the mutant's own run took (Python: its forked child), 0: not measured
    cpu_s: float = 0.0
    killed_by: str | None = None
    # acts when the module is imported (module or class level, defaults, decorators)
    import_time: bool = False
    # where the mutated code ends (`line`/`col` is where it starts); columns are 0-based byte
    # offsets into the line, as the parsers give them; 0: not known
    end_line: int = 0
    end_col: int = 0


class IntegrityFinding(_Frozen):
    """Evidence that test code reached for the harness that measures it.

    Attributes:
        kind: what it did (`harness-file`, `proc-access`, `signal`, `introspection`, `tracing`,
            `native-code`, `pytest-patched`, `plugin-registered`, `results-altered`, `channel`,
            `phase`, `mutation-differential`).
        test: the node id of the test running when it happened ('' outside any test).
        detail: one line saying what was done.
    """

    kind: str
    test: str = ""
    detail: str


class Integrity(_Frozen):
    """Whether a run's evidence can be trusted; a result that is not ok scores 0."""

    ok: bool = True
    findings: tuple[IntegrityFinding, ...] = ()


class MutationOutcome(_Frozen):
    """Every mutant of one module and its fate; `score` is the product's bug_detection_rate."""

    mutants: tuple[MutantResult, ...] = ()
    sampled: bool = False
    seed: int = 0
    duration_s: float = 0.0
    notes: tuple[str, ...] = ()
    integrity: Integrity = Field(default_factory=Integrity)

    def count(self, status: MutantStatus) -> int:
        return sum(1 for mutant in self.mutants if mutant.status == status)

    @property
    def score(self) -> float | None:
        """killed / (killed + survived), timeouts counted as killed; None when nothing ran."""
        killed = self.count(MutantStatus.KILLED) + self.count(MutantStatus.TIMEOUT)
        judged = killed + self.count(MutantStatus.SURVIVED)
        return killed / judged if judged else None


class RunOutcome(_Frozen):
    """Everything one instrumented run (plus its reruns) observed; metrics read only this.

    Attributes:
        tests: per-test results of the instrumented run.
        collection_errors: files or items pytest could not collect.
        coverage: coverage of the module under test, or None when nothing ran.
        reruns: per rerun, the outcome of every test by node id.
        syntax_error: the compiler's message when the tests or the module do not parse.
        sandbox: the name of the sandbox that contained the run.
        notes: what the sandbox or runner had to do (kills, timeouts, weaker isolation).
        duration_s: wall time of the whole run, reruns included.
        mutation: the mutants of the module and their fate, when mutation testing ran.
        integrity: whether test code tampered with the harness, and how.
        coverage_varied: tests whose covered lines differed between runs (measured in the
            reruns of property-based test files).
        derandomized: Hypothesis tests drew fixed examples (`RunOptions.derandomize`).
        compiled_patterns: the regular expressions (text, flags) the tests compiled, where
            the language's runner can tell (Python: `re`'s cache); mutation testing compiles
            them once before it forks a child per mutant, so no child compiles them again.
    """

    tests: tuple[TestResult, ...] = ()
    collection_errors: tuple[CollectionError, ...] = ()
    coverage: FileCoverage | None = None
    reruns: tuple[dict[str, TestOutcome], ...] = ()
    syntax_error: str | None = None
    sandbox: str = "none"
    notes: tuple[str, ...] = ()
    duration_s: float = 0.0
    mutation: MutationOutcome | None = None
    integrity: Integrity = Field(default_factory=Integrity)
    coverage_varied: tuple[str, ...] = ()
    derandomized: bool = False
    compiled_patterns: tuple[tuple[str, int], ...] = ()

    def flaky_nodeids(self) -> frozenset[str]:
        """Tests whose outcome was not the same in every run."""
        flaky = set()
        for test in self.tests:
            seen = {test.outcome, *(rerun.get(test.nodeid, test.outcome) for rerun in self.reruns)}
            if len(seen) > 1:
                flaky.add(test.nodeid)
        return frozenset(flaky)


class MetricValue(_Frozen):
    """One metric's verdict: a value in [0, 1], the threshold it is held to, and its evidence.

    `passed` is derived from value and threshold when not given.
    """

    name: str
    value: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(ge=0.0, le=1.0)
    passed: bool = False  # always set by _derive_passed when not given
    details: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _derive_passed(cls, data: Any) -> Any:
        if isinstance(data, dict) and "passed" not in data:
            return {**data, "passed": data["value"] >= data["threshold"]}
        return data


class TestReport(_Frozen):
    """One test as it appears in an evaluation result."""

    __test__ = False

    nodeid: str
    outcome: TestOutcome
    duration_s: float
    flaky: bool
    reached_module: bool
    failure: str | None = None


class EvalResult(_Frozen):
    """The evaluation of one test file against one module: score, metrics and per-test evidence.

    Serialized as JSON with `schema_version` (see `RESULT_SCHEMA_VERSION`).
    """

    schema_version: int = RESULT_SCHEMA_VERSION
    score: float = Field(ge=0.0, le=1.0)
    quality_level: str
    passed: bool
    pass_line: float
    language: Language
    source: str
    tests_file: str
    metrics: dict[str, MetricValue]
    weights: dict[str, float]
    tests: tuple[TestReport, ...]
    collection_errors: tuple[CollectionError, ...] = ()
    syntax_error: str | None = None
    sandbox: str
    reruns: int
    notes: tuple[str, ...] = ()
    duration_s: float
    created_at: datetime
    atg_version: str
    integrity: Integrity = Field(default_factory=Integrity)
