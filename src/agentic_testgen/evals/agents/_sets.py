"""The agent evaluators' labeled sets: package data under `agents/sets/<evaluator>/`, a
manifest of one JSON object a line beside the files it names, every line validated."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from agentic_testgen.evals.safety import SetError

Case = TypeVar("Case", bound=BaseModel)
MANIFEST = "cases.jsonl"


def set_folder() -> Traversable:
    """`agents/sets/`: a folder per evaluator (a coder case may name a planner module)."""
    return resources.files("agentic_testgen.evals.agents") / "sets"


def read_manifest(evaluator: str) -> str:
    """The shipped manifest of `evaluator`'s set."""
    path = set_folder() / evaluator / MANIFEST
    if not path.is_file():
        raise SetError(f"sets/{evaluator}/{MANIFEST}: not shipped with the package (reinstall atg)")
    return path.read_text("utf-8")


def read_set_file(relative: str) -> str:
    """A file of the sets, by its path under `sets/` (`planner/money.py`)."""
    return set_folder().joinpath(*relative.split("/")).read_text("utf-8")


def parse_manifest(model: type[Case], text: str, where: str) -> list[tuple[int, Case]]:
    """Each non-blank line of `text` as a `model`, with its line number.

    Raises:
        SetError: `where:line: field: problem` for the first line that is not one.
    """
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append((number, model.model_validate(json.loads(line))))
        except json.JSONDecodeError as error:
            raise SetError(f"{where}:{number}: not JSON: {error.msg}") from None
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "line"
            raise SetError(f"{where}:{number}: {field}: {first['msg']}") from None
    return cases


def check_files(number: int, where: str, files: dict[str, str | None]) -> None:
    """Every file a manifest line names (`{field: path under sets/}`) is shipped."""
    for name, relative in files.items():
        if relative is not None and not set_folder().joinpath(*relative.split("/")).is_file():
            raise SetError(f"{where}:{number}: {name}: no file sets/{relative}")


def check_unique(numbered: list[tuple[int, Case]], where: str) -> None:
    """No two lines share an `id`."""
    seen: dict[str, int] = {}
    for number, case in numbered:
        identifier = str(getattr(case, "id", ""))
        if identifier in seen:
            first = seen[identifier]
            raise SetError(f"{where}:{number}: id: {identifier!r} already on line {first}")
        seen[identifier] = number
