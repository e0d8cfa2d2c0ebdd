"""Chat clients for OpenAI-compatible servers (OpenAI, Ollama, vLLM, LM Studio) and Anthropic.

Both go through the providers' own SDKs, which retry 429 and 5xx answers with backoff (honouring
`retry-after`) and time out; we add cost (`_pricing`) and one clear error when no
provider is reachable.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from agentic_testgen.generation._types import GenerationError, LLMCall
from agentic_testgen.generation.llm._pricing import Pricing
from agentic_testgen.guardrails import scrub
from agentic_testgen.observability.logs import get_logger
from agentic_testgen.observability.tracing import capture_content, span

log = get_logger("llm")

OPENAI_COMPATIBLE = {"openai", "ollama", "vllm", "lmstudio", "openai-compatible"}
DEFAULT_BASE_URLS = {
    "ollama": "http://localhost:11434/v1",
    "vllm": "http://localhost:8000/v1",
    "lmstudio": "http://localhost:1234/v1",
}


@dataclass(frozen=True)
class ModelSpec:
    """`provider/model`, e.g. `openai/gpt-4o-mini`, `ollama/qwen2.5-coder`, `anthropic/...`."""

    provider: str
    model: str

    @classmethod
    def parse(cls, text: str) -> ModelSpec:
        provider, _, model = text.partition("/")
        if not model:
            provider, model = "openai", text
        if provider not in OPENAI_COMPATIBLE | {"anthropic"}:
            known = ", ".join(sorted(OPENAI_COMPATIBLE | {"anthropic"}))
            raise GenerationError(f"unknown provider {provider!r} in {text!r}: use one of {known}")
        return cls(provider, model)

    def __str__(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class Reply:
    text: str
    truncated: bool
    call: LLMCall


class ChatClient:
    """One provider and model; `complete()` sends a system and a user message."""

    def __init__(
        self,
        spec: ModelSpec,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 4,
        pricing: Pricing | None = None,
    ) -> None:
        self.spec = spec
        self.base_url = base_url or DEFAULT_BASE_URLS.get(spec.provider)
        self.pricing = pricing if pricing is not None else Pricing.load()
        if spec.provider == "anthropic":
            import anthropic  # noqa: PLC0415 - only needed for this provider

            self._anthropic = anthropic.Anthropic(
                api_key=api_key or os.environ.get("ANTHROPIC_API_KEY") or "unset",
                base_url=self.base_url,
                timeout=timeout_s,
                max_retries=max_retries,
            )
        else:
            import openai  # noqa: PLC0415

            self._openai = openai.OpenAI(
                api_key=api_key or os.environ.get("OPENAI_API_KEY") or "unset",
                base_url=self.base_url,
                timeout=timeout_s,
                max_retries=max_retries,
            )

    @property
    def priced(self) -> bool:
        """Whether the model's price is known (else its calls are counted at $0)."""
        return self.pricing.knows(str(self.spec))

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return self.pricing.cost(str(self.spec), input_tokens, output_tokens) or 0.0

    def complete(
        self, system: str, prompt: str, *, agent: str = "coder", max_tokens: int = 4096
    ) -> Reply:
        """Send the prompt; raise GenerationError when the provider cannot be reached."""
        with span(f"chat {self.spec.model}", self._request_attributes(max_tokens)) as current:
            if capture_content():
                messages = [{"role": "system", "content": system},
                            {"role": "user", "content": prompt}]  # fmt: skip
                current.set_attribute("gen_ai.input.messages", scrub(json.dumps(messages)))
            reply = self._complete(system, prompt, agent=agent, max_tokens=max_tokens)
            current.set_attributes({
                "gen_ai.usage.input_tokens": reply.call.input_tokens,
                "gen_ai.usage.output_tokens": reply.call.output_tokens,
                "gen_ai.response.finish_reasons": ["length" if reply.truncated else "stop"],
                "atg.cost_usd": reply.call.cost_usd,
            })  # fmt: skip
            if capture_content():
                answer = [{"role": "assistant", "content": reply.text}]
                current.set_attribute("gen_ai.output.messages", scrub(json.dumps(answer)))
            return reply

    def _request_attributes(self, max_tokens: int) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": self.spec.provider,
            "gen_ai.request.model": self.spec.model,
            "gen_ai.request.max_tokens": max_tokens,
        }
        if self.base_url:
            attributes["server.address"] = urlsplit(self.base_url).hostname or self.base_url
        return attributes

    def _complete(self, system: str, prompt: str, *, agent: str, max_tokens: int) -> Reply:
        started = time.monotonic()
        try:
            if self.spec.provider == "anthropic":
                text, truncated, tokens_in, tokens_out = self._ask_anthropic(
                    system, prompt, max_tokens
                )
            else:
                text, truncated, tokens_in, tokens_out = self._ask_openai(
                    system, prompt, max_tokens
                )
        except Exception as error:
            message = _describe(self.spec, self.base_url, error)
            log.warning("llm call failed", extra={"provider": self.spec.provider,
                        "model": self.spec.model, "error": message})  # fmt: skip
            failed = LLMCall(
                agent=agent, provider=self.spec.provider, model=self.spec.model, input_tokens=0,
                output_tokens=0, cost_usd=0.0, latency_s=time.monotonic() - started,
                status="error",
            )  # fmt: skip
            raise GenerationError(message, (failed,)) from None
        call = LLMCall(
            agent=agent,
            provider=self.spec.provider,
            model=self.spec.model,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            cost_usd=self.cost(tokens_in, tokens_out),
            latency_s=time.monotonic() - started,
            status="truncated" if truncated else "ok",
        )
        log.info("llm call", extra={"agent": agent, "provider": call.provider, "model": call.model,
                 "input_tokens": call.input_tokens, "output_tokens": call.output_tokens,
                 "cost_usd": call.cost_usd, "latency_s": round(call.latency_s, 3),
                 "status": call.status})  # fmt: skip
        return Reply(text=text, truncated=truncated, call=call)

    def _ask_openai(self, system: str, prompt: str, max_tokens: int) -> tuple[str, bool, int, int]:
        response: Any = self._openai.chat.completions.create(
            model=self.spec.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            max_tokens=max_tokens,
            temperature=0.2,
        )
        choice = response.choices[0]
        usage = response.usage
        return (
            choice.message.content or "",
            choice.finish_reason == "length",
            getattr(usage, "prompt_tokens", 0) or 0,
            getattr(usage, "completion_tokens", 0) or 0,
        )

    def _ask_anthropic(
        self, system: str, prompt: str, max_tokens: int
    ) -> tuple[str, bool, int, int]:
        response: Any = self._anthropic.messages.create(
            model=self.spec.model,
            system=system,
            messages=[{"role": "user", "content": prompt}],
            max_tokens=max_tokens,
        )
        text = "".join(getattr(block, "text", "") for block in response.content)
        return (
            text,
            response.stop_reason == "max_tokens",
            response.usage.input_tokens,
            response.usage.output_tokens,
        )


def _describe(spec: ModelSpec, base_url: str | None, error: Exception) -> str:
    kind = type(error).__name__
    where = base_url or ("the Anthropic API" if spec.provider == "anthropic" else "the OpenAI API")
    if "Connection" in kind or "Timeout" in kind:
        return (
            f"cannot reach {spec} at {where}: {kind} (is the server running? is --base-url right?)"
        )
    status = getattr(error, "status_code", None)
    message = str(getattr(error, "message", error)).splitlines()[0][:200]
    return f"{spec} at {where} answered {status or kind}: {message}"
