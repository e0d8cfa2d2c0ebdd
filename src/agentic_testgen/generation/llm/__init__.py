"""LLM providers behind one chat client, priced from maintained data with a local override."""

from agentic_testgen.generation.llm._client import ChatClient, ModelSpec, Reply
from agentic_testgen.generation.llm._pricing import PRICING_FILE_ENV, Pricing

__all__ = ["PRICING_FILE_ENV", "ChatClient", "ModelSpec", "Pricing", "Reply"]
