"""The agents on JavaScript and Java modules: a scripted LLM speaking each language, the
characterization coder, the real critic, node and a JVM in the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.domain import GeneratedTests, Language, SourceUnit, TestOutcome
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation._critic import empty_tests_for
from agentic_testgen.generation._foreign_file import ForeignTestFile
from agentic_testgen.generation._select import offline_coders
from agentic_testgen.generation.coders import LLMCoder
from agentic_testgen.generation.coders.llm import extract_code
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply

OPTIONS = RunOptions(reruns=1, test_timeout_s=10.0, mutation=False)
SIGN_JS = """export function sign(x) {
  if (x > 0) return 1;
  if (x < 0) return -1;
  return 0;
}

export function clampTo(x, lo, hi) { return x < lo ? lo : x > hi ? hi : x; }
"""
SIGN_JAVA = """package demo;

public final class Sign {
    public static int sign(int x) {
        if (x > 0) {
            return 1;
        }
        if (x < 0) {
            return -1;
        }
        return 0;
    }
}
"""


def _source(tmp_path: Path, name: str, code: str) -> SourceUnit:
    path = tmp_path / name
    path.write_text(code)
    language = "java" if name.endswith(".java") else "javascript"
    return get_adapter(language).read_source(path)


def _coder(url: str) -> LLMCoder:
    spec = ModelSpec.parse("openai/gpt-4o-mini")
    return LLMCoder(ChatClient(spec, base_url=f"{url}/v1", api_key="k"))


def test_an_llm_writes_node_tests_and_the_critic_judges_them(tmp_path: Path) -> None:
    first = """```javascript
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from './sign.mjs';

test('positive', () => { assert.strictEqual(sign(3), 1); });
test('wrong', () => { assert.strictEqual(sign(-3), 1); });
test('calls only', () => { sign(0); });
```"""
    # binds `sign` again: merged into the file, that import keeps only `clampTo`
    second = """```js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign, clampTo } from './sign.mjs';

test('negative', () => { assert.strictEqual(sign(-3), -1); });
test('zero', () => { assert.strictEqual(sign(0), 0); });
test('low', () => { assert.strictEqual(clampTo(-5, 0, 10), 0); });
test('high', () => { assert.strictEqual(clampTo(50, 0, 10), 10); });
test('inside', () => { assert.strictEqual(clampTo(5, 0, 10), 5); });
```"""
    source = _source(tmp_path, "sign.mjs", SIGN_JS)
    with fake_provider(openai_reply(first), openai_reply(second)) as server:
        outcome = generate_tests(
            source, [_coder(server.url)], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=3, max_seconds=120),
        )  # fmt: skip
        system = server.requests[0]["body"]["messages"][0]["content"]
        prompt = server.requests[0]["body"]["messages"][1]["content"]
        second_prompt = server.requests[1]["body"]["messages"][1]["content"]
    assert "node:test" in system and "pytest" not in system
    assert "imports it as './sign.mjs'" in prompt and "```javascript\nexport function" in prompt
    assert (
        "wrong: failed: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: "
        "-1 !== 1"
    ) in second_prompt
    # the dropped tests ran the negative and zero paths: still the planner's targets
    assert "- sign (lines 2-4; not yet covered: 3, 4)" in second_prompt
    assert outcome.dropped["calls only"] == "checks nothing: no assertion"
    # `low`, `high` and `inside` run the same line: each takes other sides of its branches
    assert set(outcome.dropped) == {"wrong", "calls only"}
    assert outcome.kept_tests == 6
    assert (outcome.coverage, outcome.pass_rate) == (1.0, 1.0)
    assert "import { clampTo } from './sign.mjs';" in outcome.code
    run = get_adapter("javascript").run(
        source, GeneratedTests(code=outcome.code, filename="sign.test.mjs"),
        get_sandbox("bwrap"), OPTIONS,
    )  # fmt: skip
    assert [t.outcome for t in run.tests] == [TestOutcome.PASSED] * 6


def test_an_llm_writes_junit_tests_and_the_critic_judges_them(tmp_path: Path) -> None:
    answer = """```java
package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SignTest {
    @Test
    void positive() {
        assertEquals(1, Sign.sign(3));
    }

    @Test
    void wrong() {
        assertEquals(1, Sign.sign(-3));
    }

    @Test
    void callsOnly() {
        Sign.sign(0);
    }

    @Test
    void negativeAndZero() {
        assertEquals(-1, Sign.sign(-3));
        assertEquals(0, Sign.sign(0));
    }
}
```"""
    source = _source(tmp_path, "Sign.java", SIGN_JAVA)
    with fake_provider(openai_reply(answer)) as server:
        outcome = generate_tests(
            source, [_coder(server.url)], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=1, max_seconds=120),
        )  # fmt: skip
        system = server.requests[0]["body"]["messages"][0]["content"]
        prompt = server.requests[0]["body"]["messages"][1]["content"]
    assert "JUnit 5" in system and "pytest" not in system
    assert "`SignCharacterizationTest` in package `demo`" in prompt
    assert outcome.dropped["wrong"].startswith("failed")
    assert outcome.dropped["callsOnly"] == "checks nothing: no assertion"
    assert outcome.kept_tests == 2
    assert outcome.pass_rate == 1.0
    assert "class SignCharacterizationTest {" in outcome.code
    assert outcome.code.startswith("package demo;\n")


def test_a_truncated_java_answer_keeps_its_complete_methods() -> None:
    answer = (
        "```java\nclass T {\n    @Test\n    void a() {\n        assertEquals(1, f());\n    }\n\n"
        "    @Test\n    void b() {\n        assertEquals(2, g("
    )
    code = extract_code(answer, Language.JAVA)
    assert "void a()" in code and "void b()" not in code
    assert code.rstrip().endswith("}")


def test_merged_answers_do_not_bind_a_name_twice() -> None:
    tests = ForeignTestFile(Language.JAVASCRIPT)
    tests.add(
        "import assert from 'node:assert';\nconst { f } = require('./m');\ntest('a', () => {});"
    )
    added = tests.add(
        "import assert, { strict } from 'node:assert';\nconst { f } = require('./m');\n"
        "import { test, describe } from 'node:test';\ntest('a', () => { assert.ok(f()); });"
    )
    assert added == ["a (2)"]
    assert list(tests.imports) == [
        "import assert from 'node:assert';",
        "const { f } = require('./m');",
        "import { test, describe } from 'node:test';",
    ]
    assert 'test("a (2)", () => { assert.ok(f()); });' in tests.render()


def test_a_java_helper_declared_twice_is_kept_once() -> None:
    tests = empty_tests_for(
        SourceUnit(path="Sign.java", module_name="Sign", code=SIGN_JAVA, language=Language.JAVA)
    )
    body = "    private int base = 1;\n    @Test void t() {{ assertEquals({}, base); }}\n"
    tests.add(f"class A {{\n{body.format(1)}}}")
    tests.add(f"class B {{\n{body.format(2)}}}")
    assert list(tests.units) == ["t", "t2"]
    assert tests.render().count("private int base") == 1


@pytest.mark.parametrize(
    ("name", "code", "output"),
    [("sign.mjs", SIGN_JS, "sign.test.mjs"), ("Sign.java", SIGN_JAVA, "SignGenerated.java")],
)
def test_atg_generate_writes_offline_tests_for_javascript_and_java(
    tmp_path: Path, name: str, code: str, output: str
) -> None:
    (tmp_path / name).write_text(code)
    result = CliRunner().invoke(
        app, ["generate", "--file", str(tmp_path / name), "--coder", "offline",
              "--output", str(tmp_path / output), "--max-iterations", "1"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pass rate 100.0%" in result.output
    written = (tmp_path / output).read_text()
    if name.endswith(".java"):
        assert "class SignGenerated {" in written  # the class is named for its file
    source = get_adapter("java" if name.endswith(".java") else "javascript").read_source(
        tmp_path / name
    )
    run = get_adapter(source.language).run(
        source, GeneratedTests(code=written, filename=output), get_sandbox("bwrap"), OPTIONS
    )
    assert run.tests and all(t.outcome == TestOutcome.PASSED for t in run.tests)
    assert run.coverage is not None and run.coverage.percent_covered >= 80


def test_python_only_coders_are_refused_for_javascript_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "sign.mjs").write_text(SIGN_JS)
    result = CliRunner().invoke(
        app, ["generate", "--file", str(tmp_path / "sign.mjs"), "--coder", "pynguin"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: --coder pynguin writes Python tests; for a javascript module use auto, offline, "
        "llm or provider/model"
    )


def test_the_offline_python_coders_given_a_javascript_module_are_not_run(
    tmp_path: Path,
) -> None:
    source = _source(tmp_path, "sign.mjs", SIGN_JS)
    outcome = generate_tests(
        source, offline_coders(), get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=1, max_seconds=60),
    )  # fmt: skip
    assert outcome.code == ""
    assert "coder" not in outcome.agents  # no tool was started on it
    assert "no coder given writes javascript tests" in outcome.notes


def test_a_jest_project_gets_jest_tests_from_the_llm(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"devDependencies": {"jest": "^30.0.0"}}')
    code = SIGN_JS.replace("export function", "function") + "module.exports = { sign };\n"
    source = _source(tmp_path, "sign.js", code)
    answer = """```javascript
const { test, expect } = require('@jest/globals');
const { sign } = require('./sign.js');

test('positive', () => { expect(sign(3)).toBe(1); });
test('negative', () => { expect(sign(-3)).toBe(-1); });
test('wrong', () => { expect(sign(0)).toBe(1); });
```"""
    with fake_provider(openai_reply(answer)) as server:
        outcome = generate_tests(
            source, [_coder(server.url)], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=1, max_seconds=120),
        )  # fmt: skip
        system = server.requests[0]["body"]["messages"][0]["content"]
    assert "with Jest" in system and "node:test" not in system
    assert outcome.dropped["wrong"].startswith("failed"), outcome.dropped
    assert (outcome.kept_tests, outcome.pass_rate) == (2, 1.0), outcome.dropped
