"""Evaluate one test file against its module: one sandboxed run, then every metric from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agentic_testgen.config import Settings, load_settings
from agentic_testgen.domain import EvalResult, GeneratedTests, Language, RunOutcome, SourceUnit
from agentic_testgen.errors import InputFileError, InputTooLargeError
from agentic_testgen.languages import RunOptions, get_adapter, language_for_path
from agentic_testgen.languages.python import guess_module_name
from agentic_testgen.observability.tracing import record_evaluation, span
from agentic_testgen.sandbox import Limits, Sandbox, get_sandbox

if TYPE_CHECKING:
    from agentic_testgen.generation import Goal


def run_options(settings: Settings) -> RunOptions:
    """The run options the settings ask for (reruns, limits, mutation testing)."""
    run = settings.run
    limits = Limits(wall_time_s=run.timeout_s, memory_mb=run.memory_mb, max_pids=run.max_pids)
    return RunOptions(
        reruns=run.reruns,
        parallel=run.parallel,
        test_timeout_s=run.test_timeout_s,
        limits=limits,
        mutation=run.mutation,
        max_mutants=run.max_mutants,
        mutation_seed=run.mutation_seed,
        derandomize=run.derandomize,
        python=run.python,
        framework=run.framework,
    )


def evaluate(
    source: SourceUnit,
    tests: GeneratedTests,
    settings: Settings | None = None,
    sandbox: Sandbox | None = None,
) -> EvalResult:
    """Run `tests` against `source` once (plus reruns) in a sandbox and score the evidence."""
    return evaluate_run(source, tests, settings, sandbox)[1]


def evaluate_run(
    source: SourceUnit,
    tests: GeneratedTests,
    settings: Settings | None = None,
    sandbox: Sandbox | None = None,
) -> tuple[RunOutcome, EvalResult]:
    """`evaluate`, also giving the run's own evidence (every mutant, per-test lines).

    Raises:
        InputTooLargeError: the module or the tests are larger than `run.max_source_mb`.
    """
    settings = settings or load_settings()
    check_size(source.path, source.code, "source", settings.run.max_source_mb)
    check_size(tests.path or tests.filename, tests.code, "test", settings.run.max_source_mb)
    sandbox = sandbox or get_sandbox(settings.run.sandbox)
    language = source.language.value
    with span(
        f"run_tests {language}", {"atg.language": language, "atg.tests_file": tests.filename}
    ):
        outcome = get_adapter(source.language).run(source, tests, sandbox, run_options(settings))
    return outcome, score_measured(source, tests, outcome, settings)


def score_measured(
    source: SourceUnit, tests: GeneratedTests, outcome: RunOutcome, settings: Settings
) -> EvalResult:
    """Score a run already made of `tests` against `source` with `run_options(settings)` (the
    generator's final measurement of the file it wrote): the result `evaluate` would give."""
    # the metrics load once the run is over, not while the command starts (bench_startup.py)
    from agentic_testgen.evals.scoring import score_run  # noqa: PLC0415

    result = score_run(outcome, source, tests, settings.scoring, reruns=settings.run.reruns)
    for name, metric in result.metrics.items():
        record_evaluation(name, metric.value, "pass" if metric.passed else "fail")
    record_evaluation("quality_score", result.score, result.quality_level)
    return result


def generation_goal(settings: Settings) -> Goal:
    """Where generation may stop: the coverage and mutation-score thresholds of `settings`
    (the metrics' own defaults unless `scoring.thresholds` names others); no mutation goal
    when mutation testing is off."""
    from agentic_testgen.evals.metrics import Coverage, MutationScore  # noqa: PLC0415
    from agentic_testgen.generation import Goal  # noqa: PLC0415

    thresholds = settings.scoring.thresholds
    coverage = thresholds.get("coverage", Coverage().threshold)
    mutation = thresholds.get("mutation_score", MutationScore().threshold)
    return Goal(coverage=coverage, mutation_score=mutation if settings.run.mutation else None)


def evaluate_generated_tests(
    test_code: str,
    source_code: str,
    language: str = "python",
    *,
    module_name: str | None = None,
    settings: Settings | None = None,
    sandbox: Sandbox | None = None,
) -> EvalResult:
    """Evaluate test code against source code given as strings.

    Args:
        test_code: the test file's text.
        source_code: the module's text.
        language: the language of both.
        module_name: the name the tests import the module by, dotted when it is in a package
            (`pkg.slug`); guessed from the tests' imports when not given.
        settings: settings to use instead of those of the current directory.
        sandbox: sandbox to use instead of the configured one.
    """
    name = module_name or guess_module_name(test_code)
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        raise ValueError(f"module_name {name!r} is not a dotted Python name such as 'pkg.slug'")
    *package, last = parts
    source = SourceUnit(
        path="/".join(parts) + ".py", code=source_code, module_name=last,
        package=tuple(package), language=Language(language),
    )  # fmt: skip
    tests = GeneratedTests(code=test_code, filename=f"test_{last}.py")
    return evaluate(source, tests, settings, sandbox)


def check_size(name: str, code: str, role: str, max_mb: float) -> None:
    """Refuse a file whose evaluation would need memory out of proportion (see RunSettings)."""
    size = len(code) if code.isascii() else len(code.encode("utf-8", "surrogatepass"))
    size_mb = size / 1e6
    if size_mb > max_mb:
        raise InputTooLargeError(
            f"{name}: {role} file is {size_mb:.1f} MB, above run.max_source_mb = {max_mb:g} MB; "
            "raise that setting to evaluate it (atg needs about 0.4 GB per MB of Python)"
        )


def _read(path: Path, role: str) -> str:
    if not path.exists():
        raise InputFileError(f"{path}: {role} file not found")
    if not path.is_file():
        raise InputFileError(f"{path}: {role} path is not a file")
    target = path.resolve()
    if path.is_symlink() and not target.is_relative_to(path.absolute().parent.resolve()):
        # a link in a checked-out repository must not put /etc/passwd on a published page
        raise InputFileError(
            f"{path}: {role} file is a link to {target}, outside its folder; name that file itself"
        )
    try:
        return path.read_text(encoding="utf-8")
    except PermissionError:
        raise InputFileError(f"{path}: {role} file is not readable (permission denied)") from None
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: {role} file is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot read {role} file: {error.strerror}") from None


def load_inputs(
    source_path: Path, tests_path: Path, language: str | None = None
) -> tuple[SourceUnit, GeneratedTests]:
    """Read the module and test files the user named.

    Raises:
        InputFileError: a file is missing, not a file, unreadable or not text.
        UnknownLanguageError: the language cannot be told or has no adapter.
    """
    source_code = _read(source_path, "source")
    tests_code = _read(tests_path, "tests")
    adapter = get_adapter(language or language_for_path(source_path))
    source = adapter.read_source(source_path).model_copy(update={"code": source_code})
    tests = GeneratedTests(code=tests_code, filename=tests_path.name, path=str(tests_path))
    return source, tests


def evaluate_files(
    source_path: Path,
    tests_path: Path,
    language: str | None = None,
    settings: Settings | None = None,
    sandbox: Sandbox | None = None,
) -> EvalResult:
    """Evaluate a test file on disk against a module on disk (see `load_inputs` for errors)."""
    source, tests = load_inputs(source_path, tests_path, language)
    return evaluate(source, tests, settings, sandbox)
