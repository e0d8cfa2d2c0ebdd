"""Coders: offline tools (CrossHair, Pynguin, ...; characterization for JavaScript and Java) and
LLMs behind the `Coder` protocol."""

from agentic_testgen.generation.coders._protocol import (
    Coder,
    CoderContext,
    Unavailable,
    tool_failure,
)
from agentic_testgen.generation.coders.characterization import CharacterizationCoder
from agentic_testgen.generation.coders.crosshair import CrossHairCoder
from agentic_testgen.generation.coders.doctests import DoctestCoder
from agentic_testgen.generation.coders.ghostwriter import GhostwriterCoder
from agentic_testgen.generation.coders.llm import LLMCoder, build_prompt, extract_code
from agentic_testgen.generation.coders.pynguin import (
    PYNGUIN_VERSION,
    PynguinCoder,
    find_pynguin,
    install_pynguin,
    locate_pynguin,
    pynguin_home,
)

__all__ = [
    "PYNGUIN_VERSION",
    "CharacterizationCoder",
    "Coder",
    "CoderContext",
    "CrossHairCoder",
    "DoctestCoder",
    "GhostwriterCoder",
    "LLMCoder",
    "PynguinCoder",
    "Unavailable",
    "build_prompt",
    "extract_code",
    "find_pynguin",
    "install_pynguin",
    "locate_pynguin",
    "pynguin_home",
    "tool_failure",
]
