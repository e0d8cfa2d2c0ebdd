"""What a model call costs, in US dollars.

Prices come from a local override first (a JSON file named by `ATG_PRICING_FILE`:
`{"provider/model": [input, output]}` in dollars per million tokens — for a model the maintained
data lacks, a negotiated rate, or `[0, 0]` for a local model), else from the price data
`genai-prices` maintains and ships (pinned in the dependencies, read offline). A model found in
neither is unpriced: its calls cost 0 and are reported so, and a budget in dollars cannot be
enforced on it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from agentic_testgen.generation._types import GenerationError

PRICING_FILE_ENV = "ATG_PRICING_FILE"


@dataclass(frozen=True)
class Pricing:
    """Per-million-token prices that override the maintained data, by `provider/model`."""

    overrides: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Pricing:
        """The override file `path`, else the one `ATG_PRICING_FILE` names, else none.

        Raises:
            GenerationError: the file cannot be read or is not shaped like the documented one.
        """
        named = path or (
            Path(os.environ[PRICING_FILE_ENV]) if os.environ.get(PRICING_FILE_ENV) else None
        )
        if named is None:
            return cls()
        try:
            data = json.loads(named.read_text(encoding="utf-8"))
            overrides = {
                str(name): (float(prices[0]), float(prices[1]))
                for name, prices in data.items()
                if not str(name).startswith("_")
            }
        except (OSError, ValueError, TypeError, IndexError, AttributeError) as error:
            raise GenerationError(
                f'{named}: not a pricing file ({{"provider/model": [input, output]}} in '
                f"dollars per million tokens): {error}"
            ) from None
        return cls(overrides)

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float | None:
        """The dollars of one call to `model` (`provider/model`); None when it is unpriced."""
        if model in self.overrides:
            per_input, per_output = self.overrides[model]
            return (input_tokens * per_input + output_tokens * per_output) / 1_000_000
        return _maintained(model, input_tokens, output_tokens)

    def knows(self, model: str) -> bool:
        return self.cost(model, 0, 0) is not None


def _maintained(model: str, input_tokens: int, output_tokens: int) -> float | None:
    from genai_prices import Usage, calc_price  # noqa: PLC0415 - only when a model is priced

    provider, _, name = model.partition("/")
    try:
        price = calc_price(
            Usage(input_tokens=input_tokens, output_tokens=output_tokens),
            model_ref=name,
            provider_id=provider,
        )
    except LookupError:  # a provider or model the data does not list
        return None
    return float(price.total_price)
