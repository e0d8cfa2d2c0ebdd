"""Characterization tests for a Java class: what its methods do, written as JUnit 5 tests.

`AtgProbe.java` is compiled with the class in the sandbox and calls, through reflection, every
non-private static method with boundary and type-derived inputs, and sequences of instance
methods on objects made by each constructor (nested classes too), with a seeded generator. Each
observed call becomes a test: `assertEquals` on a value it can write as Java source
(`assertArrayEquals` for arrays), the `toString()` of an object that defines one,
`assertThrows` with the exception's class and message.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from agentic_testgen.domain import GeneratedTests, SourceUnit
from agentic_testgen.generation.characterize._javascript import Case, ProbeError
from agentic_testgen.generation.characterize._seeds import write_seeds
from agentic_testgen.sandbox import Limits, Sandbox

PROBE = Path(__file__).with_name("AtgProbe.java")
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
JVM_OPTIONS = ("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m")


@cache
def jdk_paths() -> tuple[Path, ...]:
    """Folders outside /usr the JDK reads (Debian links its `conf` into /etc/java-17-openjdk):
    the sandbox must show them, or the JVM cannot load its security settings."""
    java = shutil.which("java")
    if java is None:
        return ()
    home = Path(java).resolve().parent.parent
    found = set()
    for link in home.rglob("*"):
        if link.is_symlink():
            target = link.resolve()
            if target.exists() and not target.is_relative_to("/usr"):
                found.add(Path(*target.parts[:3]))
    return tuple(sorted(found))


def package_of(source: SourceUnit) -> str:
    """The class's package, from the SourceUnit or its `package` declaration ('' for none)."""
    if source.package:
        return ".".join(source.package)
    found = _PACKAGE.search(source.code)
    return found.group(1) if found else ""


def tests_file_name(source: SourceUnit) -> str:
    return f"{source.module_name}CharacterizationTest.java"


def probe(
    source: SourceUnit, sandbox: Sandbox, *, seconds: float, seed: int = 1, calls: int = 30
) -> dict[str, Any]:
    """Compile the class and the probe, run the probe in the sandbox; its report."""
    package = package_of(source)
    workspace = Path(tempfile.mkdtemp(prefix="atg-probe-"))
    try:
        folder = workspace.joinpath("src", *package.split(".")) if package else workspace / "src"
        folder.mkdir(parents=True)
        (folder / f"{source.module_name}.java").write_text(source.code, encoding="utf-8")
        shutil.copy(PROBE, workspace / "src" / PROBE.name)
        limits = Limits(wall_time_s=seconds, memory_mb=2048)
        javac = shutil.which("javac") or "javac"
        files = [str(folder / f"{source.module_name}.java"), str(workspace / "src" / PROBE.name)]
        compiled = sandbox.execute(
            # -g as the adapter compiles: JDK's helpful NullPointerException messages name
            # parameters by their names only then
            [
                javac,
                "-g",
                "-proc:none",
                "-nowarn",
                "-encoding",
                "UTF-8",
                "-d",
                str(workspace / "classes"),
                *files,
            ],
            workspace,
            limits,
            env={},
            readonly_paths=jdk_paths(),
        )
        if compiled.returncode != 0:
            errors = [line for line in compiled.stderr.splitlines() if ": error:" in line]
            raise ProbeError(errors[0].split("/")[-1] if errors else "the class does not compile")
        key = secrets.token_hex(16)
        seeds = write_seeds(workspace, source.code, source.language)
        name = f"{package}.{source.module_name}" if package else source.module_name
        completed = sandbox.execute(
            [shutil.which("java") or "java", *JVM_OPTIONS, "-cp", str(workspace / "classes"),
             "AtgProbe", name, key, str(seed), str(calls), str(seeds)],
            workspace,
            limits,
            env={},
            readonly_paths=jdk_paths(),
        )  # fmt: skip
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    start = completed.stdout.rfind(key)
    if start < 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if "Exception" in line or "Error" in line), None)
        raise ProbeError(reason or (lines[-1] if lines else "the probe printed nothing"))
    report: dict[str, Any] = json.loads(completed.stdout[start + len(key) :])
    report["package"] = package
    return report


def _relative(canonical: str, package: str) -> str:
    return canonical.removeprefix(f"{package}.") if package else canonical


def _camel(*words: str) -> str:
    parts = [re.sub(r"\W", "", word) for word in words if word]
    text = "".join(part[:1].upper() + part[1:] for part in parts if part)
    return text[:1].lower() + text[1:]


