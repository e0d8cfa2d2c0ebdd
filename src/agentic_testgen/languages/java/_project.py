"""The Java adapter's Maven project mode: the project's own build runs the tests, atg's harness
measures each test.

A class read from a Maven project (`SourceUnit.project_root`, see `_maven.maven_root`) is not laid
out alone. The project is copied into a fresh build folder (its `target`, hidden folders but
`.mvn`, and secret files left out; the user's tree is never written), the class's text and the
test file are written there (`src/main/java/...`, `src/test/java/<the tests' package>/...`), and
three sandboxed runs follow, offline with atg's Maven repository (`_maven.py`):

1. Maven builds the project up to `test-compile` and writes its test class path (Maven's
   dependency plugin): no test code runs. A compile error is the run's `syntax_error`; another
   failure (a broken POM, a dependency atg's repository lacks) a collection error saying why.
   The class files are then copied out of the build folder, beyond the reach of the next build.
2. atg's harness (sealed, as for a lone class) runs the test file's classes from that copy, with
   the project's classes and test class path behind them: per-test coverage of the class's own
   class files (its nested and other classes of its file), the reruns, and later the mutants.
3. Maven runs the project's Surefire on the test class (`-Dtest=`) under JaCoCo's Maven plugin
   (`prepare-agent` instrumenting only the class's own classes, then `report`), the way a team
   runs `mvn test` with JaCoCo, in the build folder.

What the result holds: each test's verdict, duration and failure from Surefire's JUnit XML
reports (node ids in the harness's shape, matched to the harness's tests); the coverage totals
from JaCoCo's XML report for the class's source file, as the plugin reports them; each test's
lines and branches from the harness's run; the reruns are the harness's runs (its instrumented
run and `options.reruns - 1` more), so a test whose verdict changes between Maven's run and
atg's is flaky. Mutation testing runs as for a lone class, against the copied class files, each
mutant compiled against the project's class path.

Trust: Maven's reports are written where test code can write (Surefire's forked JVM shares the
build folder). They are checked against the harness's sealed run: verdicts through the reruns
above; coverage by comparing lines: a line Maven's report calls executed that no run of atg's
executed, while no test was flaky, is a `coverage-differential` finding; the harness's run keeps
its own integrity checks.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from agentic_testgen.domain import (
    CollectionError,
    FileCoverage,
    GeneratedTests,
    Integrity,
    IntegrityFinding,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.guardrails import scrub
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_limits, merge_integrity
from agentic_testgen.languages.java._adapter import (
    Layout,
    code_lines_of,
    few,
    file_coverage,
    forged_coverage,
    module_file_name,
)
from agentic_testgen.languages.java._classfile import ClassFileError, class_files, source_file
from agentic_testgen.languages.java._maven import (
    CLASSPATH_FILE,
    build_failure,
    compile_command,
    copy_project,
    find_mvn,
    maven_env,
    maven_readonly,
    test_command,
)
from agentic_testgen.languages.java._maven_reports import (
    SurefireCase,
    read_jacoco_file,
    read_surefire_reports,
)
from agentic_testgen.languages.java._mutation import run_mutants
from agentic_testgen.languages.java._source import package_of, test_count, test_file_name
from agentic_testgen.languages.java._tools import STARTUP_ALLOWANCE_S, JavaTools, java_tools
from agentic_testgen.sandbox import Completed, Sandbox

if TYPE_CHECKING:
    from agentic_testgen.languages.java._adapter import JavaAdapter

# Maven's start, its project model, the compiler: a generous allowance per build
MAVEN_ALLOWANCE_S = 120.0


@dataclasses.dataclass(frozen=True)
class _Build:
    """The project's copy Maven builds in, and where the class and its tests are in it."""

    root: Path
    folder: Path
    module_file: Path
    tests_file: Path
    package: tuple[str, ...]
    tests_package: tuple[str, ...]


