"""What a Maven build reports, read back: Surefire's JUnit XML files and JaCoCo's XML report.

Both are written inside the sandbox by the build that ran the tests, where test code can write
too; the project mode checks them against the harness's sealed run (see `_project.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from agentic_testgen.domain import TestOutcome

# `name`, `name(int, String)`, `name(int)[2]`: a test method's name as Surefire writes it
_TESTCASE = re.compile(r"^(?P<method>[^(\[]*)(?P<params>\([^)]*\))?(?P<rest>.*)$", re.S)
# the harness's node id: the class path, then the method with its parameters and invocation
_NODEID = re.compile(r"^(?P<cls>.+)::(?P<method>[^:(\[]+)(?P<params>\([^)]*\))?(?P<rest>.*)$", re.S)
_FAILURE_LIMIT = 4000
_FAILURE_LINES = 20
# names JUnit gives a test case that stands for its class, not one of its methods
_CLASS_LEVEL = {"", "initializationError", "classMethod"}
_FRAMEWORK_FRAMES = tuple(
    f"at {prefix}"
    for prefix in (
        "org.junit.", "java.", "jdk.", "sun.", "org.apache.maven.surefire.", "java.base/",
        "jdk.internal.", "org.opentest4j.",
    )
)  # fmt: skip


@dataclass(frozen=True)
class SurefireCase:
    """One `<testcase>` of Surefire's reports.

    Attributes:
        class_path: the test class's simple name, nested classes joined by `::`.
        name: Surefire's `name` (`clamps`, `clamps(int)[2]`).
        outcome: its verdict (see `read_surefire_reports`).
        duration_s: its `time`.
        failure: the failure's message and first lines, or None.
    """

    class_path: str
    name: str
    outcome: TestOutcome
    duration_s: float
    failure: str | None

    def nodeid(self, harness_ids: list[str]) -> str | None:
        """The harness's node id for this case among `harness_ids`, or None when none fits."""
        own = _TESTCASE.match(self.name)
        assert own is not None  # the pattern matches any text
        candidates = []
        for nodeid in harness_ids:
            other = _NODEID.match(nodeid)
            if (
                other is not None
                and other["cls"] == self.class_path
                and other["method"] == own["method"]
                and other["rest"] == own["rest"]
            ):
                candidates.append((other["params"] == own["params"], nodeid))
        if not candidates:
            return None
        # an overloaded method Surefire names without its parameters: the exact one if any
        candidates.sort(key=lambda pair: not pair[0])
        return candidates[0][1]

    def fallback_nodeid(self) -> str:
        """A node id in the harness's shape, made from Surefire's names alone."""
        own = _TESTCASE.match(self.name)
        assert own is not None
        if not own["method"]:
            return self.class_path
        return f"{self.class_path}::{own['method']}{own['params'] or '()'}{own['rest']}"

    @property
    def class_level(self) -> bool:
        """Whether the case stands for its class (a failed `@BeforeAll`, JUnit 4's
        `initializationError`) rather than for a test method."""
        return self.name in _CLASS_LEVEL or self.name == self.class_path


def _class_path(classname: str) -> str:
    return classname.rsplit(".", 1)[-1].replace("$", "::")


def _seconds(text: str | None) -> float:
    try:
        return float((text or "0").replace(",", ""))
    except ValueError:
        return 0.0


def _failure_text(element: ElementTree.Element) -> str:
    """The exception's lines and the frames that name no test framework or JDK class (as the
    harness keeps them), with its causes."""
    message = element.get("message") or ""
    lines = [
        line
        for line in (element.text or "").strip().splitlines()
        if not line.strip().startswith(_FRAMEWORK_FRAMES)
    ][:_FAILURE_LINES]
    text = "\n".join(lines) if lines else message
    if message and message not in text:
        text = f"{message}\n{text}"
    return text[:_FAILURE_LIMIT]


def _case(testcase: ElementTree.Element) -> SurefireCase:
    failed = testcase.find("failure")
    error = testcase.find("error")
    skipped = testcase.find("skipped")
    name = testcase.get("name") or ""
    class_path = _class_path(testcase.get("classname") or "")
    outcome = TestOutcome.PASSED
    failure: str | None = None
    problem = failed if failed is not None else error
    if problem is not None:
        failure = _failure_text(problem)
        kind = problem.get("type") or ""
        if kind.endswith("TimeoutException") and "timed out after" in failure:
            outcome = TestOutcome.TIMEOUT
        elif name in _CLASS_LEVEL or name == class_path:
            outcome = TestOutcome.ERROR
        else:
            # JUnit's own verdict is "failed" whatever the test threw (Surefire's "error" only
            # says it was not an AssertionError), as in the lone-class mode
            outcome = TestOutcome.FAILED
    elif skipped is not None:
        outcome = TestOutcome.SKIPPED
    return SurefireCase(
        class_path=class_path,
        name=name,
        outcome=outcome,
        duration_s=_seconds(testcase.get("time")),
        failure=failure,
    )


def read_surefire_reports(directory: Path) -> tuple[list[SurefireCase], list[str]]:
    """Every test case of the `TEST-*.xml` files in `directory` (each once: Surefire may put a
    nested class's cases into its outer class's file as well), and the files it could not read.

    Verdicts: a `<failure>` or `<error>` is failed (a `java.util.concurrent.TimeoutException`
    saying "timed out after", JUnit's timeout, is a timeout; one on a case that names its class,
    not a method, is an error), a `<skipped>` is skipped, anything else passed.
    """
    cases: dict[tuple[str, str], SurefireCase] = {}
    unreadable: list[str] = []
    for path in sorted(directory.glob("TEST-*.xml")):
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError) as error:
            unreadable.append(f"{path.name}: {error}")
            continue
        for testcase in root.iter("testcase"):
            case = _case(testcase)
            cases.setdefault((case.class_path, case.name), case)
    return list(cases.values()), unreadable


def read_jacoco_file(report: Path, package: tuple[str, ...], file_name: str) -> dict[str, Any]:
    """The `<sourcefile>` of JaCoCo's XML report for `package`/`file_name`, in the shape the
    harness reports a file: `lines` ([line, mi, ci, mb, cb], lines with code only),
    `line_counter` and `branch_counter` ([missed, covered]).

    Raises:
        OSError, ElementTree.ParseError: the report cannot be read.
        LookupError: the report has no such source file.
    """
    root = ElementTree.parse(report).getroot()
    wanted = "/".join(package)
    for element in root.iter("package"):
        if element.get("name", "") != wanted:
            continue
        for sourcefile in element.iter("sourcefile"):
            if sourcefile.get("name") == file_name:
                return _file_json(sourcefile)
    raise LookupError(f"JaCoCo's report has no {'/'.join((*package, file_name))}")


def _file_json(sourcefile: ElementTree.Element) -> dict[str, Any]:
    lines = [
        [int(line.get(key) or 0) for key in ("nr", "mi", "ci", "mb", "cb")]
        for line in sourcefile.iter("line")
    ]
    counters = {
        counter.get("type"): [int(counter.get("missed") or 0), int(counter.get("covered") or 0)]
        for counter in sourcefile.iter("counter")
    }
    return {
        "name": sourcefile.get("name"),
        "lines": lines,
        "line_counter": counters.get("LINE", [0, 0]),
        "branch_counter": counters.get("BRANCH", [0, 0]),
    }
