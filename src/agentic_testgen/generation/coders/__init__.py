"""Coders: offline tools (CrossHair, Pynguin, ...; characterization for JavaScript and Java) and
LLMs behind the `Coder` protocol."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports

if TYPE_CHECKING:
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
        PynguinCoder,
        find_pynguin,
        install_pynguin,
        locate_pynguin,
        pynguin_home,
    )

# The Pynguin release `atg setup pynguin` installs (here, so that its help can say it cheaply).
PYNGUIN_VERSION = "0.48.0"

# Imported on first use: each coder pulls in its tool, the languages and the sandbox.
_PROTOCOL = "agentic_testgen.generation.coders._protocol"
_PYNGUIN = "agentic_testgen.generation.coders.pynguin"
_LLM = "agentic_testgen.generation.coders.llm"
_LAZY = {
    "CharacterizationCoder": "agentic_testgen.generation.coders.characterization",
    "Coder": _PROTOCOL,
    "CoderContext": _PROTOCOL,
    "CrossHairCoder": "agentic_testgen.generation.coders.crosshair",
    "DoctestCoder": "agentic_testgen.generation.coders.doctests",
    "GhostwriterCoder": "agentic_testgen.generation.coders.ghostwriter",
    "LLMCoder": _LLM,
    "PynguinCoder": _PYNGUIN,
    "Unavailable": _PROTOCOL,
    "build_prompt": _LLM,
    "extract_code": _LLM,
    "find_pynguin": _PYNGUIN,
    "install_pynguin": _PYNGUIN,
    "locate_pynguin": _PYNGUIN,
    "pynguin_home": _PYNGUIN,
    "tool_failure": _PROTOCOL,
}


__getattr__ = lazy_exports(__name__, _LAZY)


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
