"""Choose the coders for `--coder`: auto (an LLM when one is configured, else offline), by name."""

from __future__ import annotations

import os

from agentic_testgen.generation._types import GenerationError
from agentic_testgen.generation.coders import Coder, CrossHairCoder, LLMCoder
from agentic_testgen.generation.llm import ChatClient, ModelSpec

OFFLINE = ("crosshair",)


def llm_configured() -> bool:
    return any(os.environ.get(n) for n in ("ATG_LLM_MODEL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"))


def default_model() -> str:
    if os.environ.get("ATG_LLM_MODEL"):
        return os.environ["ATG_LLM_MODEL"]
    if os.environ.get("ANTHROPIC_API_KEY") and not os.environ.get("OPENAI_API_KEY"):
        return "anthropic/claude-haiku-4-5"
    return "openai/gpt-4o-mini"


def choose_coders(
    coder: str, *, model: str | None = None, base_url: str | None = None
) -> list[Coder]:
    """`auto`, `crosshair`, `llm`, or a `provider/model` name such as `ollama/qwen2.5-coder`."""
    if coder == "auto":
        if llm_configured() or model or base_url:
            return [_llm(model or default_model(), base_url), CrossHairCoder()]
        return [CrossHairCoder()]
    if coder == "crosshair":
        return [CrossHairCoder()]
    if coder == "llm":
        return [_llm(model or default_model(), base_url)]
    if "/" in coder:
        return [_llm(coder, base_url)]
    raise GenerationError(
        f"unknown coder {coder!r}: use auto, crosshair, llm or provider/model "
        "(e.g. ollama/qwen2.5-coder)"
    )


def _llm(model: str, base_url: str | None) -> LLMCoder:
    return LLMCoder(ChatClient(ModelSpec.parse(model), base_url=base_url))
