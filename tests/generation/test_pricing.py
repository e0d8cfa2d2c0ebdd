"""Model prices: the maintained data (genai-prices, offline), a local override, and a dollar
budget refused for a model whose price nobody knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.generation import GenerationError
from agentic_testgen.generation.llm import Pricing


def test_known_models_are_priced_from_the_maintained_data() -> None:
    pricing = Pricing()
    cost = pricing.cost("openai/gpt-4o-mini", 1_000_000, 1_000_000)
    assert cost is not None and 0.1 < cost < 5  # dollars for a million tokens each way
    assert pricing.knows("anthropic/claude-haiku-4-5")
    assert not pricing.knows("ollama/qwen2.5-coder")


def test_an_override_file_wins_and_prices_a_local_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"openai/gpt-4o-mini": [1, 2], "ollama/qwen2.5-coder": [0, 0]}))
    monkeypatch.setenv("ATG_PRICING_FILE", str(prices))
    pricing = Pricing.load()
    assert pricing.cost("openai/gpt-4o-mini", 1_000_000, 500_000) == pytest.approx(2.0)
    assert pricing.cost("ollama/qwen2.5-coder", 10, 10) == 0.0
    assert pricing.knows("anthropic/claude-haiku-4-5")  # the rest still from the data


def test_a_broken_override_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "prices.json"
    broken.write_text('{"openai/gpt-4o-mini": "cheap"}')
    with pytest.raises(GenerationError, match=r"prices.json: not a pricing file"):
        Pricing.load(broken)


def test_a_dollar_budget_on_an_unpriced_model_is_refused(tmp_path: Path) -> None:
    module = tmp_path / "calc.py"
    module.write_text("def double(x):\n    return 2 * x\n")
    outcome = CliRunner().invoke(
        app,
        ["generate", "--file", str(module), "--coder", "ollama/qwen2.5-coder", "--max-cost", "0.5",
         "--output", str(tmp_path / "test_calc.py")],
        env={"COLUMNS": "300", "ATG_PRICING_FILE": ""},
    )  # fmt: skip
    assert outcome.exit_code == 2
    assert "no price known for ollama/qwen2.5-coder, so --max-cost cannot be enforced" in (
        outcome.output
    )
    assert not (tmp_path / "test_calc.py").exists()
