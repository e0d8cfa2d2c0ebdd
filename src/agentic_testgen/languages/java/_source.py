"""What a Java file says about itself, read from its text: its package, its classes, its tests."""

from __future__ import annotations

import re
from pathlib import Path

from agentic_testgen.domain import Language, SourceUnit
from agentic_testgen.languages.java._maven import maven_root

_NAME = r"[A-Za-z_$][\w$]*"
# comments and blank space may stand before the package declaration
_PACKAGE = re.compile(
    rf"(?:\s+|//[^\n]*|/\*.*?\*/)*package\s+({_NAME}(?:\s*\.\s*{_NAME})*)\s*;", re.DOTALL
)
_COMMENT_OR_TEXT = re.compile(
    r'//[^\n]*|/\*.*?\*/|"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
    re.DOTALL,
)
_TYPE = re.compile(rf"\b(public\s+)?(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\s+)*"
                   rf"(?:class|interface|enum|record|@interface)\s+({_NAME})")  # fmt: skip
# Test annotations and what one of them counts for, to bound a run's time
_TESTS = re.compile(
    r"@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\b(\s*\(\s*(\d+))?"
)
# Cases assumed for a parametrized test or a test factory (their cases are not counted here)
UNKNOWN_CASES = 10


def without_comments(code: str) -> str:
    """The code with comments and string and character literals blanked (lines kept)."""

    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        return re.sub(r"[^\n]", " ", text)

    return _COMMENT_OR_TEXT.sub(blank, code)


def package_of(code: str) -> tuple[str, ...]:
    """The parts of the file's `package a.b;` declaration (empty when it has none)."""
    found = _PACKAGE.match(code)
    if found is None:
        return ()
    return tuple(part.strip() for part in found.group(1).split("."))


def type_names(code: str) -> list[str]:
    """Names of the types the file declares, public ones first, in order."""
    found = [(bool(m.group(1)), m.group(2)) for m in _TYPE.finditer(without_comments(code))]
    return [name for public, name in found if public] + [
        name for public, name in found if not public
    ]


def test_file_name(filename: str, code: str) -> str:
    """The name the test file must have for javac: its own when it ends in `.java`, else its
    public (or first) class's."""
    name = Path(filename).name
    if name.endswith(".java"):
        return name
    names = type_names(code)
    return f"{names[0] if names else 'GeneratedTest'}.java"


def test_count(code: str) -> int:
    """How many tests a file holds, from its annotations (a parametrized test or factory counts
    as `UNKNOWN_CASES`, a repeated test as its repetitions)."""
    count = 0
    for match in _TESTS.finditer(without_comments(code)):
        kind, repetitions = match.group(1), match.group(3)
        if kind == "Test":
            count += 1
        elif kind == "RepeatedTest" and repetitions:
            count += int(repetitions)
        else:
            count += UNKNOWN_CASES
    return max(1, count)


def source_unit_from_path(path: Path) -> SourceUnit:
    """A `.java` file as a `SourceUnit`: its class is the file's stem, its package the file's
    `package` declaration; a file under a Maven project's `src/main/java` has that project as its
    `project_root` (its tests then run through the project's build).

    Raises:
        OSError, UnicodeDecodeError: the file cannot be read.
    """
    code = path.read_text(encoding="utf-8")
    return SourceUnit(
        path=str(path),
        code=code,
        module_name=path.stem,
        package=package_of(code),
        language=Language.JAVA,
        project_root=str(root) if (root := maven_root(path)) else None,
    )