def run_project(
    adapter: JavaAdapter,
    source: SourceUnit,
    tests: GeneratedTests,
    sandbox: Sandbox,
    options: RunOptions,
) -> RunOutcome:
    """One evaluation of `tests` against `source` inside its Maven project (module docstring)."""
    start = time.monotonic()
    tools = java_tools(adapter.tools_home)
    mvn = find_mvn()
    assert source.project_root is not None
    scratch = Path(tempfile.mkdtemp(prefix="atg-maven-"))
    try:
        build = _lay_out(scratch / "build", Path(source.project_root), source, tests)
        env = maven_env(tools, options.limits.memory_mb)
        readonly = maven_readonly(tools, mvn)
        limits = harness_limits(options, MAVEN_ALLOWANCE_S)
        compiled = sandbox.execute(
            compile_command(mvn, tools, build.folder), build.folder, limits, env=env,
            readonly_paths=readonly,
        )  # fmt: skip
        if compiled.returncode != 0:
            return _failed_build(compiled, build, sandbox.name)
        layout, notes = _harness_layout(scratch / "harness", build, tools)
        if not class_files(layout.module_classes):
            message = f"Maven compiled no class from {build.module_file.name}"
            return RunOutcome(
                collection_errors=(CollectionError(nodeid="", message=message),),
                sandbox=sandbox.name,
            )
        known_lines = code_lines_of(layout.module_classes)
        harness_options = dataclasses.replace(options, reruns=max(options.reruns - 1, 0))
        harness_start = time.monotonic()
        measured = adapter.execute_harness(
            tools, layout, tests, sandbox, harness_options, known_lines=known_lines
        )
        harness_s = time.monotonic() - harness_start
        bound = (
            MAVEN_ALLOWANCE_S
            + STARTUP_ALLOWANCE_S
            + test_count(tests.code) * (options.test_timeout_s)
        )
        test_class = ".".join((*build.tests_package, build.tests_file.stem))
        includes = sorted(class_files(layout.module_classes))
        command = test_command(
            mvn, tools, test_class=test_class, includes=includes,
            test_timeout_s=options.test_timeout_s, fork_timeout_s=bound,
        )  # fmt: skip
        tested = sandbox.execute(
            command, build.folder, harness_limits(options, bound), env=env,
            readonly_paths=readonly,
        )  # fmt: skip
        notes.append(
            f"Maven compiled in {compiled.duration_s:.1f} s and ran the tests in "
            f"{tested.duration_s:.1f} s; atg's per-test run took {harness_s:.1f} s"
        )
        outcome = _combine(measured, tested, build, options, known_lines=known_lines, notes=notes)
        if adapter.evidence_dir is not None:
            _keep_evidence(adapter.evidence_dir, build.folder, layout.module_classes)
        if options.mutation and outcome.coverage is not None:
            mutation = run_mutants(
                tools, layout, source, outcome, sandbox, options=options, known_lines=known_lines
            )
            integrity = merge_integrity(outcome.integrity, mutation.integrity)
            outcome = outcome.model_copy(update={"mutation": mutation, "integrity": integrity})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return outcome.model_copy(update={"duration_s": time.monotonic() - start})


def _lay_out(folder: Path, root: Path, source: SourceUnit, tests: GeneratedTests) -> _Build:
    copy_project(root, folder)
    package = source.package or package_of(source.code)
    module_file = folder.joinpath("src", "main", "java", *package, module_file_name(source))
    module_file.parent.mkdir(parents=True, exist_ok=True)
    module_file.write_text(source.code, encoding="utf-8")
    tests_package = package_of(tests.code)
    tests_file = folder.joinpath(
        "src", "test", "java", *tests_package, test_file_name(tests.filename, tests.code)
    )
    tests_file.parent.mkdir(parents=True, exist_ok=True)
    tests_file.write_text(tests.code, encoding="utf-8")
    return _Build(
        root=root,
        folder=folder,
        module_file=module_file,
        tests_file=tests_file,
        package=package,
        tests_package=tests_package,
    )


def _failed_build(completed: Completed, build: _Build, sandbox: str) -> RunOutcome:
    output = completed.stdout + "\n" + completed.stderr
    syntax_error, reason = build_failure(output, build.folder, build.root)
    if completed.timed_out:
        reason = "the Maven build did not finish within its time limit"
    if syntax_error is not None:
        return RunOutcome(syntax_error=syntax_error, sandbox=sandbox, notes=completed.notes)
    return RunOutcome(
        collection_errors=(CollectionError(nodeid="", message=scrub(reason)),),
        sandbox=sandbox,
        notes=completed.notes,
    )


