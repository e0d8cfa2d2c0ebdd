"""Characterization tests for JavaScript and Java modules: the offline coder of those languages.

The probe calls what the module exports with boundary and type-derived inputs in the sandbox
and each observed result or error becomes a test (`generation.characterize`). The probe's own
selection keeps the proposal small; the critic then judges it like any coder's. A later round
probes again with another seed, so other inputs are drawn.
"""

from __future__ import annotations

from agentic_testgen.domain import Language
from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.generation.coders._protocol import CoderContext

LANGUAGES = (Language.JAVASCRIPT, Language.JAVA)


class CharacterizationCoder:
    @property
    def name(self) -> str:
        return "characterization"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        from agentic_testgen.generation.characterize import (  # noqa: PLC0415
            ProbeError,
            characterize,
        )

        source = context.source
        if source.language not in LANGUAGES:
            return Candidate(
                coder=self.name,
                code="",
                failure=f"writes JavaScript and Java tests, not {source.language.value}",
            )
        try:
            made = characterize(
                source, context.sandbox, context.options, seconds=context.seconds,
                seed=context.iteration + 1,
            )  # fmt: skip
        except ProbeError as error:
            return Candidate(coder=self.name, code="", failure=str(error))
        if not made.kept:
            reason = f"none of the {made.proposed} probed calls made a passing, stable test"
            return Candidate(coder=self.name, code="", failure=reason)
        return Candidate(coder=self.name, code=made.tests.code)
