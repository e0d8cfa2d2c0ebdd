"""`atg eval changed`: evaluate the test files and modules among changed files (pre-commit)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail

if TYPE_CHECKING:
    from agentic_testgen.integrations._targets import Target, Untargeted

EXIT_BELOW = 1


def _tests_of(module: Path) -> "list[Target]":
    """The project's test files that import `module` (searched in its tests directory)."""
    from agentic_testgen.integrations._targets import (  # noqa: PLC0415 - imported when it runs
        is_test_file,
        modules_under_test,
    )
    from agentic_testgen.projects import ProjectError, find_project  # noqa: PLC0415

    try:
        project = find_project(module)
    except ProjectError:
        return []
    places = [project.tests_dir] if project.tests_dir else [module.parent]
    module = module.resolve()
    found: list[Target] = []
    for place in places:
        for candidate in sorted(place.rglob("*.py")):
            if not is_test_file(candidate):
                continue
            targets = modules_under_test(candidate, loaded={})
            if isinstance(targets, list):
                found += [target for target in targets if target.module == module]
    return found


def targets_for_changes(paths: list[Path]) -> "tuple[list[Target], list[Untargeted]]":
    """(test file, module) pairs touched by the changed `paths`: a changed test file with the
    modules it imports, a changed module with the test files that import it."""
    from agentic_testgen.integrations._targets import (  # noqa: PLC0415 - imported when it runs
        Untargeted,
        is_test_file,
        modules_under_test,
    )

    targets: dict[tuple[Path, Path], Target] = {}
    untargeted: list[Untargeted] = []
    for path in paths:
        if path.suffix != ".py" or not path.is_file() or path.name == "conftest.py":
            continue
        if is_test_file(path):
            found = modules_under_test(path, loaded={})
        else:
            found = _tests_of(path) or Untargeted(path, "no test file imports it")
        if isinstance(found, Untargeted):
            untargeted.append(found)
            continue
        for target in found:
            targets.setdefault((target.tests, target.module), target)
    return list(targets.values()), untargeted


def _shown(path: Path, base: Path) -> Path:
    return path.relative_to(base) if path.is_relative_to(base) else path


def eval_changed(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Changed files: test files and/or modules.")
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            min=0,
            max=1,
            help="Exit with status 1 when a score is below this [default: scoring.fail_under].",
        ),
    ] = None,
    mutation: Annotated[
        bool, typer.Option("--mutation/--no-mutation", help="Run mutation testing.")
    ] = True,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the results as JSON to this file.")
    ] = None,
) -> None:
    """Evaluate the changed test files against their modules, and the changed modules against
    the test files that import them (each pair once); for pre-commit hooks."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.text import Text  # noqa: PLC0415

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.integrations._batch import (  # noqa: PLC0415
        batch_json,
        evaluate_targets,
        goal_line,
        table_lines,
        write_batch_json,
    )

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False)
    if fail_under is None:
        try:
            fail_under = load_settings().scoring.fail_under
        except USER_ERRORS as error:
            raise fail(str(error), err) from None
    targets, untargeted = targets_for_changes(list(paths or []))
    base = Path.cwd().resolve()
    for item in untargeted:
        err.print(Text(f"warning: {item.tests}: {item.reason}; not evaluated", "yellow"))
    if not targets:
        out.print("atg: no changed test file or module to evaluate")
        return
    evaluations = evaluate_targets(
        targets,
        mutation=None if mutation else False,
        on_start=lambda target: err.print(
            f"evaluating {_shown(target.tests, base)} against {target.module_name}"
        ),
        on_warning=lambda message: err.print(Text(f"WARNING: {message}", "bold yellow")),
    )
    for evaluation in evaluations:
        if evaluation.error is not None:
            err.print(Text(f"error: {evaluation.target.tests}: {evaluation.error}", "red"))
    for line in table_lines(evaluations, base):
        out.print(line)
    out.print(goal_line(evaluations))
    if json_path is not None:
        document = batch_json(evaluations, base, untargeted=untargeted, fail_under=fail_under)
        write_batch_json(document, json_path)
        err.print(f"wrote {json_path}", soft_wrap=True, highlight=False)
    below = [evaluation for evaluation in evaluations if evaluation.below(fail_under)]
    for evaluation in below:
        score = f"{evaluation.result.score:.3f}" if evaluation.result else "no score"
        err.print(
            Text(
                f"score {score} of {evaluation.target.tests.name} ({evaluation.target.module_name})"
                f" is below --fail-under {fail_under:g}",
                "bold red",
            )
        )
    if below:
        raise typer.Exit(EXIT_BELOW)
