"""The doctest coder: a module's docstring examples, run in the real sandbox, become tests that
pin what the code does now."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation._types import Plan
from agentic_testgen.generation.coders import CoderContext, DoctestCoder
from agentic_testgen.sandbox import get_sandbox
from tests.generation.test_generate import OPTIONS

CODE = textwrap.dedent(
    '''
    """Shapes.

    >>> area(2, 3)
    6
    """
    import collections


    class Box:
        """A box.

        >>> box = Box(2)
        >>> box.side
        2
        >>> box
        Box(2)
        >>> box.grow()
        >>> box.side
        3
        >>> box.side > 2
        True
        >>> box.side in (1, 2)
        False
        >>> Box(-1)
        Traceback (most recent call last):
        ValueError: negative
        """

        def __init__(self, side):
            if side < 0:
                raise ValueError("negative")
            self.side = side

        def __repr__(self):
            return f"Box({self.side})"

        def grow(self):
            self.side += 1


    def area(width, height):
        """The area.

        >>> print(area(1, 1))
        1
        >>> area(2, 2) == 5
        False
        >>> area(1, "x")
        'x'
        >>> object()  # doctest: +ELLIPSIS
        <object object at 0x...>
        >>> collections.Counter("aab")["a"]
        2
        >>> shapes.area(3, 1)  # the package, as a project's conftest gives it to doctest
        3
        """
        return width * height


    def stale(x):
        """An example that no longer holds: the docstring stops there.

        >>> stale(0)
        1
        >>> stale(1)
        2
        """
        return 10 // x
    '''
)
SOURCE = SourceUnit(path="shapes.py", module_name="shapes", code=CODE)


def test_each_example_with_an_outcome_becomes_an_assertion_on_what_the_code_does() -> None:
    context = CoderContext(source=SOURCE, sandbox=get_sandbox("bwrap"), seconds=30)
    candidate = DoctestCoder().generate(Plan(targets=()), context)
    assert candidate.failure == ""
    code = candidate.code
    ast.parse(code)
    assert "assert area(2, 3) == 6" in code
    # the docstring's statements are each later test's set-up
    assert "    box = Box(2)\n    box.grow()\n    assert box.side == 3" in code
    assert "assert repr(box) == 'Box(2)'" in code
    assert "assert box.side > 2\n" in code
    assert "assert box.side not in (1, 2)" in code
    assert "assert area(2, 2) != 5" in code
    assert "with pytest.raises(ValueError):\n        Box(-1)" in code
    assert "assert str(area(1, 1)) == '1'" in code
    assert "assert area(1, 'x') == 'x'" in code
    # an address is no expected value: the call stays as set-up (it may have effects)
    assert "0x" not in code and "assert repr(object())" not in code
    assert "import collections" in code and "from shapes import Box" in code
    assert "import shapes\n" in code and "assert shapes.area(3, 1) == 3" in code
    # a raise the docstring did not document ends its examples: nothing of `stale` is pinned
    assert "stale" not in code


def test_a_module_without_examples_costs_no_sandbox_run() -> None:
    plain = SourceUnit(path="plain.py", module_name="plain", code="def f():\n    return 1\n")
    context = CoderContext(source=plain, sandbox=get_sandbox("bwrap"), seconds=30)
    assert DoctestCoder().generate(Plan(targets=()), context).code == ""


def test_the_examples_alone_give_a_file_the_critic_keeps(tmp_path: Path) -> None:
    result = generate_tests(
        SOURCE, [DoctestCoder()], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=2, max_seconds=120),
    )  # fmt: skip
    assert result.kept_tests >= 3
    assert result.pass_rate == 1.0
    assert result.coverage >= 0.8
    assert not result.failures
