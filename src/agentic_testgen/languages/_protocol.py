"""The language seam: run a test file against its module once, instrumented, and report it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from agentic_testgen.domain import GeneratedTests, RunOutcome, SourceUnit
from agentic_testgen.sandbox import Limits, Sandbox


@dataclass(frozen=True)
class RunOptions:
    """How one evaluation run is made.

    Attributes:
        reruns: extra uninstrumented runs used to detect flaky tests.
        parallel: reruns that may run at once.
        test_timeout_s: a single test is stopped after this long and recorded as a timeout.
        limits: resource limits for the whole sandboxed run.
        mutation: also run every mutant of the module against the tests that cover it.
        max_mutants: run a sample of at most this many mutants (drawn with `mutation_seed`).
        derandomize: Hypothesis tests draw the same examples in every run.
        python: the interpreter (or virtual environment) to run a project's tests with, instead
            of the one found for the project.
        framework: the JavaScript test framework (`node`, `jest`, `vitest`); None or `auto`:
            the test file's own (`agentic_testgen.languages.javascript.choose_framework`).
    """

    reruns: int = 5
    parallel: int = 2
    test_timeout_s: float = 10.0
    limits: Limits = field(default_factory=Limits)
    mutation: bool = True
    max_mutants: int | None = None
    mutation_seed: int = 0
    derandomize: bool = False
    python: str | None = None
    framework: str | None = None


@runtime_checkable
class LanguageAdapter(Protocol):
    """Runs tests of one language under its native coverage tool inside a sandbox."""

    language: str

    def read_source(self, path: Path) -> SourceUnit:
        """A module file on disk as a `SourceUnit` (its name, package and project).

        Raises:
            OSError, UnicodeDecodeError: the file cannot be read.
        """
        ...

    def run(
        self, source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
    ) -> RunOutcome:
        """One instrumented run plus `options.reruns` reruns, as a `RunOutcome`."""
        ...
