"""Check the reference tests of the built-in JavaScript and Java datasets with the real tools.

Every entry is copied alone into a temporary folder and its reference tests are run there:

- JavaScript: `node --test --experimental-test-coverage` on the test file (Node 20), with the
  TAP reporter for the counts and the lcov reporter for the module's line and branch coverage.
- Java: the class and its test are compiled with `javac` against the JUnit console launcher,
  run with `java -javaagent:jacocoagent.jar=... -jar junit-platform-console-standalone.jar
  execute --select-class atg.examples.<Name>Test`, and `jacococli report` is read for the
  class's own line and branch counters (its nested classes included, the test excluded).

The jars are fetched once with Maven into --jars (default /tmp/atg-java-jars) when missing.
An entry passes when every test passes and line and branch coverage are both >= --min (90 %).

Usage: PYTHONPATH=src .venv/bin/python bench/check_reference_tests.py
           [--dataset javascript --dataset java] [--only ID ...] [--min 90] [--json FILE]
Exit status: 0 when every entry passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path

from agentic_testgen.datasets import DatasetEntry, load_dataset

JUNIT = "org.junit.platform:junit-platform-console-standalone:1.14.1"
JACOCO_AGENT = "org.jacoco:org.jacoco.agent:0.8.15:jar:runtime"
JACOCO_CLI = "org.jacoco:org.jacoco.cli:0.8.15:jar:nodeps"
JAVA_PACKAGE = "atg.examples"
TIMEOUT_S = 300


@dataclass
class Result:
    entry: str
    tests: int = 0
    passed: int = 0
    line: float | None = None
    branch: float | None = None
    problem: str = ""

    def ok(self, minimum: float) -> bool:
        return (
            not self.problem
            and self.tests > 0
            and self.passed == self.tests
            and (self.line or 0.0) >= minimum
            and (self.branch or 0.0) >= minimum
        )


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )


def _percent(hit: int, found: int) -> float:
    return 100.0 if found == 0 else round(100.0 * hit / found, 2)


def _lay_out(entry: DatasetEntry, folder: Path) -> tuple[Path, Path]:
    assert entry.reference_tests is not None
    module = folder / Path(entry.source.path).name
    tests = folder / entry.reference_tests.filename
    module.write_text(entry.source.code, encoding="utf-8")
    tests.write_text(entry.reference_tests.code, encoding="utf-8")
    return module, tests


def check_javascript(entry: DatasetEntry, work: Path) -> Result:
    result = Result(entry.id)
    module, tests = _lay_out(entry, work)
    lcov = work / "lcov.info"
    done = _run(
        [
            "node",
            "--test",
            "--experimental-test-coverage",
            "--test-reporter=tap",
            "--test-reporter-destination=stdout",
            "--test-reporter=lcov",
            f"--test-reporter-destination={lcov}",
            tests.name,
        ],
        work,
    )
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", done.stdout, re.MULTILINE))
    result.tests, result.passed = int(counts.get("tests", 0)), int(counts.get("pass", 0))
    if done.returncode != 0:
        result.problem = f"node exited {done.returncode}"
    records = lcov.read_text().split("end_of_record") if lcov.exists() else []
    source_file = re.compile(rf"^SF:(?:.*/)?{re.escape(module.name)}$", re.MULTILINE)
    record = next((r for r in records if source_file.search(r)), None)
    if record is None:
        result.problem = result.problem or "no coverage recorded for the module"
        return result
    field = dict(re.findall(r"^(LF|LH|BRF|BRH):(\d+)$", record, re.MULTILINE))
    result.line = _percent(int(field.get("LH", 0)), int(field.get("LF", 0)))
    result.branch = _percent(int(field.get("BRH", 0)), int(field.get("BRF", 0)))
    return result


def java_jars(folder: Path) -> dict[str, Path]:
    """The JUnit launcher and JaCoCo's agent and CLI, fetched with Maven when missing."""
    wanted = {
        "junit": (JUNIT, "junit-platform-console-standalone-*.jar"),
        "agent": (JACOCO_AGENT, "org.jacoco.agent-*-runtime.jar"),
        "cli": (JACOCO_CLI, "org.jacoco.cli-*-nodeps.jar"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    jars = {}
    for key, (artifact, pattern) in wanted.items():
        found = sorted(folder.glob(pattern))
        if not found:
            subprocess.run(
                ["mvn", "-q", "dependency:copy", f"-Dartifact={artifact}",
                 f"-DoutputDirectory={folder}"],
                check=True, timeout=TIMEOUT_S,
            )  # fmt: skip
            found = sorted(folder.glob(pattern))
        jars[key] = found[-1]
    return jars


def _jacoco_counters(report: Path) -> dict[str, tuple[int, int]]:
    """The report's own totals: {'LINE': (covered, missed), 'BRANCH': ...}."""
    root = ET.parse(report).getroot()
    return {
        counter.get("type", ""): (int(counter.get("covered", 0)), int(counter.get("missed", 0)))
        for counter in root.findall("counter")
    }


def check_java(entry: DatasetEntry, work: Path, jars: dict[str, Path]) -> Result:
    result = Result(entry.id)
    name = entry.source.module_name
    sources = work / "src" / Path(*JAVA_PACKAGE.split("."))
    sources.mkdir(parents=True)
    module, tests = _lay_out(entry, sources)
    classes = work / "classes"
    compiled = _run(
        ["javac", "-d", str(classes), "-cp", str(jars["junit"]), str(module), str(tests)], work
    )
    if compiled.returncode != 0:
        result.problem = "javac: " + compiled.stderr.strip().splitlines()[0]
        return result
    execution = work / "jacoco.exec"
    agent = f"-javaagent:{jars['agent']}=destfile={execution},includes={JAVA_PACKAGE}.*"
    done = _run(
        ["java", agent, "-jar", str(jars["junit"]), "execute", "--disable-banner",
         "--details=summary", "-cp", str(classes),
         f"--select-class={JAVA_PACKAGE}.{Path(tests.name).stem}"],
        work,
    )  # fmt: skip
    counts = dict(
        (kind, int(number))
        for number, kind in re.findall(r"\[\s*(\d+) tests (found|successful)\s*\]", done.stdout)
    )
    result.tests, result.passed = counts.get("found", 0), counts.get("successful", 0)
    if done.returncode != 0:
        result.problem = f"junit exited {done.returncode}"
    # the module's classes only: Name.class and its nested Name$*.class, not NameTest*.class
    package_dir = classes / Path(*JAVA_PACKAGE.split("."))
    measured = work / "measured"
    measured.mkdir()
    for path in [package_dir / f"{name}.class", *package_dir.glob(f"{name}$*.class")]:
        shutil.copy(path, measured / path.name)
    report = work / "report.xml"
    reported = _run(
        ["java", "-jar", str(jars["cli"]), "report", str(execution), "--classfiles",
         str(measured), "--xml", str(report)],
        work,
    )  # fmt: skip
    if reported.returncode != 0 or not report.exists():
        result.problem = result.problem or "jacoco report failed"
        return result
    counters = _jacoco_counters(report)
    line, branch = counters.get("LINE", (0, 0)), counters.get("BRANCH", (0, 0))
    result.line = _percent(line[0], sum(line))
    result.branch = _percent(branch[0], sum(branch))
    return result


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", help="javascript and java by default")
    parser.add_argument("--only", nargs="*", default=[], help="entry ids")
    parser.add_argument("--min", type=float, default=90.0, help="line and branch coverage, %%")
    parser.add_argument("--jars", type=Path, default=Path("/tmp/atg-java-jars"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    results: list[Result] = []
    jars: dict[str, Path] | None = None
    for dataset_name in args.dataset or ["javascript", "java"]:
        dataset = load_dataset(dataset_name)
        for entry in dataset.entries:
            if args.only and entry.id not in args.only:
                continue
            with tempfile.TemporaryDirectory(prefix="atg-ref-") as folder:
                work = Path(folder)
                if entry.reference_tests is None:
                    results.append(Result(entry.id, problem="no reference tests"))
                elif entry.source.language == "javascript":
                    results.append(check_javascript(entry, work))
                elif entry.source.language == "java":
                    jars = jars or java_jars(args.jars)
                    results.append(check_java(entry, work, jars))
                else:
                    results.append(Result(entry.id, problem=f"{entry.source.language} not checked"))
            last = results[-1]
            print(f"  {last.entry}: {'ok' if last.ok(args.min) else 'FAILED'}", file=sys.stderr)

    width = max(len("entry"), *(len(r.entry) for r in results))
    print(f"{'entry':<{width}}  tests  pass  line %  branch %  ok")
    for r in results:
        print(
            f"{r.entry:<{width}}  {r.tests:>5}  {r.passed:>4}  {_shown(r.line):>6}  "
            f"{_shown(r.branch):>8}  {'yes' if r.ok(args.min) else 'NO ' + r.problem}"
        )
    failed = [r.entry for r in results if not r.ok(args.min)]
    print(f"{len(results) - len(failed)}/{len(results)} entries pass (line and branch >= "
          f"{args.min:g} %)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
