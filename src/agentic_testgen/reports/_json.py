"""JSON report: the `EvalResult` as versioned JSON (see `RESULT_SCHEMA_VERSION`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentic_testgen.domain import EvalResult


def result_json(result: EvalResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def write_json(result: EvalResult, path: Path) -> None:
    """Write `result` to `path` (parent directories are created), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(result_json(result), indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def result_schema() -> dict[str, Any]:
    """JSON Schema of the serialized `EvalResult`."""
    return EvalResult.model_json_schema(mode="serialization")
