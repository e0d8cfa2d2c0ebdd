"""Which framework runs a JavaScript test file: the file, its project, or what was asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentic_testgen.languages.javascript import Framework, choose_framework


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import { test, expect } from 'vitest';\ntest('x', () => {});", Framework.VITEST),
        ("const { test } = require('@jest/globals');\ntest('x', () => {});", Framework.JEST),
        ("const { test } = require('node:test');\ndescribe('x', () => {});", Framework.NODE),
        ("import test from 'node:test';\nexpect(1).toBe(1);", Framework.NODE),
        ("const spy = vi.fn();\ntest('x', () => {});", Framework.VITEST),
        ("jest.mock('./db');\ntest('x', () => {});", Framework.JEST),
        ("describe('x', () => { it('y', () => expect(1).toBe(1)); });", Framework.JEST),
        ("const assert = require('node:assert');\nconsole.log(assert);", Framework.NODE),
    ],
)
def test_the_test_file_says_which_framework_runs_it(code: str, expected: Framework) -> None:
    assert choose_framework(code).framework == expected


def test_what_was_asked_for_wins_over_the_file() -> None:
    choice = choose_framework("import { test } from 'vitest';", requested="jest")
    assert (choice.framework, choice.reason) == (Framework.JEST, "asked for")
    assert choose_framework("import { test } from 'vitest';", requested="auto").framework == (
        Framework.VITEST
    )
    with pytest.raises(ValueError, match="choose one of auto, node, jest, vitest"):
        choose_framework("", requested="mocha")


def test_a_project_names_its_framework_for_files_that_use_globals(tmp_path: Path) -> None:
    project = tmp_path / "app"
    (project / "test" / "unit").mkdir(parents=True)
    (project / "package.json").write_text(
        json.dumps({"devDependencies": {"vitest": "^4.0.0"}}), encoding="utf-8"
    )
    tests = project / "test" / "unit" / "calc.test.js"
    globals_only = "describe('calc', () => { it('adds', () => expect(1).toBe(1)); });"
    choice = choose_framework(globals_only, tests)
    assert choice.framework == Framework.VITEST and "package.json" in choice.reason
    # the file's own imports still win over the project
    assert choose_framework("import { test } from 'node:test';", tests).framework == (
        Framework.NODE
    )
    (project / "package.json").write_text(
        json.dumps({"scripts": {"test": "jest --coverage"}}), encoding="utf-8"
    )
    assert choose_framework(globals_only, tests).framework == Framework.JEST
    (project / "package.json").write_text("{not json", encoding="utf-8")
    assert choose_framework(globals_only, tests).framework == Framework.JEST  # by its globals
