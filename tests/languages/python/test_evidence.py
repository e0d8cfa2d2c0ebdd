"""The per-test coverage the harness reports, read from coverage.py's own data file."""

from __future__ import annotations

import sys
from pathlib import Path

import coverage
import pytest

import agentic_testgen.languages.python as python_language

MODULE = """
def sign(x):
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def double(x):
    return 2 * x
"""


@pytest.fixture
def evidence(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(Path(python_language.__file__).parent))
    import _evidence  # type: ignore[import-not-found]

    return _evidence


def test_each_tests_lines_and_branches_come_from_one_read_of_the_data_file(
    evidence: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "signs.py"
    module.write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    cov = coverage.Coverage(
        data_file=str(tmp_path / "coverage.data"), branch=True, include=[str(module)]
    )
    cov.start()
    import signs  # type: ignore[import-not-found]

    for context, call in (("positive", lambda: signs.sign(3)), ("zero", lambda: signs.sign(0))):
        cov.switch_context(context)
        call()
    cov.switch_context("doubled")
    signs.double(4)
    cov.switch_context("")
    cov.stop()
    cov.save()
    sys.modules.pop("signs", None)
    payload = evidence.coverage_payload(cov, str(module), tmp_path, 0)  # type: ignore[attr-defined]
    per_test = payload["per_test"]
    assert per_test["positive"] == {"lines": [3, 4], "branches": [(3, 4)]}
    assert per_test["zero"] == {"lines": [3, 5, 7], "branches": [(3, 5), (5, 7)]}
    assert per_test["doubled"]["lines"] == [11]
    # the same as asking coverage.py context by context, the slow way
    data = cov.get_data()
    arcs = {tuple(arc) for arc in payload["file"]["executed_branches"]}
    arcs |= {tuple(arc) for arc in payload["file"]["missing_branches"]}
    measured = [str(module)]
    assert evidence._per_test_by_query(data, measured, arcs) == per_test  # type: ignore[attr-defined]
