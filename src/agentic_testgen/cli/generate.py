"""`atg generate`: write a test file for a module with the planner -> coder -> critic agents."""

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.errors import InputFileError

# The command imports the agents, the languages and the settings when it runs: `atg --help`
# and the other commands do not pay for them.
if TYPE_CHECKING:
    from rich.console import Console

    from agentic_testgen.domain import SourceUnit


def generate(
    file: Annotated[Path, typer.Option("--file", "-f", help="The module to write tests for.")],
    output: Annotated[
        Path | None,
        typer.Option(
            help="Test file to write [default: <project tests dir>/test_<module>.py; beside a "
            "JavaScript or Java module: <module>.test.js, <Class>CharacterizationTest.java]."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing test file.")] = False,
    extend: Annotated[
        bool, typer.Option(help="Add the new tests to an existing test file, keeping its own.")
    ] = False,
    coder: Annotated[
        str,
        typer.Option(
            help="auto, offline, doctest, crosshair, pynguin, ghostwriter, llm, provider/model."
        ),
    ] = "auto",
    model: Annotated[
        str | None, typer.Option(help="provider/model for --coder llm, e.g. openai/gpt-4o-mini.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server, e.g. http://localhost:11434/v1.")
    ] = None,
    max_iterations: Annotated[int, typer.Option(min=1, help="Rounds of plan, code, review.")] = 3,
    max_seconds: Annotated[float, typer.Option(min=1, help="Wall-time budget.")] = 300.0,
    max_tokens: Annotated[int | None, typer.Option(min=1, help="Token budget.")] = None,
    max_cost: Annotated[float | None, typer.Option(min=0, help="Budget in US dollars.")] = None,
) -> None:
    """Generate tests for a module; keep only tests that pass, are stable and add coverage."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.cli._status import working  # noqa: PLC0415
    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.domain import Language  # noqa: PLC0415
    from agentic_testgen.evals import generation_goal, run_options  # noqa: PLC0415
    from agentic_testgen.generation import Budget, GenerationError, generate_tests  # noqa: PLC0415
    from agentic_testgen.generation._select import choose_coders, refuse_unpriced  # noqa: PLC0415
    from agentic_testgen.observability.tracing import span  # noqa: PLC0415
    from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    try:
        if not file.is_file():
            raise InputFileError(f"{file}: source file not found")
        source = _read(file)
        target, root = _target(file, source, output, force=force, extend=extend)
        settings = load_settings(file)
        coders = choose_coders(
            coder, model=model, base_url=base_url, pynguin=settings.pynguin,
            language=source.language,
        )  # fmt: skip
        sandbox = get_sandbox(settings.run.sandbox)
        if max_cost is not None:
            refuse_unpriced(coders)
        budget = Budget(max_iterations, max_seconds, max_tokens, max_cost)
        with (
            working(err, f"Generating tests for {file}...") as status,
            span(f"generate {file.name}", {"atg.source": str(file)}),
        ):
            outcome = generate_tests(
                source, coders, sandbox, options=run_options(settings), budget=budget,
                on_progress=status.update, goal=generation_goal(settings),
            )  # fmt: skip
    except SyntaxError as error:
        raise fail(f"{file}:{error.lineno}: SyntaxError: {error.msg}", err) from None
    except (*USER_ERRORS, GenerationError) as error:
        raise fail(str(error), err) from None
    # what went wrong on the way is said first, so it also precedes an error below
    for failure in outcome.failures:
        err.print(f"warning: {failure}", highlight=False, soft_wrap=True)
    for note in outcome.notes:
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    if not outcome.code:
        raise fail(f"no test survived review for {file} ({outcome.proposed_tests} proposed)", err)
    if source.language == Language.PYTHON:
        _write(outcome.code, target, root, extend=extend, err=err)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(named_as(outcome.code, source, target), encoding="utf-8")
    out.print(
        f"wrote {target}: {outcome.kept_tests} tests kept of {outcome.proposed_tests} proposed, "
        f"coverage {outcome.coverage:.1%}, pass rate {outcome.pass_rate:.1%}, "
        f"{outcome.iterations} rounds"
    )
    if outcome.calls:
        out.print(
            f"{len(outcome.calls)} LLM calls, {outcome.tokens} tokens, ${outcome.cost_usd:.4f}"
        )
    for name, stats in outcome.agents.items():
        out.print(f"  {name}: {stats.iterations} runs, {stats.seconds:.1f} s")


def _read(file: Path) -> "SourceUnit":
    """The module, in the language its suffix names.

    Raises:
        SyntaxError: a Python module that does not compile.
        InputFileError: a JavaScript or Java module that does not parse.
    """
    from agentic_testgen.domain import Language  # noqa: PLC0415 - imported when it runs
    from agentic_testgen.evals.metrics._foreign import parse  # noqa: PLC0415
    from agentic_testgen.languages import get_adapter, language_for_path  # noqa: PLC0415
    from agentic_testgen.languages.python import source_unit_from_path  # noqa: PLC0415

    language = language_for_path(file)
    if language == Language.PYTHON:
        source = source_unit_from_path(file)
        compile(source.code, str(file), "exec")
        return source
    source = get_adapter(language).read_source(file)
    if parse(source.code, language) is None:
        raise InputFileError(f"{file}: the {language.value} source does not parse")
    return source


def _target(
    file: Path, source: "SourceUnit", output: Path | None, *, force: bool, extend: bool
) -> tuple[Path, Path | None]:
    """Where the tests go (and the project root of a Python module), refused when a file is
    there and neither --force nor --extend says what to do with it."""
    from agentic_testgen.domain import Language  # noqa: PLC0415 - imported when it runs
    from agentic_testgen.generation.characterize import tests_file_name  # noqa: PLC0415

    if source.language == Language.PYTHON:
        target, root = destination(file, source.module_name, output)
    else:
        target, root = output or file.with_name(tests_file_name(source)), None
        if extend:
            raise InputFileError("--extend adds to Python test files only")
    if target.exists() and not (force or extend):
        raise InputFileError(
            f"{target} exists: use --force to overwrite it or --extend to add the new tests to it"
        )
    return target, root


def named_as(code: str, source: "SourceUnit", target: Path) -> str:
    """A Java test class renamed for the file it is written to (its public name must match)."""
    from agentic_testgen.domain import Language  # noqa: PLC0415 - imported when it runs
    from agentic_testgen.generation.characterize import tests_file_name  # noqa: PLC0415

    if source.language != Language.JAVA:
        return code
    written = Path(tests_file_name(source)).stem
    return re.sub(rf"\bclass {re.escape(written)}\b", f"class {target.stem}", code, count=1)


def destination(file: Path, module_name: str, output: Path | None) -> tuple[Path, Path | None]:
    """Where the test file goes (`--output`, else the project's tests directory, `tests/` at
    its root when it has none) and the project root (None: the module has no project)."""
    from agentic_testgen.projects import ProjectError, find_project  # noqa: PLC0415 - when run

    try:
        project = find_project(file)
    except ProjectError:
        return output or Path("tests") / f"test_{module_name}.py", None
    tests_dir = project.tests_dir or project.root / "tests"
    return output or tests_dir / f"test_{module_name}.py", project.root


def _write(code: str, target: Path, root: Path | None, *, extend: bool, err: "Console") -> None:
    """Format the file with ruff (the project's settings when it has them) and write it, or
    add its tests to the existing file with `extend`."""
    from agentic_testgen.generation._extend import extend_file  # noqa: PLC0415 - when run
    from agentic_testgen.generation._ruff import format_tests  # noqa: PLC0415

    formatted = format_tests(code, target, root)
    code = formatted.code
    if extend and target.exists():
        try:
            code = extend_file(target.read_text(encoding="utf-8"), code)
        except SyntaxError as error:
            raise fail(f"{target}:{error.lineno}: SyntaxError: {error.msg}", err) from None
    for note in formatted.left_out:
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    if formatted.skipped:
        err.print(f"note: {formatted.skipped}", highlight=False, soft_wrap=True)
    elif formatted.findings:
        where = f"under {formatted.config}" if formatted.config else "under atg's defaults"
        err.print(
            f"note: ruff reports {len(formatted.findings)} findings {where}: "
            f"{formatted.findings[0]}",
            highlight=False, soft_wrap=True,
        )  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(code, encoding="utf-8")