def _harness_layout(folder: Path, build: _Build, tools: JavaTools) -> tuple[Layout, list[str]]:
    """The harness's workspace: the project's files (the tests run there, as Surefire runs them
    in the project's folder: a test may read `src/test/resources/...`), and the compiled classes
    copied out of the build folder: the class's own and the test file's (by their SourceFile
    attribute) apart, the project's and its test class path behind them."""
    notes: list[str] = []
    copy_project(build.folder, folder)
    target = build.folder / "target"
    project_classes = folder / ".atg-project" / "classes"
    project_tests = folder / ".atg-project" / "test-classes"
    for origin, copy in (
        (target / "classes", project_classes),
        (target / "test-classes", project_tests),
    ):
        if origin.is_dir():
            shutil.copytree(origin, copy, symlinks=False)
        else:
            copy.mkdir(parents=True)
    module_classes = folder / ".atg-classes" / "main"
    test_classes = folder / ".atg-classes" / "test"
    _copy_classes_of(project_classes, build.package, build.module_file.name, module_classes)
    _copy_classes_of(project_tests, build.tests_package, build.tests_file.name, test_classes)
    module_file = folder / build.module_file.relative_to(build.folder)
    inputs = folder / ".atg-in"
    inputs.mkdir(exist_ok=True)
    class_path: list[Path] = [project_tests, project_classes]
    readonly: list[Path] = []
    listed = build.folder / CLASSPATH_FILE
    entries = listed.read_text(encoding="utf-8").strip() if listed.is_file() else ""
    for entry in filter(None, entries.split(":")):
        path = Path(entry)
        if path.is_relative_to(build.folder) or not path.exists():
            notes.append(f"the test class path entry {entry} is left out of atg's per-test run")
            continue
        class_path.append(path)
        if not path.is_relative_to(tools.maven_repository):
            readonly.append(path)
    layout = Layout(
        workspace=folder,
        module_file=module_file,
        tests_file=folder / build.tests_file.relative_to(build.folder),
        module_classes=module_classes,
        test_classes=test_classes,
        config_file=inputs / "config.properties",
        class_path=tuple(class_path),
        readonly=(tools.maven_repository, *readonly),
    )
    return layout, notes


def _copy_classes_of(
    classes: Path, package: tuple[str, ...], file_name: str, destination: Path
) -> None:
    """The class files in `package` compiled from `file_name`, copied to `destination`."""
    directory = classes.joinpath(*package)
    target = destination.joinpath(*package)
    target.mkdir(parents=True)
    for path in sorted(directory.glob("*.class")) if directory.is_dir() else []:
        try:
            compiled_from = source_file(path.read_bytes())
        except ClassFileError:
            continue
        if compiled_from == file_name:
            shutil.copyfile(path, target / path.name)


def _combine(
    measured: RunOutcome,
    tested: Completed,
    build: _Build,
    options: RunOptions,
    *,
    known_lines: set[int],
    notes: list[str],
) -> RunOutcome:
    """Maven's verdicts and totals with the harness's per-test coverage and reruns."""
    notes = [*tested.notes, *notes]
    errors = [
        CollectionError(nodeid=error.nodeid, message=f"atg's per-test run: {error.message}")
        for error in measured.collection_errors
    ]
    target = build.folder / "target"
    cases, unreadable = read_surefire_reports(target / "surefire-reports")
    notes += [f"Surefire report not read: {problem}" for problem in unreadable]
    if tested.returncode != 0:
        _, reason = build_failure(tested.stdout + "\n" + tested.stderr, build.folder, build.root)
        if tested.timed_out:
            reason = "the Maven test run did not finish within its time limit"
        errors.append(CollectionError(nodeid="", message=scrub(reason)))
    by_id = {test.nodeid: test for test in measured.tests}
    tests: list[TestResult] = []
    for case in cases:
        if case.class_level and case.outcome is TestOutcome.ERROR:
            errors.append(
                CollectionError(nodeid=case.fallback_nodeid(), message=scrub(case.failure or ""))
            )
            continue
        tests.append(_result(case, by_id))
    unmatched = sorted(set(by_id) - {test.nodeid for test in tests})
    if unmatched:
        notes.append(
            f"{len(unmatched)} tests of atg's per-test run are not in Surefire's reports: "
            + ", ".join(unmatched[:5])
        )
    lost = [test.nodeid for test in tests if test.nodeid not in by_id]
    if lost:
        notes.append(
            f"{len(lost)} tests of Surefire's reports have no per-test coverage (atg's run did "
            "not find them): " + ", ".join(lost[:5])
        )
    coverage, integrity = _maven_coverage(measured, target, build, known_lines, notes)
    reruns: tuple[dict[str, TestOutcome], ...] = ()
    if options.reruns >= 1:
        first = {test.nodeid: test.outcome for test in measured.tests}
        reruns = (first, *measured.reruns)
    outcome = RunOutcome(
        tests=tuple(tests),
        collection_errors=tuple(errors),
        coverage=coverage,
        reruns=reruns,
        sandbox=measured.sandbox,
        notes=(*measured.notes, *notes),
        integrity=merge_integrity(measured.integrity, integrity),
    )
    if outcome.coverage is not None and measured.coverage is not None:
        outcome = _compare_coverage(outcome, measured)
    return outcome


