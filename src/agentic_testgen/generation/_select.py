"""Choose the coders for `--coder`: auto (an LLM when one is configured, else offline), by name."""

from __future__ import annotations

import os

from agentic_testgen.domain import Language
from agentic_testgen.generation._types import GenerationError
from agentic_testgen.generation.coders import (
    CharacterizationCoder,
    Coder,
    CrossHairCoder,
    DoctestCoder,
    GhostwriterCoder,
    LLMCoder,
    PynguinCoder,
    Unavailable,
    locate_pynguin,
)
from agentic_testgen.generation.llm import ChatClient, ModelSpec


def offline_coders(pynguin: str | None = None) -> list[Coder]:
    """The module's docstring examples (seconds, so first), CrossHair, then Pynguin (from the
    `pynguin` setting, `ATG_PYNGUIN` or the environment `atg setup pynguin` made), then
    Hypothesis' ghostwriter. A Pynguin that is not there stays in the set as a coder that says
    so and how to get it."""
    coders: list[Coder] = [DoctestCoder(), CrossHairCoder()]
    try:
        coders.append(PynguinCoder(locate_pynguin(pynguin)))
    except GenerationError as missing:
        coders.append(Unavailable("pynguin", str(missing)))
    coders.append(GhostwriterCoder())
    return coders


def llm_configured() -> bool:
    return any(os.environ.get(n) for n in ("ATG_LLM_MODEL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"))


def default_model() -> str:
    if os.environ.get("ATG_LLM_MODEL"):
        return os.environ["ATG_LLM_MODEL"]
    if os.environ.get("ANTHROPIC_API_KEY") and not os.environ.get("OPENAI_API_KEY"):
        return "anthropic/claude-haiku-4-5"
    return "openai/gpt-4o-mini"


PYTHON_ONLY = ("crosshair", "pynguin", "ghostwriter", "doctest")


def choose_coders(  # noqa: PLR0911 - one return per choice
    coder: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    pynguin: str | None = None,
    language: Language = Language.PYTHON,
) -> list[Coder]:
    """`auto`, `crosshair`, `llm`, or a `provider/model` name such as `ollama/qwen2.5-coder`.

    `pynguin` is the `pynguin` setting (an executable or an environment), if any. For a
    JavaScript or Java module the offline coder is the characterization probe, and the LLM
    coder writes that language's tests.
    """
    if language != Language.PYTHON:
        return _foreign_coders(coder, model=model, base_url=base_url, language=language)
    if coder == "auto":
        if llm_configured() or model or base_url:
            return [_llm(model or default_model(), base_url), *offline_coders(pynguin)]
        return offline_coders(pynguin)
    if coder == "offline":
        return offline_coders(pynguin)
    if coder == "crosshair":
        return [CrossHairCoder()]
    if coder == "pynguin":
        return [PynguinCoder(configured=pynguin)]
    if coder == "ghostwriter":
        return [GhostwriterCoder()]
    if coder == "doctest":
        return [DoctestCoder()]
    if coder == "llm":
        return [_llm(model or default_model(), base_url)]
    if "/" in coder:
        return [_llm(coder, base_url)]
    raise GenerationError(
        f"unknown coder {coder!r}: use auto, offline, doctest, crosshair, pynguin, ghostwriter, "
        "llm or provider/model (e.g. ollama/qwen2.5-coder)"
    )


def _foreign_coders(
    coder: str, *, model: str | None, base_url: str | None, language: Language
) -> list[Coder]:
    if coder in PYTHON_ONLY:
        raise GenerationError(
            f"--coder {coder} writes Python tests; for a {language.value} module use auto, "
            "offline, llm or provider/model"
        )
    if coder == "offline" or (coder == "auto" and not (llm_configured() or model or base_url)):
        return [CharacterizationCoder()]
    if coder == "auto":
        return [_llm(model or default_model(), base_url), CharacterizationCoder()]
    return choose_coders(coder, model=model, base_url=base_url)


def _llm(model: str, base_url: str | None) -> LLMCoder:
    return LLMCoder(ChatClient(ModelSpec.parse(model), base_url=base_url))


def refuse_unpriced(coders: list[Coder]) -> None:
    """A dollar budget needs every model's price: refuse a model whose price is unknown.

    Raises:
        GenerationError: one line naming the model and how to price it.
    """
    for coder in coders:
        if isinstance(coder, LLMCoder) and not coder.client.priced:
            model = coder.client.spec
            raise GenerationError(
                f"no price known for {model}, so --max-cost cannot be enforced: give its price "
                f'in a file named by ATG_PRICING_FILE ({{"{model}": [input, output]}} in dollars '
                "per million tokens; [0, 0] for a local model)"
            )
