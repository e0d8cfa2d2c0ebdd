"""The planner before anything ran: every function is a target, the one with most statements
to cover first, whatever the length of its docstring."""

from __future__ import annotations

from agentic_testgen.domain import Language, SourceUnit
from agentic_testgen.generation._planner import plan

MODULE = '''
def documented(x):
    """A long docstring.

    Args:
        x: a number.

    Returns:
        The number, unchanged.
    """
    return x


def branchy(x):
    if x < 0:
        return -x
    if x == 0:
        return 0
    return x
'''


def test_the_first_plan_orders_functions_by_statements_not_by_lines() -> None:
    source = SourceUnit(path="m.py", code=MODULE, module_name="m", language=Language.PYTHON)
    targets = plan(source).targets
    assert [t.qualname for t in targets] == ["branchy", "documented"]
    assert targets[0].missing_lines == (15, 16, 17, 18, 19)
    assert targets[1].missing_lines == (11,)  # the return; not the docstring, not the def
