"""Runs the module's docstring examples and reports what each one does, as JSON on stdout.

Executed inside the sandbox with the module importable (`python -c <this file's text> MODULE`),
so it imports nothing of atg. Examples run in order in a copy of the module's namespace, as
doctest runs them; what is reported is what the code does now (its value, its printed text, the
exception it raises), not what the docstring says: the examples are inputs a person chose, the
observed behaviour is what a regression test pins. A docstring stops at its first example that
raises where no exception was documented: what follows depends on it.
"""

import ast
import builtins
import contextlib
import doctest
import importlib
import io
import json
import signal
import sys
import types
from typing import Any

Step = dict[str, Any]

MARKER = "--- atg doctest probe ---"
SECONDS_PER_EXAMPLE = 2


class _Slow(BaseException):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Slow


def _literal(value: object) -> str | None:
    """The value's repr when it reads back as an equal value of the same type, else None."""
    text = repr(value)
    try:
        back = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text if type(back) is type(value) and back == value else None


def _reference(obj: type, module: types.ModuleType) -> tuple[str, str]:
    """How a test names the class `obj`: (expression, import statement or "")."""
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", ""))
    if getattr(builtins, name, None) is obj:
        return name, ""
    if module.__dict__.get(name) is obj:
        return name, f"from {module.__name__} import {name}"
    owner = getattr(obj, "__module__", "") or ""
    if owner and "." not in name and "<" not in name:
        return f"{owner}.{name}", f"import {owner}"
    return "", ""


def _imports_for(source: str, module: types.ModuleType, namespace: dict[str, Any]) -> list[str]:
    """Import statements for the names an example reads from the module's namespace (or a
    module the example needed that the docstring takes for granted)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
            continue
        name = node.id
        value = namespace.get(name)
        if hasattr(builtins, name) or (
            name not in module.__dict__ and not isinstance(value, types.ModuleType)
        ):
            continue
        if not isinstance(value, types.ModuleType):
            found.append(f"from {module.__name__} import {name}")
            continue
        package, _, last = value.__name__.rpartition(".")
        if last != name:
            found.append(f"import {value.__name__} as {name}")
        elif package:
            found.append(f"from {package} import {name}")
        else:
            found.append(f"import {name}")
    return found


def _print_argument(tree: ast.Module) -> str | None:
    """`print(x)` with one positional argument: the argument's source, else None."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "print"
        and len(call.args) == 1
        and not call.keywords
        and not isinstance(call.args[0], ast.Starred)
    ):
        return ast.unparse(call.args[0])
    return None


def _run(
    example: doctest.Example, namespace: dict[str, Any], module: types.ModuleType
) -> Step | None:
    """One example: what it did, as a step record (or None to stop the docstring here)."""
    source = example.source.strip()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    expression = len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
    try:
        value, printed = _execute(source, expression, namespace)
    except _Slow:
        return None
    except Exception as error:
        return _raised(example, source, error, module, namespace)
    step: Step = {"source": source, "imports": _imports_for(source, module, namespace)}
    return {**step, **_outcome(tree, expression, value, printed)}


def _execute(source: str, expression: bool, namespace: dict[str, Any]) -> tuple[object, str]:
    """Run one example: its value (None for a statement) and what it printed.

    A name the docstring takes for granted (its package, given to doctest by the project's
    conftest) is imported once, and the example run again.
    """
    for attempt in range(2):
        printed = io.StringIO()
        signal.alarm(SECONDS_PER_EXAMPLE)
        try:
            with contextlib.redirect_stdout(printed):
                if expression:
                    return eval(compile(source, "<example>", "eval"), namespace), printed.getvalue()
                exec(compile(source, "<example>", "exec"), namespace)
                return None, printed.getvalue()
        except NameError as error:
            if attempt or not error.name or not _import_into(namespace, error.name):
                raise
        finally:
            signal.alarm(0)
    raise AssertionError("unreachable")


def _import_into(namespace: dict[str, Any], name: str) -> bool:
    try:
        namespace[name] = importlib.import_module(name)
    except Exception:
        return False
    return True


def _raised(
    example: doctest.Example,
    source: str,
    error: Exception,
    module: types.ModuleType,
    namespace: dict[str, Any],
) -> Step | None:
    if example.exc_msg is None:
        return None  # not documented: the docstring is stale from here on
    expression, statement = _reference(type(error), module)
    if not expression:
        return None
    imports = [*_imports_for(source, module, namespace), *([statement] if statement else [])]
    return {"kind": "raises", "source": source, "exception": expression, "imports": imports}


def _outcome(tree: ast.Module, expression: bool, value: object, printed: str) -> Step:
    """What to check of an example that ran: its kind, and the value or text expected."""
    if not expression or (value is None and not printed):
        return {"kind": "statement"}
    if value is None:
        argument = _print_argument(tree)
        return (
            {"kind": "statement"} if argument is None
            else {"kind": "prints", "source": argument, "text": printed.removesuffix("\n")}
        )  # fmt: skip
    if isinstance(value, bool):
        return {"kind": "is", "value": repr(value)}
    literal = _literal(value)
    if literal is not None:
        return {"kind": "equals", "value": literal}
    shown = repr(value)
    if " at 0x" in shown or " object at " in shown:
        return {"kind": "statement"}
    return {"kind": "repr", "value": shown}


def main() -> None:
    module = importlib.import_module(sys.argv[1])
    signal.signal(signal.SIGALRM, _alarm)
    docstrings = []
    for test in doctest.DocTestFinder(exclude_empty=True).find(module):
        steps = []
        for example in test.examples:
            if example.options.get(doctest.SKIP):
                continue
            step = _run(example, test.globs, module)
            if step is None:
                break
            steps.append(step)
        if steps:
            docstrings.append({"name": test.name, "line": test.lineno or 0, "steps": steps})
        test.globs.clear()
    sys.stdout.write(MARKER + "\n" + json.dumps(docstrings) + "\n")


main()
