"""LLM providers behind one chat client, with a pricing table."""

from agentic_testgen.generation.llm._client import (
    PRICING_FILE,
    ChatClient,
    ModelSpec,
    Reply,
    load_pricing,
)

__all__ = ["PRICING_FILE", "ChatClient", "ModelSpec", "Reply", "load_pricing"]
