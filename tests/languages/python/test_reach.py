"""Which tests a mutant acting at import time is run against, from the module's syntax."""

from __future__ import annotations

import textwrap
from pathlib import Path

from agentic_testgen.domain import GeneratedTests, MutantStatus, SourceUnit
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.languages.python._reach import ImportTimeReach, Reach, neighbours
from agentic_testgen.sandbox import get_sandbox

RULES = textwrap.dedent(
    """
    import re

    PLURALS = [("(ox)$", "oxen"), ("s$", "ses")]
    SINGULARS = [("(ox)en$", "ox")]
    LIMIT = 3


    def _irregular(singular, plural):
        PLURALS.insert(0, (singular + "$", plural))
        SINGULARS.insert(0, (plural + "$", singular))


    def pluralize(word):
        for rule, replacement in PLURALS:
            if re.search(rule, word):
                return re.sub(rule, replacement, word)
        return word + "s"


    def singularize(word):
        for rule, replacement in SINGULARS:
            if re.search(rule, word):
                return re.sub(rule, replacement, word)
        return word


    def shorten(word, limit=LIMIT):
        return word[:limit]


    def clip(text, size=10):
        return text[:size]


    _irregular("person", "people")
    """
)
RULE_TESTS = textwrap.dedent(
    """
    import rules


    def test_plural():
        assert rules.pluralize("ox") == "oxen"


    def test_person():
        assert rules.pluralize("person") == "people"


    def test_shorten():
        assert rules.shorten("abcdef") == "abc"


    def test_clip():
        assert rules.clip("abc") == "abc"


    class TestTables:
        def test_limit_is_small(self):
            assert rules.LIMIT < 5
    """
)


def line_of(text: str, code: str = RULES) -> int:
    return next(n for n, line in enumerate(code.splitlines(), 1) if text in line)


def body_lines(name: str, code: str = RULES) -> set[int]:
    start = line_of(f"def {name}(", code)
    lines = code.splitlines()
    end = start
    while end < len(lines) and (not lines[end] or lines[end].startswith("    ")):
        end += 1
    return {n for n in range(start + 1, end + 1) if lines[n - 1].strip()}


def reach(line: int, tests: str = RULE_TESTS, code: str = RULES) -> Reach | None:
    return ImportTimeReach(code, tests, []).reach(line)


def test_a_table_reaches_the_functions_that_read_it_and_what_fills_it() -> None:
    found = reach(line_of("PLURALS = "))
    assert found is not None
    # `_irregular`, called when the module loads, fills both tables: what reads either counts
    assert body_lines("pluralize") <= found.lines
    assert body_lines("singularize") <= found.lines
    assert not body_lines("shorten") & found.lines
    assert found.tests == frozenset()


def test_a_default_reaches_its_function_and_a_constant_the_tests_naming_it() -> None:
    clip = reach(line_of("def clip("))
    assert clip is not None and body_lines("clip") <= clip.lines
    assert not body_lines("pluralize") & clip.lines
    limit = reach(line_of("LIMIT = 3"))
    assert limit is not None
    assert body_lines("shorten") <= limit.lines  # its default reads LIMIT when defined
    assert limit.tests == {"TestTables::test_limit_is_small", "test_shorten"}


def test_what_the_syntax_cannot_follow_reaches_every_test(tmp_path: Path) -> None:
    bare_call = RULES + "\nre.purge()\n"
    assert reach(line_of("re.purge()", bare_call), code=bare_call) is None
    dynamic = RULES + "\n\ndef table(name):\n    return globals()[name]\n"
    assert reach(line_of("PLURALS = ", dynamic), code=dynamic) is None
    fixture = RULE_TESTS + "\n\nDEFAULT = rules.LIMIT\n"
    assert reach(line_of("LIMIT = 3"), tests=fixture) is None  # named outside a test
    starred = "from rules import *\n" + RULE_TESTS
    assert reach(line_of("LIMIT = 3"), tests=starred) is None
    assert reach(line_of("import re")) is None
    # another module of the package names it
    (tmp_path / "rules.py").write_text(RULES)
    (tmp_path / "api.py").write_text("from .rules import PLURALS\n")
    others = neighbours(tmp_path / "rules.py", None)
    assert others == [tmp_path / "api.py"]
    assert ImportTimeReach(RULES, RULE_TESTS, others).reach(line_of("PLURALS = ")) is None


def test_import_time_mutants_run_against_the_tests_that_reach_them() -> None:
    source = SourceUnit(path="rules.py", code=RULES, module_name="rules")
    tests = GeneratedTests(code=RULE_TESTS, filename="test_rules.py")
    outcome = get_adapter("python").run(
        source, tests, get_sandbox("bwrap"), RunOptions(reruns=0, test_timeout_s=5.0)
    )
    assert outcome.mutation is not None
    by_change = {(m.line, m.original, m.mutated): m for m in outcome.mutation.mutants}
    ox = by_change[(line_of("PLURALS = "), "'(ox)$'", "'XX(ox)$XX'")]
    assert ox.status == MutantStatus.KILLED
    assert ox.tests_run == 2  # test_plural and test_person call pluralize; not the other three
    person = by_change[(line_of('_irregular("person"'), "'people'", "'XXpeopleXX'")]
    assert (person.status, person.tests_run) == (MutantStatus.KILLED, 2)
    limit = by_change[(line_of("LIMIT = 3"), "3", "4")]
    # shorten's default and the test naming LIMIT: both noticed, one killed it
    assert (limit.status, limit.tests_run) == (MutantStatus.KILLED, 2)
