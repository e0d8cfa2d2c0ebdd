"""The JavaScript characterization probe on the built-in modules: its tests pass on the module
they describe, under real node, and assert what the module does."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agentic_testgen.datasets import load_dataset
from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation.characterize import ProbeError, _javascript
from agentic_testgen.sandbox import get_sandbox

ENTRIES = {entry.id: entry for entry in load_dataset("javascript").entries}


def _node_test(tmp_path: Path, source: SourceUnit, code: str, filename: str) -> str:
    (tmp_path / _javascript.module_file_name(source)).write_text(source.code)
    (tmp_path / filename).write_text(code)
    node = shutil.which("node")
    assert node is not None, "node is installed by the set-up"
    done = subprocess.run(
        [node, "--test", filename], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    return done.stdout


@pytest.mark.parametrize("entry_id", ["js/clamp", "js/lruCache", "js/roman", "js/money"])
def test_characterization_tests_pass_on_the_module_they_describe(
    tmp_path: Path, entry_id: str
) -> None:
    source = ENTRIES[entry_id].source
    report = _javascript.probe(source, get_sandbox("bwrap"), seconds=60)
    cases = _javascript.cases(report)
    assert len(cases) >= 5
    tests = _javascript.render(source, cases)
    output = _node_test(tmp_path, source, tests.code, tests.filename)
    assert f"# pass {len(cases)}" in output, output[-2000:]
    assert "# fail 0" in output


def test_characterization_tests_catch_a_changed_module(tmp_path: Path) -> None:
    source = ENTRIES["js/clamp"].source
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    tests = _javascript.render(source, cases)
    broken = source.model_copy(
        update={
            "code": source.code.replace(
                "if (value < min) return min;", "if (value < min) return max;"
            )
        }
    )
    output = _node_test(tmp_path, broken, tests.code, tests.filename)
    failed = int(re.search(r"# fail (\d+)", output).group(1))  # type: ignore[union-attr]
    assert failed >= 1


def test_a_module_that_does_not_load_is_a_one_line_error() -> None:
    source = SourceUnit(
        path="bad.js", code="throw new TypeError('no');\n", module_name="bad", language="javascript"
    )
    with pytest.raises(ProbeError, match="TypeError: no"):
        _javascript.probe(source, get_sandbox("bwrap"), seconds=30)


def _probed_tests(tmp_path: Path, code: str, name: str = "subject") -> tuple[list[str], str]:
    """The titles the probe's tests have for a module, and node's report of running them."""
    source = SourceUnit(path=f"{name}.js", code=code, module_name=name, language="javascript")
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    tests = _javascript.render(source, cases)
    return [case.title for case in cases], _node_test(tmp_path, source, tests.code, tests.filename)


def _passed_all(output: str) -> bool:
    return "# fail 0" in output and "# pass 0" not in output


def test_a_destructured_options_parameter_is_given_its_keys(tmp_path: Path) -> None:
    code = (
        "function pad(text, { width = 4, fill = ' ', left = false } = {}) {\n"
        "  if (fill.length !== 1) throw new RangeError('fill must be one character');\n"
        "  if (left) return String(text).padStart(width, fill);\n"
        "  return String(text).padEnd(width, fill);\n"
        "}\n"
        "module.exports = { pad };\n"
    )
    titles, output = _probed_tests(tmp_path, code)
    assert any('"left": true' in title for title in titles)
    assert any('"width": 0' in title for title in titles)
    # a one-character default: other one-character strings are tried before longer ones
    assert any(re.search(r'"fill": "[^"]"', title) for title in titles)
    assert _passed_all(output), output[-2000:]


def test_a_callback_parameter_is_given_functions_a_test_can_write(tmp_path: Path) -> None:
    code = (
        "function retry(task, times = 3) {\n"
        "  for (let attempt = 1; ; attempt += 1) {\n"
        "    try { return task(attempt); } catch (error) { if (attempt >= times) throw error; }\n"
        "  }\n"
        "}\n"
        "module.exports = { retry };\n"
    )
    titles, output = _probed_tests(tmp_path, code)
    assert any(title.startswith("retry((n) =>") for title in titles), titles
    assert any("retry(() => true" in title and "returns true" in title for title in titles)
    assert any("throws Error" in title for title in titles)
    assert _passed_all(output), output[-2000:]


def test_an_async_function_that_rejects_is_asserted_with_rejects(tmp_path: Path) -> None:
    code = (
        "async function load(name) {\n"
        "  if (name === '') throw new TypeError('no name');\n"
        "  return name.toUpperCase();\n"
        "}\n"
        "module.exports = { load };\n"
    )
    source = SourceUnit(path="load.js", code=code, module_name="load", language="javascript")
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    rejects = [case for case in cases if "assert.rejects" in case.body]
    assert rejects and all(case.awaits for case in rejects)
    tests = _javascript.render(source, cases)
    output = _node_test(tmp_path, source, tests.code, tests.filename)
    assert _passed_all(output), output[-2000:]


def test_a_listener_stored_by_one_method_is_found_by_another(tmp_path: Path) -> None:
    code = (
        "class Bus {\n"
        "  constructor() { this.handlers = new Map(); }\n"
        "  on(event, fn) { this.handlers.set(event, fn); }\n"
        "  off(event, fn) {\n"
        "    if (this.handlers.get(event) !== fn) return false;\n"
        "    this.handlers.delete(event);\n"
        "    return true;\n"
        "  }\n"
        "}\n"
        "module.exports = { Bus };\n"
    )
    source = SourceUnit(path="bus.js", code=code, module_name="bus", language="javascript")
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    found = [case for case in cases if "off(" in case.body and ", true);" in case.body]
    assert found, "no sequence removed the listener it added"
    assert all("const callback1 = " in case.body for case in found)
    tests = _javascript.render(source, cases)
    output = _node_test(tmp_path, source, tests.code, tests.filename)
    assert _passed_all(output), output[-2000:]


def test_what_depends_on_the_clock_is_called_but_not_asserted() -> None:
    code = (
        "class Timer {\n"
        "  constructor(now = Date.now) { this.now = now; this.started = now(); }\n"
        "  elapsed() { return this.now() - this.started; }\n"
        "}\n"
        "module.exports = { Timer };\n"
    )
    source = SourceUnit(path="timer.js", code=code, module_name="timer", language="javascript")
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    real_clock = [case for case in cases if "new subject.Timer(undefined)" in case.body]
    assert real_clock
    assert all("assert" not in case.body for case in real_clock)


def test_a_shape_the_module_reads_is_built_from_its_pattern(tmp_path: Path) -> None:
    code = (
        "const DATE = /^(\\d{4})-(\\d{2})-(\\d{2})$/;\n"
        "function days({ start, end }) {\n"
        "  if (!DATE.test(start) || !DATE.test(end)) throw new TypeError('not a date');\n"
        "  return (Date.parse(end) - Date.parse(start)) / 86400000;\n"
        "}\n"
        "module.exports = { days };\n"
    )
    titles, output = _probed_tests(tmp_path, code)
    assert any("days({" in title and "returns 0" in title for title in titles), titles
    assert _passed_all(output), output[-2000:]


def test_a_switch_behind_a_validating_parser_is_reached_from_an_accepted_value(
    tmp_path: Path,
) -> None:
    code = (
        "const VERSION = /^(\\d+)\\.(\\d+)$/;\n"
        "function parse(text) {\n"
        "  const match = VERSION.exec(text);\n"
        "  if (!match) throw new TypeError('invalid version');\n"
        "  return [Number(match[1]), Number(match[2])];\n"
        "}\n"
        "function bump(text, part) {\n"
        "  const [major, minor] = parse(text);\n"
        "  switch (part) {\n"
        "    case 'major': return `${major + 1}.0`;\n"
        "    case 'minor': return `${major}.${minor + 1}`;\n"
        "    default: throw new RangeError('unknown part');\n"
        "  }\n"
        "}\n"
        "module.exports = { parse, bump };\n"
    )
    titles, output = _probed_tests(tmp_path, code)
    assert any(re.match(r'bump\("[\d.]+", "major"\) returns', title) for title in titles), titles
    assert any(re.match(r'bump\("[\d.]+", "minor"\) returns', title) for title in titles), titles
    assert _passed_all(output), output[-2000:]


def test_a_method_taking_another_instance_is_given_one(tmp_path: Path) -> None:
    code = (
        "class Amount {\n"
        "  constructor(cents, unit) {\n"
        "    if (!Number.isInteger(cents)) throw new TypeError('cents must be whole');\n"
        "    this.cents = cents; this.unit = unit;\n"
        "  }\n"
        "  plus(other) {\n"
        "    if (!(other instanceof Amount)) throw new TypeError('expected an Amount');\n"
        "    return new Amount(this.cents + other.cents, this.unit).cents;\n"
        "  }\n"
        "}\n"
        "module.exports = { Amount };\n"
    )
    source = SourceUnit(path="amount.js", code=code, module_name="amount", language="javascript")
    cases = _javascript.cases(_javascript.probe(source, get_sandbox("bwrap"), seconds=60))
    assert any(re.search(r"plus\(new subject\.Amount\([^)]*\)\), \d+\)", c.body) for c in cases)
    tests = _javascript.render(source, cases)
    output = _node_test(tmp_path, source, tests.code, tests.filename)
    assert _passed_all(output), output[-2000:]