def _result(case: SurefireCase, by_id: dict[str, TestResult]) -> TestResult:
    nodeid = case.nodeid(list(by_id)) or case.fallback_nodeid()
    own = by_id.get(nodeid)
    return TestResult(
        nodeid=nodeid,
        outcome=case.outcome,
        duration_s=case.duration_s,
        failure=scrub(case.failure) if case.failure else None,
        lines=own.lines if own else (),
        branches=own.branches if own else (),
    )


def _maven_coverage(
    measured: RunOutcome, target: Path, build: _Build, known_lines: set[int], notes: list[str]
) -> tuple[FileCoverage | None, Integrity]:
    report = target / "site" / "jacoco" / "jacoco.xml"
    try:
        file = read_jacoco_file(report, build.package, build.module_file.name)
    except (OSError, LookupError, ValueError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        notes.append(
            f"JaCoCo's Maven plugin gave no coverage for {build.module_file.name} ({why}: does "
            "the project's Surefire configuration set an argLine without @{argLine}?); the "
            "totals are atg's per-test run's"
        )
        return measured.coverage, Integrity()
    coverage = file_coverage([file])
    return coverage, forged_coverage([file], coverage, (), known_lines)


def _compare_coverage(outcome: RunOutcome, measured: RunOutcome) -> RunOutcome:
    """Maven's totals beside the harness's: lines only Maven's run executed are a finding
    unless a test was flaky (then a note, as lines only the harness executed always are)."""
    assert outcome.coverage is not None and measured.coverage is not None
    maven = set(outcome.coverage.executed_lines)
    atg = set(measured.coverage.executed_lines)
    if maven == atg:
        return outcome
    notes = list(outcome.notes)
    only_maven, only_atg = sorted(maven - atg), sorted(atg - maven)
    detail = "Maven's run and atg's per-test run executed different lines" + (
        f"; only Maven's: {few(only_maven)}" if only_maven else ""
    ) + (f"; only atg's: {few(only_atg)}" if only_atg else "")  # fmt: skip
    integrity = outcome.integrity
    if only_maven and not outcome.flaky_nodeids():
        finding = IntegrityFinding(kind="coverage-differential", detail=detail)
        integrity = merge_integrity(integrity, Integrity(ok=False, findings=(finding,)))
    else:
        notes.append(detail)
    return outcome.model_copy(update={"notes": tuple(notes), "integrity": integrity})


def _keep_evidence(evidence_dir: Path, build_folder: Path, module_classes: Path) -> None:
    """Maven's JaCoCo data and report and the class's own class files, for checking."""
    evidence_dir.mkdir(parents=True, exist_ok=True)
    classes = evidence_dir / "classes"
    shutil.rmtree(classes, ignore_errors=True)
    shutil.copytree(module_classes, classes)
    for name, origin in (
        ("jacoco.exec", build_folder / "target" / "jacoco.exec"),
        ("jacoco.xml", build_folder / "target" / "site" / "jacoco" / "jacoco.xml"),
    ):
        (evidence_dir / name).unlink(missing_ok=True)
        if origin.is_file():
            shutil.copyfile(origin, evidence_dir / name)
