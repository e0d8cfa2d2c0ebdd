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
