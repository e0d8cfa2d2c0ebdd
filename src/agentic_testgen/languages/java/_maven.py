"""Maven projects: found from a class's path, built offline with atg's own Maven repository.

A class is in a Maven project when it lies under `<root>/src/main/java` and `<root>/pom.xml` is
a file (the nearest such root). Its tests then run through the project's own build, as `mvn test`
runs them (see `_project.py`), with `mvn -o` (offline) and `-Dmaven.repo.local` set to atg's
Maven repository (`<java tools home>/m2`, bound read-only into the sandbox). Nothing is fetched
at run time: `atg setup java` fills that repository with the plugins atg adds to a build (by
building a template project: JaCoCo's Maven plugin, Maven's dependency plugin, Surefire with its
JUnit Platform provider, JUnit Jupiter), and `atg setup java --project DIR` with what one
project's build needs (its dependencies, its plugins, Surefire's provider for its JUnit), by
running the same two builds once with network, outside the sandbox, on a copy of the project.

Checks a build may bind that say nothing about the tests (Checkstyle, RAT, Enforcer, Animal
Sniffer, SpotBugs, PMD, japicmp, Javadoc, Spotless, source jars, signing) are skipped through
their own `skip` properties (`SKIP_CHECKS`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from agentic_testgen.languages._tools import ToolsMissingError
from agentic_testgen.languages.java._tools import (
    DEPENDENCY_PLUGIN,
    FAST_JVM,
    JACOCO_PLUGIN,
    JVM_OVERHEAD_MB,
    JavaTools,
    heap_mb,
)
from agentic_testgen.projects import is_secret

SUREFIRE_GOAL = "surefire:test"  # the project's own Surefire version, as `mvn test` uses
CLASSPATH_FILE = ".atg-classpath"
SKIP_CHECKS = (
    "-Dcheckstyle.skip=true",
    "-Drat.skip=true",
    "-Denforcer.skip=true",
    "-Danimal.sniffer.skip=true",
    "-Dspotbugs.skip=true",
    "-Dpmd.skip=true",
    "-Dcpd.skip=true",
    "-Djapicmp.skip=true",
    "-Dmaven.javadoc.skip=true",
    "-Dspotless.check.skip=true",
    "-Dmaven.source.skip=true",
    "-Dgpg.skip=true",
)
# Maven's own JVM: its heap, the rest of the memory limit is the test JVM's
MAVEN_HEAP_MB = 384
SETUP_TIMEOUT_S = 1800.0
_COPY_SKIPPED = {"target", "node_modules", "build", "out"}
_COMPILE_ERROR = re.compile(
    r"^\[ERROR\] (?P<file>/.+?\.java):\[(?P<line>\d+),\d+\] (?P<message>.+)$"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LEVEL = re.compile(r"^(?:\[(?:ERROR|FATAL)\]\s*)+")
_NOISE = (
    "Some problems were encountered",
    "The build could not read",
    "The project ",
    "-> [Help",
    "Re-run Maven",
    "For more information",
    "[Help 1]",
    "To see the full stack trace",
    "After correcting the problems",
    "mvn <args> -rf",
    "COMPILATION ERROR",
)


def maven_root(path: Path) -> Path | None:
    """The root of the Maven project whose `src/main/java` holds `path`, or None."""
    resolved = path.resolve()
    for candidate in resolved.parents:
        if (candidate / "pom.xml").is_file() and resolved.is_relative_to(
            candidate / "src" / "main" / "java"
        ):
            return candidate
    return None


def find_mvn() -> Path:
    """Maven's launcher script.

    Raises:
        ToolsMissingError: there is no `mvn` on the PATH.
    """
    found = shutil.which("mvn")
    if found is None:
        raise ToolsMissingError(
            "Maven (mvn) is needed to run a Maven project's tests: install it (Debian: maven)"
        )
    return Path(found)


def maven_readonly(tools: JavaTools, mvn: Path) -> list[Path]:
    """What a sandboxed Maven must see besides /usr and its workspace: atg's repository,
    Maven's home and configuration when they live elsewhere (Debian links its `conf` to
    /etc/maven), the JDK's own outside files."""
    home = mvn.resolve().parent.parent
    paths = [tools.maven_repository, *tools.jdk.outside_paths()]
    for path in (home, (home / "conf").resolve()):
        if path.exists() and not str(path).startswith("/usr/"):
            paths.append(path)
    return paths


