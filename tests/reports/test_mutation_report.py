"""Mutation reports in the mutation-testing-report-schema format: valid against the published
schema, exact about where each mutant is, and opened by Stryker's own viewer in Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from agentic_testgen.config import load_settings
from agentic_testgen.domain import (
    GeneratedTests,
    Language,
    MutantResult,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
)
from agentic_testgen.evals import evaluate_run, load_inputs
from agentic_testgen.evals.mutation import text_mutants
from agentic_testgen.languages.javascript import install_node_tools
from agentic_testgen.reports import mutation_testing_report

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "inventory"
STATUS = {
    "Killed": "killed", "Survived": "survived", "Timeout": "timeout",
    "NoCoverage": "no_coverage", "Ignored": "not_sampled", "RuntimeError": "error",
}  # fmt: skip


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return install_node_tools(say=lambda _: None) / "node_modules"


@pytest.fixture(scope="module")
def python_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunOutcome, dict[str, object]]:
    settings = load_settings(EXAMPLE, run={"reruns": 0})
    source, tests = load_inputs(EXAMPLE / "inventory.py", EXAMPLE / "test_inventory.py")
    outcome, _ = evaluate_run(source, tests, settings)
    report = mutation_testing_report(source, tests, outcome)
    assert report is not None
    return outcome, report


def test_the_report_is_valid_against_the_published_schema(
    node_modules: Path, python_run: tuple[RunOutcome, dict[str, object]]
) -> None:
    schema_file = (
        node_modules / "mutation-testing-report-schema/dist/src/mutation-testing-report-schema.json"
    )
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    outcome, report = python_run
    jsonschema.Draft7Validator(schema).validate(report)
    assert outcome.mutation is not None
    (entry,) = report["files"].values()  # type: ignore[attr-defined]
    counted: dict[str, int] = {}
    for mutant in entry["mutants"]:
        counted[STATUS[mutant["status"]]] = counted.get(STATUS[mutant["status"]], 0) + 1
    assert counted == {
        status.value: outcome.mutation.count(status)
        for status in MutantStatus
        if outcome.mutation.count(status)
    }


def test_stryker_s_viewer_opens_the_report(
    node_modules: Path, python_run: tuple[RunOutcome, dict[str, object]], tmp_path: Path
) -> None:
    outcome, report = python_run
    assert outcome.mutation is not None and outcome.mutation.score is not None
    bundle = node_modules / "mutation-testing-elements/dist/mutation-test-elements.js"
    page = tmp_path / "report.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>loading</title>"
        f"<script src='{bundle.as_uri()}'></script></head><body>"
        "<mutation-test-report-app id='app'></mutation-test-report-app><script>"
        f"const app = document.getElementById('app'); app.report = {json.dumps(report)};"
        "const deep = (node) => { let text = node.shadowRoot ? deep(node.shadowRoot) : '';"
        " for (const child of node.childNodes) text += child.nodeType === 3 ? child.textContent"
        " : deep(child); return text; };"
        "setTimeout(() => { document.title = deep(app).replace(/\\s+/g, ' '); }, 3000);"
        "</script></body></html>",
        encoding="utf-8",
    )
    binary = shutil.which("chromium")
    assert binary, "chromium is installed by `make test`"
    shown = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    title = shown.stdout.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "inventory.py" in title
    assert "Mutation Score" in title
    killed = outcome.mutation.count(MutantStatus.KILLED)
    survived = outcome.mutation.count(MutantStatus.SURVIVED)
    assert f" {killed} {survived} " in title  # the viewer's own counts
    assert f"{100 * outcome.mutation.score:.2f}" in title


def test_a_text_mutant_s_location_is_exactly_its_code() -> None:
    code = (
        "'use strict';\nconst ß = 'größe';\n"
        "function f(a, b) {\n  if (a < b && ß !== 'x') {\n    return a + b;\n  }\n"
        "  throw new RangeError('no');\n}\nmodule.exports = { f };\n"
    )
    mutants = text_mutants(code, Language.JAVASCRIPT)
    results = tuple(
        MutantResult(
            id=m.id,
            line=m.line,
            col=m.col,
            end_line=m.end_line,
            end_col=m.end_col,
            operator=m.operator,
            original=m.original,
            mutated=m.mutated,
            status=MutantStatus.SURVIVED,
        )
        for m in mutants
    )
    source = SourceUnit(path="f.js", code=code, module_name="f", language="javascript")
    outcome = RunOutcome(mutation=MutationOutcome(mutants=results))
    report = mutation_testing_report(source, GeneratedTests(code="", filename="f.test.js"), outcome)
    assert report is not None
    lines = code.splitlines()
    for mutant, original in zip(report["files"]["f.js"]["mutants"], mutants, strict=True):
        start, end = mutant["location"]["start"], mutant["location"]["end"]
        if start["line"] == end["line"]:
            text = lines[start["line"] - 1][start["column"] - 1 : end["column"] - 1]
        else:
            first = lines[start["line"] - 1][start["column"] - 1 :]
            middle = lines[start["line"] : end["line"] - 1]
            text = "\n".join([first, *middle, lines[end["line"] - 1][: end["column"] - 1]])
        assert text == original.original
