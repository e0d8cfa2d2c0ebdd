"""Where a suite's tests come from: the seam a generator plugs into, the runner unchanged."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from agentic_testgen.config import Settings
from agentic_testgen.datasets import DatasetEntry
from agentic_testgen.domain import GeneratedTests, RunOutcome


class NoTestsError(LookupError):
    """A test source has nothing for an entry."""


@runtime_checkable
class EntryTestSource(Protocol):
    """Supplies the test file to evaluate for a dataset entry."""

    @property
    def name(self) -> str: ...

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        """The tests for `entry`; raises NoTestsError when there are none."""
        ...


class ReferenceTests:
    """The tests written into the dataset next to each module."""

    def __init__(self, settings: Settings | None = None) -> None:
        pass  # nothing to run: the tests are in the dataset

    @property
    def name(self) -> str:
        return "reference"

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        if entry.reference_tests is None:
            raise NoTestsError(f"{entry.id}: the entry has no reference tests")
        return entry.reference_tests


class AgentTests:
    """Tests written by the planner -> coder -> critic agents (offline coders unless an LLM is
    configured), so a suite measures the generator itself. `last_calls` holds the model calls of
    the last entry, for the runner to store with the suite."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self.last_calls: list[dict[str, object]] = []
        self.last_metadata: dict[str, object] = {}
        # the last file's own measurement, made with the settings' run options as generation
        # ended: the runner scores it instead of running the file again
        self.last_measurement: tuple[GeneratedTests, RunOutcome] | None = None

    @property
    def name(self) -> str:
        return "agent"

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        from agentic_testgen.config import load_settings  # noqa: PLC0415 - avoids a cycle
        from agentic_testgen.evals._evaluate import (  # noqa: PLC0415
            generation_goal,
            run_options,
        )
        from agentic_testgen.generation import (  # noqa: PLC0415
            Budget,
            GenerationError,
            generate_tests,
        )
        from agentic_testgen.generation._critic import tests_file_name_for  # noqa: PLC0415
        from agentic_testgen.generation._select import choose_coders  # noqa: PLC0415
        from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

        settings = self.settings or load_settings()
        started = time.monotonic()
        self.last_metadata = {"generator": "agent"}
        self.last_measurement = None
        try:
            outcome = generate_tests(
                entry.source,
                choose_coders("auto", pynguin=settings.pynguin, language=entry.source.language),
                get_sandbox(settings.run.sandbox),
                options=run_options(settings),
                budget=Budget(max_iterations=3, max_seconds=180.0),
                goal=generation_goal(settings),
                measure_final=True,
            )
        except GenerationError as error:
            self.last_calls = [dict(vars(call)) for call in error.calls]
            raise
        self.last_calls = [dict(vars(call)) for call in outcome.calls]
        self.last_metadata = {
            "generator": "agent",
            "generation_seconds": round(time.monotonic() - started, 3),
            "agents": {
                name: {"iterations": stats.iterations, "seconds": round(stats.seconds, 3)}
                for name, stats in outcome.agents.items()
            },
            "rounds": outcome.iterations,
            "tests_proposed": outcome.proposed_tests,
            "tests_kept": outcome.kept_tests,
            "guardrails": outcome.guardrails,
            "coder_failures": [
                {"coder": failure.coder, "reason": failure.reason} for failure in outcome.failures
            ],
            "notes": list(outcome.notes),
        }
        if not outcome.code:
            raise NoTestsError(f"{entry.id}: no generated test survived review")
        tests = GeneratedTests(code=outcome.code, filename=tests_file_name_for(entry.source))
        if outcome.final_run is not None:
            self.last_measurement = (tests, outcome.final_run)
        return tests


# name -> factory; sources that run anything use the settings they are given
TEST_SOURCES: dict[str, Callable[[Settings | None], EntryTestSource]] = {
    "reference": ReferenceTests,
    "agent": AgentTests,
}


def get_test_source(name: str, settings: Settings | None = None) -> EntryTestSource:
    """The test source registered as `name`, built with `settings`."""
    try:
        factory = TEST_SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(TEST_SOURCES))
        raise ValueError(f"unknown generator {name!r}: choose one of {known}") from None
    return factory(settings)
