"""Our real LLM clients (the providers' SDKs) against a local server speaking their wire formats."""

from __future__ import annotations

import pytest

from agentic_testgen.generation import GenerationError
from agentic_testgen.generation.coders import extract_code
from agentic_testgen.generation.llm import ChatClient, ModelSpec, Pricing
from tests.generation.fake_provider import (
    anthropic_reply,
    error,
    fake_provider,
    openai_reply,
)

CODE = "```python\nfrom calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n```"
PRICES = Pricing({"openai/gpt-4o-mini": (0.15, 0.60), "anthropic/claude-haiku-4-5": (1.0, 5.0)})


def client(url: str, model: str = "openai/gpt-4o-mini", **kwargs: object) -> ChatClient:
    base = f"{url}/v1" if not model.startswith("anthropic") else url
    return ChatClient(ModelSpec.parse(model), base_url=base, api_key="test-key", pricing=PRICES,
                      **kwargs)  # type: ignore[arg-type]  # fmt: skip


def test_openai_compatible_call_records_tokens_cost_and_latency() -> None:
    with fake_provider(openai_reply(CODE, tokens=(1000, 2000))) as server:
        reply = client(server.url).complete("system text", "user text")
    assert extract_code(reply.text).startswith("from calc import add")
    call = reply.call
    assert (call.provider, call.model, call.input_tokens, call.output_tokens) == (
        "openai", "gpt-4o-mini", 1000, 2000,
    )  # fmt: skip
    assert call.cost_usd == pytest.approx((1000 * 0.15 + 2000 * 0.60) / 1e6)
    assert call.latency_s > 0
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "gpt-4o-mini"
    assert [m["role"] for m in sent["body"]["messages"]] == ["system", "user"]


def test_anthropic_call_uses_the_messages_api() -> None:
    with fake_provider(anthropic_reply(CODE, tokens=(400, 100))) as server:
        reply = client(server.url, "anthropic/claude-haiku-4-5").complete("sys", "user")
    assert "def test_add" in reply.text
    assert reply.call.cost_usd == pytest.approx((400 * 1.0 + 100 * 5.0) / 1e6)
    assert server.requests[0]["path"] == "/v1/messages"
    assert server.requests[0]["body"]["system"] == "sys"


def test_429_with_retry_after_and_500_are_retried() -> None:
    answers = (error(429, "slow down", retry_after="0"), error(500, "oops"), openai_reply(CODE))
    with fake_provider(*answers) as server:
        reply = client(server.url, max_retries=3).complete("s", "u")
    assert len(server.requests) == 3
    assert reply.call.status == "ok"


def test_a_persistent_error_is_one_clear_line() -> None:
    with (
        fake_provider(error(401, "bad key")) as server,
        pytest.raises(GenerationError, match="answered 401") as raised,
    ):
        client(server.url, max_retries=0).complete("s", "u")
    assert "\n" not in str(raised.value)


def test_a_timeout_is_reported_as_unreachable() -> None:
    slow = openai_reply(CODE)
    slow.delay_s = 2.0
    with fake_provider(slow) as server, pytest.raises(GenerationError, match="cannot reach"):
        client(server.url, timeout_s=0.3, max_retries=0).complete("s", "u")


def test_no_server_is_a_clear_error() -> None:
    with pytest.raises(GenerationError, match=r"cannot reach ollama/qwen2.5-coder at http://127"):
        ChatClient(
            ModelSpec.parse("ollama/qwen2.5-coder"),
            base_url="http://127.0.0.1:9/v1",
            max_retries=0,
        ).complete("s", "u")


def test_truncated_output_keeps_the_complete_tests() -> None:
    cut = (
        "```python\nfrom calc import add\n\ndef test_one():\n    assert add(1, 1) == 2\n\n"
        "def test_two():\n    assert add("
    )
    with fake_provider(openai_reply(cut, finish="length")) as server:
        reply = client(server.url).complete("s", "u")
    assert reply.truncated and reply.call.status == "truncated"
    assert (
        extract_code(reply.text)
        == "from calc import add\n\ndef test_one():\n    assert add(1, 1) == 2\n"
    )


def test_unknown_provider_is_refused() -> None:
    with pytest.raises(GenerationError, match="unknown provider 'acme'"):
        ModelSpec.parse("acme/model-1")
