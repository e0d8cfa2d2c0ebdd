"""Test generation: planner -> coder -> critic, with offline coders and LLM providers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports

if TYPE_CHECKING:
    from agentic_testgen.generation._critic import Review, review
    from agentic_testgen.generation._orchestrator import Budget, generate_tests
    from agentic_testgen.generation._planner import plan
    from agentic_testgen.generation._test_file import TestFile
    from agentic_testgen.generation._types import (
        Candidate,
        CoderFailure,
        GenerationError,
        GenerationOutcome,
        Goal,
        LLMCall,
        Plan,
        Target,
    )

# Imported on first use: the agents pull in the coders, the model clients and the guardrails,
# which a command that only catches GenerationError (or shows its help) does not need.
_TYPES = "agentic_testgen.generation._types"
_LAZY = {
    "Budget": "agentic_testgen.generation._orchestrator",
    "Candidate": _TYPES,
    "CoderFailure": _TYPES,
    "GenerationError": _TYPES,
    "GenerationOutcome": _TYPES,
    "Goal": _TYPES,
    "LLMCall": _TYPES,
    "Plan": _TYPES,
    "Review": "agentic_testgen.generation._critic",
    "Target": _TYPES,
    "TestFile": "agentic_testgen.generation._test_file",
    "generate_tests": "agentic_testgen.generation._orchestrator",
    "plan": "agentic_testgen.generation._planner",
    "review": "agentic_testgen.generation._critic",
}


__getattr__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "Budget",
    "Candidate",
    "CoderFailure",
    "GenerationError",
    "GenerationOutcome",
    "Goal",
    "LLMCall",
    "Plan",
    "Review",
    "Target",
    "TestFile",
    "generate_tests",
    "plan",
    "review",
]
