"""Mutation testing: mutants of a module compiled into one schemata module, run per mutant."""

from agentic_testgen.evals.mutation._schema import (
    OPERATORS,
    SWITCH,
    Mutant,
    Schemata,
    build_schemata,
    expression_variants,
    statement_variants,
)

__all__ = [
    "OPERATORS",
    "SWITCH",
    "Mutant",
    "Schemata",
    "build_schemata",
    "expression_variants",
    "statement_variants",
]
