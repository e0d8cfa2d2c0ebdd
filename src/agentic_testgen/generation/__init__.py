"""Test generation: planner -> coder -> critic, with offline coders and LLM providers."""

from agentic_testgen.generation._critic import Review, review
from agentic_testgen.generation._orchestrator import Budget, generate_tests
from agentic_testgen.generation._planner import plan
from agentic_testgen.generation._test_file import TestFile
from agentic_testgen.generation._types import (
    Candidate,
    CoderFailure,
    GenerationError,
    GenerationOutcome,
    LLMCall,
    Plan,
    Target,
)

__all__ = [
    "Budget",
    "Candidate",
    "CoderFailure",
    "GenerationError",
    "GenerationOutcome",
    "LLMCall",
    "Plan",
    "Review",
    "Target",
    "TestFile",
    "generate_tests",
    "plan",
    "review",
]