def _check(expression: str, observed: dict[str, Any], package: str) -> tuple[str, str]:
    """(statement asserting what `expression` gave, words for the test's name)."""
    if "threw" in observed:
        error = _relative(observed["threw"], "java.lang")
        lines = f"assertThrows({observed['threw']}.class, () -> {expression});"
        # a NullPointerException's text is the JDK's own wording, which changes between versions
        if observed.get("message") is not None and error != "NullPointerException":
            lines = (
                f"var error = assertThrows({observed['threw']}.class, () -> {expression});\n"
                f"        assertEquals({json.dumps(observed['message'])}, error.getMessage());"
            )
        return lines, f"throws {error.rsplit('.', 1)[-1]}"
    if "value" in observed:
        value = observed["value"]
        check = "assertArrayEquals" if observed.get("compare") == "array" else "assertEquals"
        return f"{check}({value}, {expression});", "returns"
    if "text" in observed:
        return (
            f"assertEquals({json.dumps(observed['text'])}, String.valueOf({expression}));",
            "gives",
        )
    if observed.get("void") or observed.get("unstable"):
        return f"{expression};", "runs"
    if observed.get("kind") == "null":
        return f"assertNull({expression});", "returns null"
    return f"assertNotNull({expression});", "returns"


def cases(report: dict[str, Any]) -> list[Case]:
    """One JUnit test per observed static call and per instance method sequence."""
    package = report.get("package", "")
    found: list[Case] = []
    counter = 0
    for cls in report.get("classes", []):
        owner = _relative(cls["name"], package)
        diamond = "<>" if cls.get("generic") else ""
        for call in cls["statics"]:
            counter += 1
            statement, words = _check(f"{owner}.{call['method']}({call['args']})", call, package)
            name = _camel(call["method"], *words.split(), str(counter))
            found.append(Case(name, f"        {statement}"))
        for sequence in cls["sequences"]:
            counter += 1
            factory = sequence.get("factory")
            construct = (
                f"{owner}.{factory}({sequence['ctor']})"
                if factory
                else f"new {owner}{diamond}({sequence['ctor']})"
            )
            if "threw" in sequence:
                statement, words = _check(construct, sequence, package)
                name = _camel(factory or "new", cls["simple"], *words.split(), str(counter))
                found.append(Case(name, f"        {statement}"))
                continue
            if not sequence["steps"]:
                continue
            lines = [f"        var instance = {construct};"]
            errors = 0
            target = "instance"
            for step in sequence["steps"]:
                if step.get("follow"):
                    # the object the step returned is what the next steps call
                    made = f"instance{sum(1 for line in lines if ' = instance' in line) + 2}"
                    lines.append(f"        var {made} = {target}.{step['method']}({step['args']});")
                    target = made
                    continue
                # identity hashes (an enum's) differ from one JVM to the next: called only
                hashed = step["method"] == "hashCode" and not step["args"]
                observed = {"unstable": True} if hashed else step
                statement, _ = _check(
                    f"{target}.{step['method']}({step['args']})", observed, package
                )
                if statement.startswith("var error ="):
                    errors += 1
                    name = "error" if errors == 1 else f"error{errors}"
                    statement = statement.replace("var error =", f"var {name} =", 1)
                    statement = statement.replace("error.getMessage()", f"{name}.getMessage()")
                lines.append(f"        {statement}")
            name = _camel(cls["simple"], *(s["method"] for s in sequence["steps"]), str(counter))
            found.append(Case(name, "\n".join(lines)))
    return found


def render(source: SourceUnit, chosen: list[Case]) -> GeneratedTests:
    """A JUnit 5 test class in the class's package holding `chosen`."""
    package = package_of(source)
    name = Path(tests_file_name(source)).stem
    header = f"package {package};\n\n" if package else ""
    header += (
        "import static org.junit.jupiter.api.Assertions.*;\n\n"
        "import org.junit.jupiter.api.Test;\n\n"
        f"class {name} {{\n"
    )
    # throws Exception: a method the class declares to throw a checked exception is called
    # directly where it returns
    methods = [
        f"    @Test\n    void {case.title}() throws Exception {{\n{case.body}\n    }}\n"
        for case in chosen
    ]
    code = header + "\n".join(methods) + "}\n"
    return GeneratedTests(code=code, filename=tests_file_name(source))