def maven_env(tools: JavaTools, memory_mb: int) -> dict[str, str]:
    """The environment of a sandboxed Maven: the JDK, quick-starting JVMs, Maven's heap bounded
    and the test JVM's heap what the memory limit leaves (a project's own `argLine` wins)."""
    flags = " ".join(FAST_JVM[:2])
    test_heap = heap_mb(max(memory_mb - MAVEN_HEAP_MB - JVM_OVERHEAD_MB, 64))
    return {
        "JAVA_HOME": str(tools.jdk.home),
        "PATH": f"{tools.jdk.home / 'bin'}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "MALLOC_ARENA_MAX": "2",
        "MAVEN_OPTS": f"{flags} -Xmx{MAVEN_HEAP_MB}m",
        "JAVA_TOOL_OPTIONS": f"{flags} -Xmx{test_heap}m",
    }


def _common(mvn: Path, tools: JavaTools, *, offline: bool) -> list[str]:
    return [
        str(mvn),
        *(["-o"] if offline else []),
        "-B",
        "-q",
        "--no-transfer-progress",
        "-Dstyle.color=never",
        f"-Dmaven.repo.local={tools.maven_repository}",
        *SKIP_CHECKS,
    ]


def compile_command(
    mvn: Path, tools: JavaTools, workspace: Path, *, offline: bool = True
) -> list[str]:
    """The first build: the project's lifecycle up to `test-compile`, then its test class path
    written to `CLASSPATH_FILE` (no test code runs)."""
    return [
        *_common(mvn, tools, offline=offline),
        "test-compile",
        f"{DEPENDENCY_PLUGIN}:build-classpath",
        f"-Dmdep.outputFile={workspace / CLASSPATH_FILE}",
        "-Dmdep.includeScope=test",
    ]


def test_command(
    mvn: Path,
    tools: JavaTools,
    *,
    test_class: str,
    includes: list[str],
    test_timeout_s: float,
    fork_timeout_s: float,
    offline: bool = True,
) -> list[str]:
    """The second build: JaCoCo's agent prepared (instrumenting only `includes`), the project's
    Surefire on `test_class` (its nested classes with it), JaCoCo's report.

    JaCoCo's `prepare-agent` takes `includes` only from a POM (it has no user property), and
    atg does not edit the project's POM: the agent's options are one comma-separated string
    built from the goal's parameters, so `includes` rides along in `jacoco.sessionId`'s value
    (`atg,includes=a.B:a.B$C`), which the agent reads as its own `includes` option."""
    timeout_ms = max(1, round(test_timeout_s * 1000))
    return [
        *_common(mvn, tools, offline=offline),
        f"{JACOCO_PLUGIN}:prepare-agent",
        SUREFIRE_GOAL,
        f"{JACOCO_PLUGIN}:report",
        f"-Djacoco.sessionId=atg,includes={':'.join(includes)}",
        f"-Dtest={test_class}",
        "-Dsurefire.failIfNoSpecifiedTests=false",
        "-DfailIfNoTests=false",
        "-Dmaven.test.failure.ignore=true",
        f"-Dsurefire.timeout={max(1, round(fork_timeout_s))}",
        f"-Djunit.jupiter.execution.timeout.default={timeout_ms} ms",
        "-Djunit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD",
    ]


