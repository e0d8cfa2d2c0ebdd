"""Coders: offline tools (CrossHair) and LLMs behind the `Coder` protocol."""

from agentic_testgen.generation.coders._protocol import Coder, CoderContext
from agentic_testgen.generation.coders.crosshair import CrossHairCoder
from agentic_testgen.generation.coders.ghostwriter import GhostwriterCoder
from agentic_testgen.generation.coders.llm import LLMCoder, build_prompt, extract_code
from agentic_testgen.generation.coders.pynguin import PynguinCoder, find_pynguin

__all__ = [
    "Coder",
    "CoderContext",
    "CrossHairCoder",
    "GhostwriterCoder",
    "LLMCoder",
    "PynguinCoder",
    "build_prompt",
    "extract_code",
    "find_pynguin",
]
