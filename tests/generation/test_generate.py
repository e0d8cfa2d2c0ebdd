"""The agents end to end: real CrossHair, a scripted LLM, the real critic and sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, TestFile, generate_tests, review
from agentic_testgen.generation.coders import (
    CrossHairCoder,
    GhostwriterCoder,
    LLMCoder,
    PynguinCoder,
)
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply

MODULE = SourceUnit(
    path="calc.py",
    module_name="calc",
    code=(
        "def sign(x):\n    if x > 0:\n        return 1\n    if x < 0:\n        return -1\n"
        "    return 0\n"
    ),
)
OPTIONS = RunOptions(reruns=2, test_timeout_s=5.0, mutation=False)


def test_the_critic_keeps_passing_stable_tests_that_add_coverage() -> None:
    tests = TestFile()
    tests.add(
        "from calc import sign\n\n"
        "def test_positive():\n    assert sign(5) == 1\n\n"
        "def test_positive_again():\n    assert sign(7) == 1\n\n"
        "def test_wrong():\n    assert sign(-1) == 1\n\n"
        # would pass in exactly one of the runs (they share the workspace), but a test may not
        # write beside the test file: refused before it runs
        "def test_coin():\n    import os, pathlib\n    assert sign(0) == 0\n"
        "    marker = pathlib.Path(__file__).with_name('first-run')\n"
        "    os.close(os.open(marker, os.O_CREAT | os.O_EXCL))\n\n"
        "def test_no_module():\n    assert 1 + 1 == 2\n"
    )
    verdict = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_positive",)
    assert verdict.dropped["test_positive_again"] == "adds no coverage the kept tests lack"
    assert verdict.dropped["test_wrong"].startswith("failed: assert -1 == 1")
    assert verdict.dropped["test_no_module"] == "never calls the module under test"
    assert verdict.dropped["test_coin"] == (
        "breaks policy [filesystem]: calls os.open() outside its temporary directory at line 5"
    )
    assert verdict.policy == (f"test_coin: {verdict.dropped['test_coin']}",)
    # what the next coder is told
    assert f"test_coin: {verdict.dropped['test_coin']}" in verdict.feedback


def test_the_critic_keeps_a_test_that_adds_no_coverage_but_kills_a_mutant() -> None:
    adult = SourceUnit(
        path="age.py", module_name="age", code="def is_adult(age):\n    return age >= 18\n"
    )
    tests = TestFile()
    tests.add("from age import is_adult\n\ndef test_thirty_is_adult():\n    assert is_adult(30)\n")
    first = review(adult, tests, [], get_sandbox("bwrap"), OPTIONS)
    tests.add(
        "from age import is_adult\n\n"
        "def test_seventeen_is_not_adult():\n    assert not is_adult(17)\n\n"
        "def test_eighteen_is_adult():\n    assert is_adult(18)\n"
    )
    second = review(
        adult, tests, list(first.kept), get_sandbox("bwrap"), OPTIONS, kill_mutants=True
    )
    # 18 kills `age >= 18` -> `age > 18`; 17 kills nothing 30 does not
    assert "test_eighteen_is_adult" in second.kept
    assert second.dropped["test_seventeen_is_not_adult"] == "adds no coverage the kept tests lack"


def test_crosshair_alone_covers_a_small_module() -> None:
    outcome = generate_tests(
        MODULE, [CrossHairCoder()], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=2, max_seconds=120),
    )  # fmt: skip
    assert outcome.coverage == 1.0
    assert outcome.pass_rate == 1.0
    assert "from calc import sign" in outcome.code
    assert outcome.agents["coder"].iterations >= 1


def test_pynguin_runs_from_its_own_environment_and_covers_a_small_module(pynguin: Path) -> None:
    outcome = generate_tests(
        MODULE, [PynguinCoder(pynguin)], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=1, max_seconds=120),
    )  # fmt: skip
    assert outcome.proposed_tests > 0
    assert outcome.pass_rate == 1.0
    assert outcome.coverage >= 0.5  # seed 0 finds the positive and zero paths


def test_an_llm_round_sees_the_critics_feedback() -> None:
    first = (
        "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n\n"
        "def test_bad():\n    assert sign(3) == 2\n```"
    )
    second = (
        "```python\nfrom calc import sign\n\ndef test_down():\n    assert sign(-3) == -1\n\n"
        "def test_zero():\n    assert sign(0) == 0\n```"
    )
    with fake_provider(openai_reply(first), openai_reply(second)) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        outcome = generate_tests(
            MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=3, max_seconds=120),
        )  # fmt: skip
        second_prompt = server.requests[1]["body"]["messages"][1]["content"]
    assert "test_bad: failed" in second_prompt
    assert outcome.dropped["test_bad"].startswith("failed: assert 1 == 2")
    assert outcome.coverage == 1.0
    assert outcome.kept_tests == 3
    assert len(outcome.calls) == 2
    assert outcome.tokens == 2 * 200


def test_the_cost_budget_stops_the_rounds() -> None:
    code = "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n```"
    with fake_provider(openai_reply(code, tokens=(10**6, 10**6))) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        outcome = generate_tests(
            MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=5, max_cost_usd=0.5),
        )  # fmt: skip
    assert len(outcome.calls) == 1
    assert "stopped by the budget" in outcome.notes


def test_atg_generate_writes_a_passing_test_file(tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "calc.py").write_text(MODULE.code)
    result = CliRunner().invoke(
        app, ["generate", "--file", str(tmp_path / "calc.py"), "--coder", "crosshair",
              "--output", str(tmp_path / "tests/test_calc.py")],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "coverage 100.0%" in result.output
    assert "from calc import sign\n" in (tmp_path / "tests/test_calc.py").read_text()


def test_unknown_coder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "calc.py").write_text(MODULE.code)
    result = CliRunner().invoke(app, ["generate", "--file", str(tmp_path / "calc.py"),
                                      "--coder", "magic"])  # fmt: skip
    assert result.exit_code == 2
    assert "unknown coder 'magic'" in result.output


def test_ghostwriters_assertion_free_fuzz_test_is_not_kept() -> None:
    typed = SourceUnit(
        path="typed.py",
        module_name="typed",
        code="def double(x: int) -> int:\n    return 2 * x\n",
    )
    outcome = generate_tests(
        typed, [GhostwriterCoder()], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=1, max_seconds=60),
    )  # fmt: skip
    # `test_fuzz_double` calls double and checks nothing
    assert outcome.proposed_tests == 1
    assert outcome.code == ""


def test_the_critic_drops_a_test_that_checks_nothing_with_the_reason() -> None:
    tests = TestFile()
    tests.add(
        "from calc import sign\n\n"
        "def test_calls_only():\n    sign(5)\n\n"
        "def check_positive(x):\n    assert sign(x) == 1\n\n"
        "def test_through_a_checking_helper():\n    check_positive(5)\n"
    )
    verdict = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.dropped == {"test_calls_only": "checks nothing: no assertion"}
    assert verdict.kept == ("test_through_a_checking_helper",)


def test_a_provider_failure_mid_generation_keeps_the_calls_already_made() -> None:
    from agentic_testgen.generation import GenerationError
    from tests.generation.fake_provider import error

    partial = "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n```"
    with fake_provider(openai_reply(partial), error(401, "key revoked")) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        with pytest.raises(GenerationError, match="answered 401") as raised:
            generate_tests(MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
                           budget=Budget(max_iterations=3, max_seconds=120))  # fmt: skip
    assert [call.status for call in raised.value.calls] == ["ok", "error"]
    assert raised.value.calls[0].input_tokens == 120
