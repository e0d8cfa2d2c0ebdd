"""Entry pages: the module annotated line by line, surviving mutants, tests, why this score."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from agentic_testgen.domain import (
    EvalResult,
    Integrity,
    IntegrityFinding,
    Language,
    MetricValue,
    TestOutcome,
    TestReport,
)
from agentic_testgen.reports import (
    annotate_source,
    entry_file_name,
    render_entry_html,
    render_html,
    score_terms,
    write_entry_pages,
)
from agentic_testgen.storage import LLMUsage
from tests.reports.test_suite_reports import fixed_report

CODE = '''"""<script>alert("module")</script>"""


def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


def shout(text):
    return "<script>" + text + "</script>" + "................................................"
'''
NASTY_TEST = "test_clamp.py::test_clamp[<script>alert(1)</script>]"


def entry_result(**update: object) -> EvalResult:
    """A result for CODE: line 8 and 13 missed, 7 -> 8 never taken, a mutant alive on line 5."""
    coverage = MetricValue(
        name="coverage", value=0.7, threshold=0.9,
        details={"line_rate": 0.75, "branch_rate": 0.75, "percent_covered": 70.0,
                 "num_statements": 10, "covered_lines": 8, "num_branches": 4,
                 "covered_branches": 3, "missing_lines": [8, 13], "missing_branches": [[7, 8]]},
    )  # fmt: skip
    mutation = MetricValue(
        name="mutation_score", value=0.5, threshold=0.8,
        details={"mutants": 2, "killed": 1, "timeout": 0, "survived": 1, "no_coverage": 0,
                 "surviving_mutants": [{"line": 5, "operator": "boundary",
                                        "original": "value < low", "mutated": "value <= low",
                                        "import_time": False}]},
    )  # fmt: skip
    pass_rate = MetricValue(name="pass_rate", value=1.0, threshold=0.9)
    result = EvalResult(
        score=0.62,
        quality_level="fair",
        passed=False,
        pass_line=0.7,
        language=Language.PYTHON,
        source="clamp.py",
        tests_file="test_clamp.py",
        metrics={"pass_rate": pass_rate, "coverage": coverage, "mutation_score": mutation},
        weights={"pass_rate": 0.2, "coverage": 0.3, "mutation_score": 0.5, "readability": 0.1},
        tests=(
            TestReport(nodeid=NASTY_TEST, outcome=TestOutcome.PASSED, duration_s=0.01,
                       flaky=False, reached_module=True),
            TestReport(nodeid="test_clamp.py::test_never_calls", outcome=TestOutcome.FAILED,
                       duration_s=0.02, flaky=True, reached_module=False, failure="E boom"),
        ),
        sandbox="bwrap",
        reruns=2,
        duration_s=1.5,
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        atg_version="0.0.0",
    )  # fmt: skip
    return result.model_copy(update=update)


def entry_page(**update: object) -> str:
    return render_entry_html(entry_result(**update), title="simple/clamp", module_code=CODE)


def source_line(page: str, number: int) -> str:
    match = re.search(rf'<p id="L{number}"[^>]*>.*?</p>', page)
    assert match, f"line {number} is not on the page"
    return match.group(0)


def test_a_missed_line_is_marked_missed() -> None:
    page = entry_page()
    assert 'class="mis"' in source_line(page, 8)
    assert 'class="mis"' in source_line(page, 13)
    assert 'class="run"' in source_line(page, 6)


def test_a_partial_branch_is_marked_partial_with_the_jump_never_taken() -> None:
    line = source_line(entry_page(), 7)
    assert 'class="par"' in line
    assert "never jumped to line 8" in line


def test_blank_lines_have_no_coverage_status() -> None:
    statuses = {
        line.number: line.status for line in annotate_source(CODE, {"missing_lines": []}, {})
    }
    assert statuses[2] == statuses[3] == ""
    assert statuses[4] == "run"


def test_a_surviving_mutant_is_shown_under_its_line() -> None:
    page = entry_page()
    after_line_5 = page[page.index('<p id="L5"') : page.index('<p id="L6"')]
    assert 'class="mutant"' in after_line_5
    assert "value &lt; low → value &lt;= low" in after_line_5
    assert page.count('class="mutant"') == 2  # the legend and the one mutant


def test_script_in_source_and_test_names_is_escaped() -> None:
    page = entry_page()
    body = page[: page.index("<script>\n/*")]  # the page's own script is the only one
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;module&#34;)&lt;/script&gt;" in body
    assert "test_clamp[&lt;script&gt;alert(1)&lt;/script&gt;]" in body


def test_every_test_is_listed_with_outcome_flakiness_and_reach() -> None:
    page = entry_page()
    row = re.search(r"<tr><td><code>test_clamp.py::test_never_calls</code>.*?</tr>", page)
    assert row
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(0)) == ["failed", "yes", "0.020", "no"]


def test_why_this_score_lists_value_threshold_weight_and_contribution() -> None:
    result = entry_result()
    terms = {term.name: term for term in score_terms(result)}
    # readability has a weight but did not run: the other weights are renormalised over 1.0
    assert terms["coverage"].contribution == 0.7 * 0.3
    assert sum(term.contribution for term in terms.values()) == 0.2 + 0.21 + 0.25
    page = entry_page()
    assert '<tr><td>coverage</td><td class="below">0.700</td><td>0.90</td><td>no</td>' in page
    assert "<td>0.30</td><td>0.210</td></tr>" in page


def test_integrity_findings_are_shown() -> None:
    finding = IntegrityFinding(kind="harness-file", test=NASTY_TEST, detail="opened <the> harness")
    page = entry_page(integrity=Integrity(ok=False, findings=(finding,)))
    assert "Integrity findings" in page
    assert "opened &lt;the&gt; harness" in page
    assert "The integrity check failed" in page


def test_a_result_without_its_source_says_so_and_shows_the_rest() -> None:
    page = render_entry_html(entry_result(), title="simple/clamp", module_code=None)
    assert "source is not stored" in page
    assert 'id="L1"' not in page
    assert "test_clamp.py::test_never_calls" in page
    assert "<td>mutation_score</td>" in page


def test_entry_file_names_are_safe_and_distinct() -> None:
    names = [entry_file_name(entry) for entry in ("a/b", "a__b", "../x", "a b", "plain")]
    assert len(set(names)) == len(names)
    assert names[1] == "a__b.html" and names[4] == "plain.html"
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_suite_page_links_each_entry_to_the_page_written_for_it(tmp_path: Path) -> None:
    report = fixed_report()
    with_code = tuple(
        replace(stored, metadata={"module_code": CODE}) if stored.entry_id == "simple/clamp"
        else stored
        for stored in report.results
    )  # fmt: skip
    report = replace(report, results=with_code)
    written = write_entry_pages(report, tmp_path)
    assert len(written) == 2  # the failed entry has no page
    links = re.findall(r'<a href="([^"]+)"><code>', render_html(report))
    assert sorted(tmp_path / link for link in links) == sorted(written)
    clamp = (tmp_path / links[0]).read_text()
    assert f'href="../{report.suite.id}.html"' in clamp
    assert 'id="L1"' in clamp
    assert "source is not stored" in (tmp_path / links[1]).read_text()


def test_suite_header_shows_the_models_and_cost_of_generation() -> None:
    report = replace(fixed_report(), usage=LLMUsage(models=("gpt-x", "claude-y"), calls=7,
                                                    cost_usd=0.0123))  # fmt: skip
    page = render_html(report)
    assert "model <b>gpt-x, claude-y</b>" in page
    assert "cost <b>$0.0123</b> in 7 model calls" in page
    assert "model <b>" not in render_html(fixed_report())


def test_each_metric_bar_carries_its_own_threshold() -> None:
    page = render_html(fixed_report())
    # pass_rate 1.0 and coverage 0.675, both held to 0.9: green, then red (0.675 < 0.9 - 0.15)
    assert re.findall(r'<rect x="130" y="\d+" width="[\d.]+" height="16" fill="(#\w+)"/>', page)[
        1::2
    ] == ["#2da44e", "#cf222e"]
    assert page.count('class="threshold"') == 2


def test_a_javascript_or_java_branch_is_named_by_its_index_on_the_line() -> None:
    code = "function f(a) {\n  return a ? 1 : 2;\n}\n"
    coverage = {"missing_lines": [], "missing_branches": [[2, 1]]}
    (first, second, _) = annotate_source(code, coverage, {}, "javascript")
    assert second.status == "par"
    assert second.missed_branches == ("branch 2",)
    assert first.status == ""  # which lines are statements is coverage.py's knowledge only
