"""The Java tools atg runs tests with: fetched once from Maven Central, found again at run time.

`install_java_tools` (what `atg setup java` runs) asks Maven to copy three jars into
`tool_home("java-tools-<tag>")`: JUnit's console-standalone jar (the JUnit Platform launcher with
the Jupiter API, engine and params, and the vintage engine), JaCoCo's agent runtime and JaCoCo's
command-line tool (which carries JaCoCo's analyzer and reports). Then it compiles atg's own
harness (`harness/*.java`, shipped with atg) into `atg-harness.jar` there with this machine's JDK,
and runs it once on a sample class to record two class-data-sharing archives (`cds/*.jsa`: the
classes javac and the harness load, mapped at start-up instead of loaded again: about 0.15 s off
each of the two JVM starts of a run). A stamp written last makes a second call do nothing; runs
read the stamp and never reach Maven.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agentic_testgen.languages._tools import ToolsMissingError, tool_home

JUNIT_PLATFORM_VERSION = "1.14.1"
JACOCO_VERSION = "0.8.15"
TOOLS_TAG = f"junit{JUNIT_PLATFORM_VERSION}-jacoco{JACOCO_VERSION}"
HOW_TO_INSTALL = "run: atg setup java"

_HERE = Path(__file__).parent
POM = _HERE / "maven" / "pom.xml"
# the Maven project `atg setup java` builds to fill atg's Maven repository (see `_maven.py`)
TEMPLATE_POM = _HERE / "maven" / "template" / "pom.xml"
JACOCO_PLUGIN = f"org.jacoco:jacoco-maven-plugin:{JACOCO_VERSION}"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
HARNESS_DIR = _HERE / "harness"
HARNESS_SOURCES = ("AtgJUnitRunner.java", "AtgCompile.java", "AtgMutationRunner.java")
MUTATION_CLASS = "atg.harness.AtgMutationRunner"
RUNNER_CLASS = "atg.harness.AtgJUnitRunner"
COMPILE_CLASS = "atg.harness.AtgCompile"
_SERVICE = "META-INF/services/org.junit.jupiter.api.extension.Extension"
_SKIP_STOPPED = "atg.harness.AtgJUnitRunner$SkipStopped"
_STAMP = "installed.json"
JUNIT_JAR = "junit-platform-console-standalone.jar"
AGENT_JAR = "jacocoagent.jar"
CLI_JAR = "jacococli.jar"
# The JVM start-up flags for short runs: one collector thread, C1 only, bounded reservations
# (so the JVM also starts under an address-space limit), VM warnings and logs kept off standard
# output (the report's channel: a class-data-sharing archive the JVM cannot use is logged there
# by default).
FAST_JVM = (
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xshare:auto",
    "-XX:-UsePerfData",
    "-XX:+DisplayVMOutputToStderr",
    "-Xlog:disable",
    "-Xlog:all=warning:stderr",
    "-XX:ReservedCodeCacheSize=48m",
    "-XX:CompressedClassSpaceSize=48m",
    "-XX:MaxMetaspaceSize=256m",
)

# JVM start-up, JUnit's discovery, JaCoCo's analysis: a generous allowance
STARTUP_ALLOWANCE_S = 20.0
COMPILE_TIMEOUT_S = 300.0
# Address space the JVM reserves beyond its heap (code cache, class space, stacks, malloc arenas):
# under RLIMIT_AS (no writable cgroup) the heap must leave that much room
JVM_OVERHEAD_MB = 400


def heap_mb(memory_mb: int) -> int:
    """The JVM's maximum heap under a memory limit of `memory_mb` for the whole run."""
    if memory_mb >= 2 * JVM_OVERHEAD_MB + 200:
        return memory_mb - JVM_OVERHEAD_MB
    return max(16, memory_mb // 2)


def java_properties(values: dict[str, str]) -> str:
    """A Java properties file (values escaped so that Properties.load reads them back)."""

    def escape(text: str) -> str:
        return "".join(
            f"\\u{ord(c):04x}" if ord(c) > 0x7E or c in "\\\n\r\t\f" else c for c in text
        )

    return "".join(f"{name}={escape(value)}\n" for name, value in values.items())


def java_tools_home() -> Path:
    """Where `atg setup java` puts the tools: `$XDG_CACHE_HOME/atg/java-tools-<tag>`."""
    return tool_home(f"java-tools-{TOOLS_TAG}")


@dataclass(frozen=True)
class Jdk:
    """The JDK atg compiles and runs Java with.

    Attributes:
        home: its root (`bin/java`, `bin/javac`, `release`).
        version: its feature version (17 for 17.0.15).
    """

    home: Path
    version: int

    @property
    def java(self) -> Path:
        return self.home / "bin" / "java"

    @property
    def javac(self) -> Path:
        return self.home / "bin" / "javac"

    def outside_paths(self) -> list[Path]:
        """Directories outside /usr the JDK's files link to (Debian keeps its configuration in
        /etc/java-<v>-openjdk): the sandbox binds them read-only beside the JDK."""
        found: set[Path] = set()
        roots = [self.home, *(self.home / name for name in ("conf", "lib"))]
        roots += [path for path in (self.home / "conf").glob("*") if path.is_dir()]
        for directory in roots:
            if not directory.is_dir():
                continue
            for entry in directory.iterdir():
                if entry.is_symlink():
                    target = entry.resolve()
                    folder = target if target.is_dir() else target.parent
                    if folder.exists() and not str(folder).startswith("/usr/"):
                        found.add(folder)
        if not str(self.home.resolve()).startswith("/usr/"):
            found.add(self.home.resolve())
        return sorted(found)


def find_jdk() -> Jdk:
    """The JDK named by `JAVA_HOME`, else the one whose `javac` is on the PATH.

    Raises:
        ToolsMissingError: no JDK (a Java runtime without `javac` is not enough).
    """
    named = os.environ.get("JAVA_HOME")
    if named and (Path(named) / "bin" / "javac").is_file():
        home = Path(named).resolve()
    else:
        javac = shutil.which("javac")
        if javac is None:
            raise ToolsMissingError(
                "no JDK found (javac is not on the PATH and JAVA_HOME names none): "
                "install a JDK (17 or newer), e.g. Debian's openjdk-17-jdk-headless"
            )
        home = Path(javac).resolve().parent.parent
    return Jdk(home=home, version=_feature_version(home))


@cache
def _feature_version(home: Path) -> int:
    try:
        text = (home / "release").read_text(encoding="utf-8")
    except OSError:
        text = ""
    found = re.search(r'JAVA_VERSION="(?:1\.)?(\d+)', text)
    if found:
        return int(found.group(1))
    completed = subprocess.run(
        [str(home / "bin" / "java"), "-version"], capture_output=True, text=True, check=False
    )
    found = re.search(r'version "(?:1\.)?(\d+)', completed.stderr)
    return int(found.group(1)) if found else 17


def security_manager_flags(jdk: Jdk) -> list[str]:
    """JDK 18 to 23 refuse `System.setSecurityManager` unless allowed on the command line."""
    return ["-Djava.security.manager=allow"] if 12 <= jdk.version < 24 else []


@dataclass(frozen=True)
class JavaTools:
    """Paths of the set-up tools.

    Attributes:
        home: the tool home (bound read-only into the sandbox).
        jdk: the JDK that compiled the harness and runs the tests.
    """

    home: Path
    jdk: Jdk

    @property
    def junit_jar(self) -> Path:
        return self.home / "lib" / JUNIT_JAR

    @property
    def agent_jar(self) -> Path:
        return self.home / "lib" / AGENT_JAR

    @property
    def cli_jar(self) -> Path:
        return self.home / "lib" / CLI_JAR

    @property
    def maven_repository(self) -> Path:
        """atg's local Maven repository, which Maven projects are built with (offline)."""
        return self.home / "m2"

    @property
    def harness_jar(self) -> Path:
        return self.home / "atg-harness.jar"

    @property
    def runner_classpath(self) -> str:
        """The harness's class path: its jar, JUnit and JaCoCo's analyzer (jars only: class
        data sharing takes no directory)."""
        return os.pathsep.join(str(p) for p in (self.harness_jar, self.junit_jar, self.cli_jar))

    def cds(self, name: str) -> list[str]:
        """The flag that maps the class-data-sharing archive `name` (`compile`, `run`), when
        set-up recorded one (a JVM that cannot use it starts without it)."""
        archive = self.home / "cds" / f"{name}.jsa"
        return [f"-XX:SharedArchiveFile={archive}"] if archive.is_file() else []


def _harness_digest() -> str:
    digest = hashlib.sha256()
    for name in HARNESS_SOURCES:
        digest.update((HARNESS_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def _stamp(jdk: Jdk) -> dict[str, str]:
    return {
        "junit_platform": JUNIT_PLATFORM_VERSION,
        "jacoco": JACOCO_VERSION,
        "harness": _harness_digest(),
        "maven_template": hashlib.sha256(TEMPLATE_POM.read_bytes()).hexdigest()[:16],
        "jdk": f"{jdk.home} {jdk.version}",
    }


def java_tools(home: Path | None = None) -> JavaTools:
    """The tools `atg setup java` set up, checked to be complete and current.

    Raises:
        ToolsMissingError: they are not set up, are incomplete, or were set up by another atg
            version or JDK; the message says to run `atg setup java`.
    """
    home = home or java_tools_home()
    jdk = find_jdk()
    tools = JavaTools(home=home, jdk=jdk)
    try:
        stamp = json.loads((home / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ToolsMissingError(
            f"the Java tools (JUnit {JUNIT_PLATFORM_VERSION}, JaCoCo {JACOCO_VERSION}) are not "
            f"set up in {home}: {HOW_TO_INSTALL}"
        ) from None
    if stamp != _stamp(jdk):
        raise ToolsMissingError(
            f"the Java tools in {home} were set up for another atg harness or JDK: {HOW_TO_INSTALL}"
        )
    needed = (tools.junit_jar, tools.agent_jar, tools.cli_jar, tools.harness_jar)
    missing = [path for path in needed if not path.is_file()]
    if missing:
        raise ToolsMissingError(f"{missing[0]} is missing: {HOW_TO_INSTALL} --force")
    return tools


def install_java_tools(
    home: Path | None = None, *, say: Callable[[str], None] = print, force: bool = False
) -> Path:
    """Fetch JUnit and JaCoCo from Maven Central with Maven and compile atg's harness; return
    the tool home. Nothing is done when they are there and current (unless `force`); when only
    the harness changed (a new atg), only the harness is compiled again.

    Raises:
        ToolsMissingError: no JDK, or no Maven (`mvn`) when the jars must be fetched.
        OSError: Maven or javac failed; the message has their reason.
    """
    home = home or java_tools_home()
    jdk = find_jdk()
    tools = JavaTools(home=home, jdk=jdk)
    stamp_file = home / _STAMP
    if not force:
        try:
            java_tools(home)
            say(f"the Java tools are already set up in {home}")
            return home
        except ToolsMissingError:
            pass
    stamp_file.unlink(missing_ok=True)  # an interrupted set-up is redone, not trusted
    jars = (tools.junit_jar, tools.agent_jar, tools.cli_jar)
    if force or not all(jar.is_file() for jar in jars):
        _fetch_jars(home / "lib", say)
    say(f"compiling atg's JUnit harness with {jdk.javac}")
    _compile_harness(tools)
    say("recording class-data-sharing archives for a faster JVM start")
    _record_cds(tools, say)
    _fill_maven_repository(tools, say)
    stamp_file.write_text(json.dumps(_stamp(jdk), indent=1) + "\n", encoding="utf-8")
    say(f"Java tools ready in {home}")
    return home


def _fetch_jars(lib: Path, say: Callable[[str], None]) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ToolsMissingError(
            "Maven (mvn) is needed once to fetch JUnit and JaCoCo: install it (Debian: maven)"
        )
    say(
        f"fetching JUnit Platform {JUNIT_PLATFORM_VERSION} (console standalone) and JaCoCo "
        f"{JACOCO_VERSION} (agent, CLI) from Maven Central"
    )
    lib.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atg-mvn-") as scratch:
        pom = Path(scratch) / "pom.xml"
        shutil.copyfile(POM, pom)
        completed = subprocess.run(
            [mvn, "-q", "-B", "--no-transfer-progress", "-f", str(pom), "dependency:copy",
             f"-Datg.out={lib}"],
            capture_output=True, text=True, check=False, cwd=scratch, timeout=900,
        )  # fmt: skip
    if completed.returncode != 0:
        lines = [line for line in completed.stdout.splitlines() if "ERROR" in line]
        reason = lines[0] if lines else (completed.stderr.strip() or completed.stdout.strip())
        raise OSError(f"mvn dependency:copy failed (exit status {completed.returncode}): {reason}")


def _fill_maven_repository(tools: JavaTools, say: Callable[[str], None]) -> None:
    """Build the template project (the sample class and its tests) with network the way a Maven
    project is built at run time, so that atg's Maven repository holds the plugins atg adds."""
    # imported here: the Maven module builds on this one
    from agentic_testgen.languages.java._maven import prefetch_build  # noqa: PLC0415

    say(f"filling atg's Maven repository {tools.maven_repository} (JaCoCo, Surefire, JUnit)")
    with tempfile.TemporaryDirectory(prefix="atg-mvn-template-") as scratch:
        root = Path(scratch)
        shutil.copyfile(TEMPLATE_POM, root / "pom.xml")
        for folder, name, text in (
            ("main", "Sample.java", _SAMPLE_MODULE),
            ("test", "SampleTest.java", _SAMPLE_TESTS),
        ):
            path = root / "src" / folder / "java" / "atg" / "sample" / name
            path.parent.mkdir(parents=True)
            path.write_text(text, encoding="utf-8")
        prefetch_build(root, tools, test_class="atg.sample.SampleTest", say=say)


def _compile_harness(tools: JavaTools) -> None:
    jars = (tools.junit_jar, tools.agent_jar, tools.cli_jar)
    with tempfile.TemporaryDirectory(prefix="atg-harness-") as scratch:
        classes = Path(scratch)
        completed = subprocess.run(
            [str(tools.jdk.javac), *(f"-J{flag}" for flag in FAST_JVM[:2]), "-nowarn",
             "-Xlint:none", "-encoding", "UTF-8", "--release", "11", "-d", str(classes),
             "-cp", os.pathsep.join(str(jar) for jar in jars),
             *(str(HARNESS_DIR / name) for name in HARNESS_SOURCES)],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        if completed.returncode != 0:
            raise OSError(f"compiling atg's Java harness failed: {completed.stderr.strip()[:2000]}")
        partial = tools.harness_jar.with_suffix(".tmp")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
            for path in sorted(classes.rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
            jar.writestr(_SERVICE, _SKIP_STOPPED + "\n")
        partial.replace(tools.harness_jar)


_SAMPLE_MODULE = """package atg.sample;

public class Sample {
    public static int clamp(int x, int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("lo > hi");
        }
        return Math.max(lo, Math.min(x, hi));
    }
}
"""
_SAMPLE_TESTS = """package atg.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SampleTest {
    @Test
    void clampsLow() {
        assertEquals(1, Sample.clamp(0, 1, 5));
    }

    @Test
    void rejectsInvertedBounds() {
        assertThrows(IllegalArgumentException.class, () -> Sample.clamp(0, 5, 1));
    }

    @Test
    void fails() {
        assertEquals(2, Sample.clamp(3, 1, 5));
    }

    @Disabled("sample")
    @Test
    void disabled() {}

    @ParameterizedTest
    @ValueSource(ints = {7, 9})
    void clampsHigh(int x) {
        assertEquals(5, Sample.clamp(x, 1, 5));
    }

    @ParameterizedTest
    @CsvSource({"3, 3", "4, 4"})
    void keepsInside(int x, int expected) {
        assertEquals(expected, Sample.clamp(x, 1, 5));
    }
}
"""


def _record_cds(tools: JavaTools, say: Callable[[str], None]) -> None:
    """Compile and run a sample class and its tests once, each JVM writing the classes it
    loaded to an archive; a JDK that cannot is only slower."""
    archives = tools.home / "cds"
    shutil.rmtree(archives, ignore_errors=True)
    archives.mkdir()
    with tempfile.TemporaryDirectory(prefix="atg-cds-") as scratch:
        work = Path(scratch)
        module = work / "src" / "atg" / "sample" / "Sample.java"
        tests = work / "test" / "atg" / "sample" / "SampleTest.java"
        for path, text in ((module, _SAMPLE_MODULE), (tests, _SAMPLE_TESTS)):
            path.parent.mkdir(parents=True)
            path.write_text(text, encoding="utf-8")
        main, test = work / "classes" / "main", work / "classes" / "test"
        common = ["-g", "-proc:none", "-encoding", "UTF-8", "-nowarn"]
        compile_cmd = [
            str(tools.jdk.java), *FAST_JVM, f"-XX:ArchiveClassesAtExit={archives / 'compile.jsa'}",
            "-cp", str(tools.harness_jar), COMPILE_CLASS, *common, "-d", str(main), str(module),
            "--then", *common, "-d", str(test), "-cp", f"{main}{os.pathsep}{tools.junit_jar}",
            str(tests),
        ]  # fmt: skip
        config = work / "config.properties"
        config.write_text(
            f"key=atg\nmodule.classes={main}\ntest.classes={test}\nreruns=1\ntimeout.ms=10000\n",
            encoding="utf-8",
        )
        run_cmd = [
            str(tools.jdk.java), *FAST_JVM, *security_manager_flags(tools.jdk),
            f"-XX:ArchiveClassesAtExit={archives / 'run.jsa'}", "-cp", tools.runner_classpath,
            RUNNER_CLASS, str(config),
        ]  # fmt: skip
        for cmd in (compile_cmd, run_cmd):
            completed = subprocess.run(
                cmd, capture_output=True, text=True, check=False, timeout=300, cwd=work
            )
            if completed.returncode != 0:
                say(f"no class-data-sharing archive (JVM start-up stays slower): {cmd[-1]} "
                    f"exited with {completed.returncode}")  # fmt: skip
                shutil.rmtree(archives, ignore_errors=True)
                return