def copy_project(root: Path, destination: Path) -> None:
    """The project's files into `destination`: not its build output (`target`), version control
    or other hidden folders (`.mvn`, Maven's own configuration, is kept), nor secret files."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped: set[str] = set()
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name in _COPY_SKIPPED or (name.startswith(".") and name != ".mvn"):
                    skipped.add(name)
            elif is_secret(path):
                skipped.add(name)
        return skipped

    shutil.copytree(root, destination, ignore=ignore, symlinks=True, dirs_exist_ok=True)


def build_failure(output: str, workspace: Path, root: Path) -> tuple[str | None, str]:
    """What a failed build said: javac's first error as `File.java:line: error: message` (None
    when it was not a compile error) and one line saying why the build failed, paths in the
    workspace shown as the project's."""
    output = _ANSI.sub("", output)  # Maven resets colours even in batch mode
    for line in output.splitlines():
        found = _COMPILE_ERROR.match(line.strip())
        if found:
            name = Path(found["file"]).name
            return f"{name}:{found['line']}: error: {found['message'].strip()}", (
                f"the project does not compile: {name}:{found['line']}: {found['message'].strip()}"
            )
    reasons = [
        _LEVEL.sub("", line.strip()).strip()
        for line in output.splitlines()
        if line.strip().startswith(("[ERROR]", "[FATAL]"))
    ]
    reasons = [reason for reason in reasons if reason and not reason.startswith(_NOISE)]
    reason = reasons[0] if reasons else (output.strip().splitlines() or ["no output"])[-1]
    reason = reason.split("\\n")[0].strip()  # Maven quotes the POM's text with "\n"s
    reason = reason.replace(str(workspace), str(root))
    if "offline" in reason or "has not been downloaded" in reason:
        reason += (
            f" (atg's Maven repository lacks what this build needs: run `atg setup java "
            f"--project {root}` once, with network)"
        )
    return None, f"the Maven build failed: {reason}"


def _run_online(command: list[str], cwd: Path, tools: JavaTools, what: str) -> None:
    env = {**os.environ, "JAVA_HOME": str(tools.jdk.home)}
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            cwd=cwd,
            env=env,
            timeout=SETUP_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        raise OSError(f"{what} did not finish within {SETUP_TIMEOUT_S:g} s") from None
    if completed.returncode != 0:
        _, reason = build_failure(completed.stdout + completed.stderr, cwd, cwd)
        raise OSError(f"{what}: {reason}")


def prefetch_build(
    root: Path, tools: JavaTools, *, test_class: str | None, say: Callable[[str], None]
) -> None:
    """Run both of atg's builds of the project at `root` once with network, on a copy, so that
    atg's Maven repository holds what they need (`test_class`: the test class Surefire runs, so
    that it fetches its provider; None: the project has none, Surefire is not run).

    Raises:
        ToolsMissingError: no Maven.
        OSError: a build failed; the message has Maven's reason.
    """
    mvn = find_mvn()
    tools.maven_repository.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atg-mvn-setup-") as scratch:
        workspace = Path(scratch) / "project"
        copy_project(root, workspace)
        say(f"building {root} once with network (its dependencies and plugins)")
        _run_online(compile_command(mvn, tools, workspace, offline=False), workspace, tools, "mvn")
        if test_class is None:
            return
        say(f"running {test_class} once with Surefire and JaCoCo (their plugins and provider)")
        command = test_command(
            mvn,
            tools,
            test_class=test_class,
            includes=["atg.none"],
            test_timeout_s=60.0,
            fork_timeout_s=SETUP_TIMEOUT_S,
            offline=False,
        )
        _run_online(command, workspace, tools, "mvn")


def first_test_class(root: Path) -> str | None:
    """A test class of the project (its first `*Test.java` under `src/test/java`), or None."""
    tests = root / "src" / "test" / "java"
    found = sorted(tests.rglob("*Test.java")) or sorted(tests.rglob("*.java"))
    if not found:
        return None
    return ".".join(found[0].relative_to(tests).with_suffix("").parts)


def prepare_project(path: Path, tools: JavaTools, *, say: Callable[[str], None] = print) -> Path:
    """What `atg setup java --project PATH` does: fill atg's Maven repository with what the
    Maven project at (or above) `path` needs; return its root.

    Raises:
        ToolsMissingError: no Maven, or `path` is in no Maven project.
        OSError: a build failed; the message has Maven's reason.
    """
    start = path.resolve()
    root = next(
        (folder for folder in (start, *start.parents) if (folder / "pom.xml").is_file()), None
    )
    if root is None:
        raise ToolsMissingError(f"{path}: no pom.xml here or above: not a Maven project")
    prefetch_build(root, tools, test_class=first_test_class(root), say=say)
    return root
