"""Mutant generation and schemata: every operator, and the switch that picks a mutant."""

from __future__ import annotations

import builtins
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from agentic_testgen.evals.mutation import SWITCH, build_schemata


@pytest.fixture
def switch() -> Iterator[None]:
    setattr(builtins, SWITCH, 0)
    yield
    delattr(builtins, SWITCH)


def mutants_of(code: str) -> list[tuple[str, str, str]]:
    return [
        (m.operator, m.original, m.mutated) for m in build_schemata(textwrap.dedent(code)).mutants
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("def f(a, b):\n    return a + b\n", ("arithmetic", "a + b", "a - b")),
        ("def f(a, b):\n    return a < b\n", ("boundary", "a < b", "a <= b")),
        ("def f(a, b):\n    return a == b\n", ("comparison", "a == b", "a != b")),
        ("def f(a, b):\n    return a and b\n", ("boolean", "a and b", "a or b")),
        ("def f(a):\n    return not a\n", ("not", "not a", "a")),
        ("def f():\n    x = 7\n", ("number", "7", "8")),
        ("def f():\n    x = 'hi'\n", ("string", "'hi'", "'XXhiXX'")),
        ("def f():\n    x = True\n", ("true-false", "True", "False")),
        ("def f():\n    x = None\n", ("none", "None", "''")),
        ("def f(a):\n    return a\n", ("return-value", "return a", "return None")),
        ("def f(a):\n    a.append(1)\n", ("remove-call", "a.append(1)", "pass")),
        ("def f():\n    raise ValueError\n", ("remove-raise", "raise ValueError", "pass")),
        ("def f(a):\n    a += 2\n", ("augmented-assignment", "a += 2", "a -= 2")),
        ("def f(a, i):\n    return a[i]\n", ("index", "a[i]", "a[i + 1]")),
        ("def f(a, i):\n    return a[i:]\n", ("slice", "a[i:]", "a[i + 1:]")),
        ("def f(a, j):\n    return a[:j]\n", ("slice", "a[:j]", "a[:j - 1]")),
    ],
)
def test_each_operator_makes_its_mutant(code: str, expected: tuple[str, str, str]) -> None:
    assert expected in mutants_of(code)


def test_docstrings_annotations_and_fstring_text_are_left_alone() -> None:
    found = mutants_of(
        '''
        """Module docstring."""


        def f(x: int = 3) -> str:
            """Function docstring."""
            return f"value {x}"
        '''
    )
    assert found == [("number", "3", "4"), ("return-value", "return f'value {x}'", "return None")]


def test_mutants_are_numbered_in_source_order_and_know_import_time() -> None:
    schemata = build_schemata("LIMIT = 10\n\n\ndef f(x):\n    if x > LIMIT:\n        return 1\n")
    assert [(m.id, m.line, m.import_time) for m in schemata.mutants] == [
        (1, 1, True), (2, 5, False), (3, 6, False), (4, 6, False),
    ]  # fmt: skip
    assert build_schemata("x = 1 + 2\n") == build_schemata("x = 1 + 2\n")


def run(schemata_source: str, mutant_id: int, call: str) -> Any:
    setattr(builtins, SWITCH, mutant_id)
    namespace: dict[str, Any] = {}
    exec(compile(schemata_source, "<schemata>", "exec"), namespace)
    return eval(call, namespace)


@pytest.mark.usefixtures("switch")
def test_the_switch_selects_one_mutant_and_zero_is_the_original() -> None:
    code = textwrap.dedent(
        """
        def price(total, member):
            if member and total >= 100:
                return total - total // 10
            return total
        """
    )
    schemata = build_schemata(code)
    by_mutation = {(m.original, m.mutated): m.id for m in schemata.mutants}
    assert run(schemata.source, 0, "price(200, True)") == 180
    assert run(schemata.source, 0, "price(99, True)") == 99
    boundary = by_mutation[("total >= 100", "total > 100")]
    assert run(schemata.source, boundary, "price(100, True)") == 100
    assert run(schemata.source, 0, "price(100, True)") == 90
    flipped = by_mutation[("member and total >= 100", "member or total >= 100")]
    assert run(schemata.source, flipped, "price(200, False)") == 180
    minus = by_mutation[("total - total // 10", "total + total // 10")]
    assert run(schemata.source, minus, "price(200, True)") == 220


def test_every_mutant_of_a_real_module_compiles() -> None:
    import textwrap as module_under_test

    source = open(module_under_test.__file__).read()  # noqa: SIM115
    schemata = build_schemata(source)
    assert len(schemata.mutants) > 150
    compile(schemata.source, "textwrap_schemata", "exec")
