"""The literals of a module's own source, offered to the probe as inputs: the strings and
numbers the code compares with are the ones that take its branches (a constant pool, as
search-based generators seed theirs)."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.domain import Language
from agentic_testgen.evals.metrics._foreign import parse, walk

MAX_SEEDS = 40
_STRINGS = {"string", "string_literal"}
_NUMBERS = {"number", "decimal_integer_literal", "decimal_floating_point_literal"}


def seed_lines(code: str, language: Language) -> list[str]:
    """`S:text` and `N:number` lines, each literal once, in source order."""
    root = parse(code, language)
    if root is None:
        return []
    found: list[str] = []
    for node in walk(root):
        raw = (node.text or b"").decode("utf-8", "replace")
        key = node.parent is not None and node.parent.type == "pair" and node.prev_sibling is None
        if node.type == "property_identifier" and key:
            line = "S:" + raw  # an object's key: `{ USD: 2 }` names a valid input
        elif node.type in _STRINGS and len(raw) >= 2 and "\n" not in raw:
            line = "S:" + raw[1:-1].replace("\\n", "\\\\n")
        elif node.type in _NUMBERS:
            line = "N:" + raw.rstrip("lLfFdD").replace("_", "")
        else:
            continue
        if line not in found:
            found.append(line)
    return found[:MAX_SEEDS]


def write_seeds(workspace: Path, code: str, language: Language) -> Path:
    path = workspace / "seeds.txt"
    path.write_text("\n".join(seed_lines(code, language)) + "\n", encoding="utf-8")
    return path
