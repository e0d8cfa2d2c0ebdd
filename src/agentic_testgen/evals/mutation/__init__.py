"""Mutation testing: mutants of a module (Python: compiled into one schemata module; JavaScript
and Java: source-level text mutants), run per mutant."""

from agentic_testgen.evals.mutation._schema import (
    OPERATORS,
    SWITCH,
    Mutant,
    Schemata,
    build_schemata,
    expression_variants,
    statement_variants,
)
from agentic_testgen.evals.mutation._text import TextMutant, apply, text_mutants

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
