"""The runs one generation makes, kept by what they measured: a file is never run twice.

The critic, the final review and the assembly all run test files against the module under test.
Within one generation the same file often comes back (a round whose coders added nothing the
critic did not see, the kept tests reviewed again, a mutant run of an unchanged kept set), so
every run is kept by (module text, test file text, run options) and served again from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from agentic_testgen.domain import (
    GeneratedTests,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
)
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import Sandbox

MutantRun = Callable[[], MutationOutcome]


def _key(source: SourceUnit, tests: GeneratedTests, options: RunOptions, *extra: str) -> str:
    digest = hashlib.sha256()
    for part in (
        source.language.value, source.qualified_name, source.code, tests.filename, tests.code,
        repr(options), *extra,
    ):  # fmt: skip
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class Measurements:
    """Every run of one generation by (module, test file, options); `made` counts the runs
    that really executed, `reused` those served from memory."""

    runs: dict[str, RunOutcome] = field(default_factory=dict)
    mutations: dict[str, MutationOutcome] = field(default_factory=dict)
    made: int = 0
    reused: int = 0
    # mutant ids each test was seen to kill, by the test's text and the file's other statements
    kills: dict[str, set[int]] = field(default_factory=dict)

    def run(
        self, source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
    ) -> RunOutcome:
        """The outcome of running `tests` against `source` with `options` (once per file)."""
        key = _key(source, tests, options)
        if key in self.runs:
            self.reused += 1
            return self.runs[key]
        outcome = get_adapter(source.language).run(source, tests, sandbox, options)
        self.made += 1
        self.runs[key] = outcome
        return outcome

    def mutants(
        self,
        source: SourceUnit,
        tests: GeneratedTests,
        options: RunOptions,
        first: frozenset[str],
        run: MutantRun,
    ) -> MutationOutcome:
        """The mutants' fate under `tests` (those in `first` tried first); `run` makes it when
        this file and order were not tried yet. A run may leave out mutants `first` is known to
        kill: what it tells of the other tests is the same whatever it left out, so that is
        not part of the key."""
        key = _key(source, tests, options, "mutants", *sorted(first))
        if key in self.mutations:
            self.reused += 1
            return self.mutations[key]
        mutation = run()
        self.made += 1
        self.mutations[key] = mutation
        return mutation

    def killed_by(self, tests: list[str]) -> frozenset[int]:
        """The mutants the tests (keys of `record_kills`) are known to kill."""
        return frozenset(m for test in tests for m in self.kills.get(test, ()))

    def record_kills(self, mutation: MutationOutcome, key_of: Callable[[str], str | None]) -> None:
        """Remember which test killed each mutant (`key_of`: a killer's node id to its key,
        None for a test not to remember)."""
        for mutant in mutation.mutants:
            key = key_of(mutant.killed_by) if mutant.killed_by else None
            if key is not None:
                self.kills.setdefault(key, set()).add(mutant.id)
