"""Characterization tests for a JavaScript module: what each export does, written as node:test.

`probe.mjs` loads the module in the sandbox and calls every exported function (and, for an
exported class, sequences of its methods on fresh instances) with boundary and type-derived
inputs chosen from the parameters' names, with a seeded generator; it prints what each call
returned or threw. Each call becomes a test asserting exactly that: `assert.deepStrictEqual` on
the value, `assert.throws` with the error's name and message.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_testgen.domain import GeneratedTests, SourceUnit
from agentic_testgen.generation.characterize._seeds import write_seeds
from agentic_testgen.sandbox import Limits, Sandbox

PROBE = Path(__file__).with_name("probe.mjs")
NODE = "node"
NAME_LIMIT = 90


class ProbeError(RuntimeError):
    """The module could not be loaded or probed; the message says why, in one line."""


@dataclass(frozen=True)
class Case:
    """One characterization test: its title and its body (indented statements)."""

    title: str
    body: str
    awaits: bool = False


def module_file_name(source: SourceUnit) -> str:
    suffix = Path(source.path).suffix
    return f"{source.module_name}{suffix if suffix in ('.js', '.mjs', '.cjs') else '.js'}"


def tests_file_name(source: SourceUnit) -> str:
    esm = module_file_name(source).endswith(".mjs")
    return f"{source.module_name}.test.{'mjs' if esm else 'js'}"


def probe(
    source: SourceUnit, sandbox: Sandbox, *, seconds: float, seed: int = 1, calls: int = 40
) -> dict[str, Any]:
    """Run the probe on the module in the sandbox; its report (exports and observed calls)."""
    workspace = Path(tempfile.mkdtemp(prefix="atg-probe-"))
    try:
        module = workspace / module_file_name(source)
        module.write_text(source.code, encoding="utf-8")
        seeds = write_seeds(workspace, source.code, source.language)
        key = secrets.token_hex(16)
        completed = sandbox.execute(
            [
                shutil.which(NODE) or NODE,
                str(PROBE),
                str(module),
                key,
                str(seed),
                str(calls),
                str(seeds),
            ],
            workspace,
            Limits(wall_time_s=seconds, memory_mb=1024),
            env={"NODE_ENV": "test"},
            readonly_paths=[PROBE.parent],
        )
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    start = completed.stdout.rfind(key)
    if start < 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if re.match(r"^\w*Error\b", line)), None)
        raise ProbeError(reason or (lines[-1] if lines else "the probe printed nothing"))
    report: dict[str, Any] = json.loads(completed.stdout[start + len(key) :])
    return report


_CALLBACK = re.compile(r"__atgCallback(\d+)__")


def _title(text: str, callbacks: list[str] | None = None) -> str:
    if callbacks:
        text = _CALLBACK.sub(lambda m: callbacks[int(m.group(1))], text)
    text = " ".join(text.split())
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def _check(expression: str, observed: dict[str, Any]) -> str | None:
    """The statement asserting what `expression` gave, or None when nothing can be asserted."""
    if "threw" in observed:
        expected = {
            "name": observed.get("name") or observed["threw"],
            "message": observed["message"],
        }
        written = ", ".join(f"{k}: {json.dumps(v)}" for k, v in expected.items())
        if observed.get("awaited"):
            return f"await assert.rejects(async () => {expression}, {{ {written} }});"
        return f"assert.throws(() => {expression}, {{ {written} }});"
    waited = f"await {expression}" if observed.get("awaited") else expression
    if "value" in observed:
        return f"assert.deepStrictEqual({waited}, {observed['value']});"
    if observed.get("kind") in ("Map", "Set"):
        return f"assert.equal(({waited}).size, {observed['size']});"
    if observed.get("kind"):
        return f"assert.equal(typeof ({waited}), {json.dumps(observed['kind'])});"
    return None


def _outcome_words(observed: dict[str, Any]) -> str:
    if "threw" in observed:
        return f"throws {observed.get('name') or observed['threw']}"
    if "value" in observed:
        return f"returns {observed['value']}"
    return f"returns a {observed.get('kind', 'value')}"


def cases(report: dict[str, Any]) -> list[Case]:
    """One test per observed function call and per class method sequence."""
    found: list[Case] = []
    callable_module = bool(report.get("callable"))
    callbacks: list[str] = report.get("callbacks", [])

    def target_of(name: str) -> str:
        """How the test file reaches an export: `subject.clamp`, or `subject` itself (and
        `subject.of`) when the module exports one function or class."""
        if callable_module and (name == "default" or name.startswith("default.")):
            return "subject" + name.removeprefix("default")
        return f"subject.{name}"

    for export in report.get("exports", []):
        functions = [export] if export["kind"] == "function" else export.get("statics", [])
        for function in functions:
            target = target_of(function["export"])
            shown = target.removeprefix("subject.")
            for call in function["calls"]:
                check = _check(f"{target}({call['args']})", call)
                if check:
                    title = _title(f"{shown}({call['args']}) {_outcome_words(call)}", callbacks)
                    found.append(Case(title, f"  {check}", bool(call.get("awaited"))))
        if export["kind"] == "function":
            continue
        target = target_of(export["export"])
        shown = target.removeprefix("subject.")
        for sequence in export["sequences"]:
            factory = sequence.get("factory")
            construct = (
                f"{target}.{factory}({sequence['ctor']})"
                if factory
                else f"new {target}({sequence['ctor']})"
            )
            if sequence.get("threw"):
                check = _check(construct, sequence)
                title = _title(
                    f"new {shown}({sequence['ctor']}) {_outcome_words(sequence)}", callbacks
                )
                found.append(Case(title, f"  {check}"))
                continue
            if not sequence["steps"]:
                continue
            lines = [f"  const instance = {construct};"]
            words = []
            waits = False
            for step in sequence["steps"]:
                call = f"instance.{step['method']}({step['args']})"
                asserted = not step.get("unstable") and (
                    "value" in step or "threw" in step or step.get("kind") in ("Map", "Set")
                )
                check = _check(call, step) if asserted else None
                lines.append(f"  {check or call + ';'}")
                waits = waits or bool(step.get("awaited"))
                words.append(f"{step['method']}({step['args']})")
            last = sequence["steps"][-1]
            title = _title(f"{shown}: {', '.join(words)} then {_outcome_words(last)}", callbacks)
            found.append(Case(title, "\n".join(lines), waits))
    return _unique([_declare_callbacks(case, callbacks) for case in found])


def _declare_callbacks(case: Case, callbacks: list[str]) -> Case:
    """The case with each callback written out: in place where the test uses it once, else
    declared once at the top (the probe passed one function object each time, and a method
    that stores a listener finds it again only by identity)."""
    uses = _CALLBACK.findall(case.body)
    if not uses:
        return case
    names: dict[str, str] = {}
    declared: list[str] = []
    for index in dict.fromkeys(uses):
        if uses.count(index) == 1:
            names[index] = callbacks[int(index)]
        else:
            names[index] = f"callback{len(declared) + 1}"
            declared.append(f"  const {names[index]} = {callbacks[int(index)]};")
    body = _CALLBACK.sub(lambda m: names[m.group(1)], case.body)
    return Case(case.title, "\n".join([*declared, body]), case.awaits)


def _unique(found: list[Case]) -> list[Case]:
    seen: dict[str, int] = {}
    unique = []
    for case in found:
        count = seen.get(case.title, 0)
        seen[case.title] = count + 1
        unique.append(
            case if not count else Case(f"{case.title} #{count + 1}", case.body, case.awaits)
        )
    return unique


def render(source: SourceUnit, chosen: list[Case]) -> GeneratedTests:
    """A node:test file holding `chosen`, importing the module as the test runner lays it out."""
    module = module_file_name(source)
    if module.endswith(".mjs"):
        header = (
            "import { test } from 'node:test';\n"
            "import assert from 'node:assert/strict';\n"
            f"import * as subject from './{module}';\n"
        )
    else:
        header = (
            "'use strict';\n"
            "const { test } = require('node:test');\n"
            "const assert = require('node:assert/strict');\n"
            f"const subject = require('./{Path(module).stem}');\n"
        )
    blocks = [
        f"test({json.dumps(case.title)}, {'async ' if case.awaits else ''}() => {{\n"
        f"{case.body}\n}});\n"
        for case in chosen
    ]
    code = header + "\n" + "\n".join(blocks)
    return GeneratedTests(code=code, filename=tests_file_name(source))
