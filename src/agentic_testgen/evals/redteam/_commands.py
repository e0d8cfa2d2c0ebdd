"""Command injection: shell metacharacters in what a user or a dataset hands to atg (module
names, entry ids, file names, suite names), through the real loader, runner and command line.

Each payload would create a marker file if any shell ever ran it: `touch` on a path held in
`ATG_REDTEAM_MARKER`, which is set on the host only while the attack runs (file names cannot
hold the path's slashes). The attack is stopped when the marker never appears; the evidence
says whether the input was refused with an error or handled verbatim.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from agentic_testgen.datasets import DatasetError
from agentic_testgen.evals.redteam._model import adversarial_model
from agentic_testgen.evals.redteam._types import Arena, Verdict
from agentic_testgen.evals.redteam._workspace import (
    CALC,
    CALC_TESTS,
    invoke_atg,
    sandbox_env,
    suite_runner,
)

MARKER_ENV = "ATG_REDTEAM_MARKER"
PAYLOADS = (
    f"; touch ${MARKER_ENV}",
    f"$(touch ${MARKER_ENV})",
    f"`touch ${MARKER_ENV}`",
)


@contextmanager
def _marker(arena: Arena) -> Iterator[Path]:
    """The marker's path, named in the host's environment while the attack runs."""
    marker = arena.root / "marker"
    previous = os.environ.get(MARKER_ENV)
    os.environ[MARKER_ENV] = str(marker)
    try:
        yield marker
    finally:
        if previous is None:
            os.environ.pop(MARKER_ENV, None)
        else:
            os.environ[MARKER_ENV] = previous


def _judge(marker: Path, handled: str) -> Verdict:
    if marker.exists():
        return Verdict.reached([f"a shell ran the payload: {marker} exists"], despite=handled)
    return Verdict(True, "input_check", f"{handled}; no shell ran it (no marker)")


def _importing(module: str) -> str:
    """Tests of `double` that import the module by a name no `import` statement can spell."""
    return (
        f"import importlib\n\ndouble = importlib.import_module({module!r}).double\n\n\n"
        "def test_double_of_two():\n    assert double(2) == 4\n"
    )


def _suite_verdict(
    arena: Arena, dataset_text: str, suffix: str, *, files: dict[str, str]
) -> Verdict:
    """Load a dataset through the real loader and run it as a suite; judge by the marker."""
    with _marker(arena) as marker:
        workspace = arena.root / "ws"
        folder = workspace / "datasets"
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        dataset = folder / f"hostile{suffix}"
        dataset.write_text(dataset_text, encoding="utf-8")
        runner = suite_runner(workspace, arena.sandbox)
        try:
            loaded = runner.load(str(dataset))
            suite, _ = runner.run_suite(loaded, name="redteam", jobs=1)
            results = runner.storage.suite_results(suite.id)
            errors = [error for r in results for error in r.errors]
            handled = f"handled verbatim: {len(results)} entries stored" + (
                f", with errors ({errors[0]})" if errors else ""
            )
        except DatasetError as error:
            handled = f"refused by the loader: {error}".replace(str(arena.root), "<tmp>")
        except Exception as error:  # a crash is not a refusal: it is reported as it is
            handled = f"the suite failed: {type(error).__name__}: {error}"
        finally:
            runner.storage.close()
        return _judge(marker, handled)


def dataset_module_names(arena: Arena) -> Verdict:
    lines = [
        json.dumps({"id": f"calc/{index}", "module_name": f"calc{payload}", "source_code": CALC,
                    "reference_tests_code": _importing(f"calc{payload}")})
        for index, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    return _suite_verdict(arena, "\n".join(lines) + "\n", ".jsonl", files={})


def dataset_entry_ids(arena: Arena) -> Verdict:
    entries = [
        {"id": f"calc{payload}", "module_name": "calc", "source_code": CALC,
         "reference_tests_code": CALC_TESTS}
        for payload in PAYLOADS
    ]  # fmt: skip
    text = json.dumps({"name": "hostile", "entries": entries})  # JSON is YAML
    return _suite_verdict(arena, text, ".yaml", files={})


def dataset_source_paths(arena: Arena) -> Verdict:
    files: dict[str, str] = {}
    entries = []
    for index, payload in enumerate(PAYLOADS):
        module, tests = f"calc{payload}.py", f"test_calc{payload}.py"
        files[module], files[tests] = CALC, CALC_TESTS
        entries.append({"id": f"calc/{index}", "source": module, "module_name": "calc",
                        "reference_tests": tests})  # fmt: skip
    text = json.dumps({"name": "hostile", "entries": entries})
    return _suite_verdict(arena, text, ".yaml", files=files)


def _cli_verdict(
    arena: Arena, command: str, commands: Callable[[Path], list[list[str]]]
) -> Verdict:
    """Run `atg` commands in the attack's directory; judge by the marker."""
    with _marker(arena) as marker:
        folder = arena.root / "cli"
        folder.mkdir()
        statuses: list[str] = []
        errors: list[str] = []
        for args in commands(folder):
            run = invoke_atg(args, env=sandbox_env(arena.sandbox))
            statuses.append(str(run.exit_code))
            if run.first_error():
                errors.append(run.first_error().replace(str(folder), "<tmp>"))
        said = f" ({_shorten(errors[0])})" if errors else " (handled verbatim)"
        return _judge(marker, f"atg {command}: exit {', '.join(statuses)}{said}")


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def eval_file_hostile_names(arena: Arena) -> Verdict:
    def commands(folder: Path) -> list[list[str]]:
        found = []
        for payload in PAYLOADS:
            source, tests = folder / f"x{payload}.py", folder / f"test_x{payload}.py"
            source.write_text(CALC)
            tests.write_text(_importing(f"x{payload}"))
            found.append(["eval", "file", "--source", str(source), "--tests", str(tests),
                          "--reruns", "0", "--no-mutation", "--sandbox", arena.sandbox.name,
                          "--json", str(folder / f"out{payload}.json")])  # fmt: skip
        return found

    return _cli_verdict(arena, "eval file", commands)


def generate_hostile_file_name(arena: Arena) -> Verdict:
    with adversarial_model() as url:

        def commands(folder: Path) -> list[list[str]]:
            found = []
            for index, payload in enumerate(PAYLOADS):
                source = folder / f"x{payload}.py"
                source.write_text('def double(x):\n    """>>> double(2)\n    4\n    """\n'
                                  "    return 2 * x\n")  # fmt: skip
                found.append(["generate", "--file", str(source), "--coder", "openai/redteam",
                              "--base-url", url, "--max-iterations", "1", "--max-seconds", "60",
                              "--output", str(folder / f"test_out_{index}.py")])  # fmt: skip
            return found

        return _cli_verdict(arena, "generate", commands)


def suite_name_and_workspace(arena: Arena) -> Verdict:
    def commands(folder: Path) -> list[list[str]]:
        dataset = folder / "tiny.yaml"
        dataset.write_text(json.dumps({"name": f"tiny{PAYLOADS[1]}", "entries": [
            {"id": "calc", "module_name": "calc", "source_code": CALC,
             "reference_tests_code": CALC_TESTS}]}))  # fmt: skip
        return [
            ["eval", "run", "--dataset", str(dataset), "--workspace", str(folder / f"ws{payload}"),
             "--name", f"nightly{payload}", "--jobs", "1", "--reruns", "0", "--no-mutation",
             "--sandbox", arena.sandbox.name]
            for payload in PAYLOADS
        ]  # fmt: skip

    return _cli_verdict(arena, "eval run", commands)
