"""Mutation testing: mutants of a module (Python: compiled into one schemata module; JavaScript
and Java: source-level text mutants), run per mutant."""

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports
from agentic_testgen.evals.mutation._schema import (
    OPERATORS,
    SWITCH,
    Mutant,
    Schemata,
    build_schemata,
    expression_variants,
    statement_variants,
)

if TYPE_CHECKING:
    from agentic_testgen.evals.mutation._text import TextMutant, apply, text_mutants

# Imported on first use: the text mutants parse with tree-sitter (through the metrics package),
# which a Python evaluation does not need before its run starts.
_TEXT = "agentic_testgen.evals.mutation._text"
__getattr__ = lazy_exports(__name__, {"TextMutant": _TEXT, "apply": _TEXT, "text_mutants": _TEXT})

__all__ = [
    "OPERATORS",
    "SWITCH",
    "Mutant",
    "Schemata",
    "TextMutant",
    "apply",
    "build_schemata",
    "expression_variants",
    "statement_variants",
    "text_mutants",
]
