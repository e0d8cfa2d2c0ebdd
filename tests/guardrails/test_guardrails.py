"""Guardrails in generation: a model never sees the module's secrets; tests with one are refused."""

from __future__ import annotations

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation.coders import LLMCoder
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.guardrails import check
from agentic_testgen.observability import rollups
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply
from tests.generation.test_generate import OPTIONS

KEY = "sk-proj-" + "q" * 40
MODULE = SourceUnit(
    path="client.py",
    module_name="client",
    code=f'API_KEY = "{KEY}"  # owner: ops@example.com\n\ndef double(x):\n    return 2 * x\n',
)
LEAKY = (
    "```python\nfrom client import double\n\n"
    f"def test_d():\n    assert double(2) == 4  # {KEY}\n```"
)


def generate(*replies: str) -> tuple[list[str], object]:
    with fake_provider(*(openai_reply(reply) for reply in replies)) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        outcome = generate_tests(MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
                                 budget=Budget(max_iterations=2, max_seconds=60))  # fmt: skip
        prompts = [request["body"]["messages"][1]["content"] for request in server.requests]
    return prompts, outcome


def test_the_model_sees_the_module_redacted_and_tests_with_a_secret_are_refused() -> None:
    prompts, outcome = generate(LEAKY)
    assert KEY not in prompts[0] and "ops@example.com" not in prompts[0]
    assert "[REDACTED:openai_key]" in prompts[0] and "def double" in prompts[0]
    assert "tests refused, they carry a credential" in outcome.notes[0]  # type: ignore[attr-defined]
    assert outcome.kept_tests == 0 and outcome.code == ""  # type: ignore[attr-defined]
    records = outcome.guardrails  # type: ignore[attr-defined]
    increments = rollups.merge(
        i for record in records for i in rollups.for_guardrail_check(**record)
    )
    totals = {(i.family, i.labels): i.amount for i in increments}
    assert totals[("guardrails_checks_total", (("type", "secrets"),))] == 2  # input + output
    assert totals[("guardrails_blocks_total", (("type", "secrets"),))] == 1
    assert totals[("guardrails_violations_total", (("type", "pii"), ("severity", "medium")))] == 1


def test_inputs_are_redacted_not_blocked() -> None:
    verdict = check(f"key = '{KEY}'", "input")
    assert verdict.allowed and KEY not in verdict.redacted
    assert [r["findings"] for r in verdict.records()] == [1, 0]
