"""Console report: the score, one row per metric with its key evidence, the tests to look at."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from agentic_testgen.domain import EvalResult, TestOutcome

# a suite's report comes from storage; one result's (`atg eval file`) never loads it
if TYPE_CHECKING:
    from agentic_testgen.reports._suite import SuiteReport
    from agentic_testgen.storage import RegressionFinding

SHORT_NAMES = {
    "correctness": "corr",
    "pass_rate": "pass",
    "coverage": "cov",
    "completeness": "compl",
    "assertions": "assert",
    "determinism": "determ",
    "readability": "read",
    "mutation_score": "mutants",
}
LEVEL_STYLES = {
    "excellent": "bold green",
    "good": "green",
    "fair": "yellow",
    "poor": "bold red",
    "invalid": "bold white on red",
}


def _ranges(lines: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    parts: list[str] = []
    start = previous = None
    for line in [*sorted(lines), None]:
        if start is not None and (line is None or previous is None or line != previous + 1):
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = None
        if line is not None and start is None:
            start = line
        previous = line
    return ", ".join(parts)


def _evidence(name: str, d: dict[str, Any]) -> str:  # noqa: PLR0911 - one summary per metric
    if "reason" in d:
        return str(d["reason"])
    if name == "correctness":
        if not d.get("parses", True):
            return str(d.get("error", "does not parse"))
        good = d["executable_passing"] + d["executable_failing"]
        units = good + len(d["not_executable"]) + len(d["not_reaching_module"])
        return (
            f"{good}/{units} ran and reached the module; {d['executable_failing']} failing, "
            f"{len(d['not_executable'])} not executable, "
            f"{len(d['not_reaching_module'])} never call the module"
        )
    if name == "pass_rate":
        return f"{d['passed']}/{d['run']} passed"
    if name == "coverage":
        missing = _ranges(d["missing_lines"])
        text = f"lines {d['line_rate']:.1%}, branches {d['branch_rate']:.1%}"
        return text + (f"; missing lines {missing}" if missing else "")
    if name == "completeness":
        exercised = len(d["functions_exercised"])
        text = f"{exercised}/{d['functions']} functions exercised"
        text += f"; boundary inputs: {', '.join(d['boundary_kinds']) or 'none'}"
        if d["exception_share"] is not None:
            text += (
                f"; exceptions checked {len(d['exceptions_checked'])}/{len(d['exceptions_raised'])}"
            )
        return text
    if name == "assertions":
        return (
            f"{d['assertions_per_test']:.1f} per test; "
            f"{len(d['tests_without_assertions'])} without, "
            f"{len(d['tests_with_only_trivial_assertions'])} with only trivial ones"
        )
    if name == "determinism":
        return (
            f"{len(d['flaky_tests'])} flaky in {d['runs']} runs; "
            f"{len(d['static_findings'])} static findings"
        )
    if name == "mutation_score":
        text = (
            f"{d['killed'] + d['timeout']} killed ({d['timeout']} by timeout), "
            f"{d['survived']} survived, {d['no_coverage']} not covered"
        )
        if d["sampled"]:
            text += f"; a sample of {d['mutants'] - d['not_sampled']} (seed {d['seed']})"
        return text + f"; {d['duration_s']:.1f} s"
    if name == "readability":
        return (
            f"{len(d['generic_names'])} generic names, {len(d['long_tests'])} long, "
            f"{len(d['deeply_nested_tests'])} deeply nested, "
            f"{len(d['duplicate_groups'])} duplicate groups"
        )
    return ""


def _first_line(text: str | None) -> str:
    """The line of a pytest failure that says what went wrong (its first `E` line)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    errors = [line.removeprefix("E").strip() for line in lines if line.startswith("E ")]
    return errors[0] if errors else (lines[-1] if lines else "")


def _short(nodeid: str) -> str:
    return nodeid.partition("::")[2] or nodeid


SURVIVORS_SHOWN = 10


def _surviving_mutants(result: EvalResult, console: Console) -> None:
    metric = result.metrics.get("mutation_score")
    survivors = metric.details.get("surviving_mutants", []) if metric else []
    if not survivors:
        return
    total = metric.details["survived"] if metric else len(survivors)
    table = Table(
        title=f"surviving mutants ({min(total, SURVIVORS_SHOWN)} of {total}): bugs no test caught",
        title_justify="left",
    )
    table.add_column("line", justify="right")
    table.add_column("operator")
    table.add_column("original", overflow="fold")
    table.add_column("mutated", overflow="fold")
    for mutant in survivors[:SURVIVORS_SHOWN]:
        table.add_row(
            str(mutant["line"]), mutant["operator"], mutant["original"], mutant["mutated"]
        )
    console.print(table)


def _integrity(result: EvalResult, console: Console) -> None:
    """The tampering found in the run: why a result is invalid."""
    if result.integrity.ok:
        return
    console.print(
        Text(
            "INVALID: the tests tampered with the evaluation; score 0 "
            f"({len(result.integrity.findings)} findings)",
            "bold red",
        )
    )
    for finding in result.integrity.findings[:20]:
        where = f" in {_short(finding.test)}" if finding.test else ""
        console.print(Text(f"  {finding.kind}{where}: {finding.detail}", "red"))


def render(result: EvalResult, console: Console) -> None:
    """Print `result` as a score line, a metrics table and the tests that need attention."""
    style = LEVEL_STYLES.get(result.quality_level, "")
    verdict = "PASS" if result.passed else "FAIL"
    console.print(
        Text.assemble(
            ("Score ", "bold"),
            (f"{result.score:.3f}", style),
            (f"  {result.quality_level}  ", style),
            (verdict, "bold green" if result.passed else "bold red"),
            f"  (pass line {result.pass_line:.2f}; {result.source} <- {result.tests_file})",
        )
    )
    table = Table(show_lines=False, expand=False)
    for column, justify in [
        ("metric", "left"),
        ("value", "right"),
        ("threshold", "right"),
        ("", "center"),
        ("evidence", "left"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for name, metric in result.metrics.items():
        table.add_row(
            name,
            f"{metric.value:.3f}",
            f"{metric.threshold:.2f}",
            Text("ok", "green") if metric.passed else Text("below", "red"),
            _evidence(name, metric.details),
        )
    console.print(table)
    _integrity(result, console)
    attention = [
        test
        for test in result.tests
        if test.outcome != TestOutcome.PASSED or test.flaky or not test.reached_module
    ]
    if attention or result.collection_errors or result.syntax_error:
        tests = Table(title="tests needing attention", title_justify="left")
        tests.add_column("test", overflow="fold", ratio=2)
        for column in ("outcome", "flaky", "reaches module"):
            tests.add_column(column)
        tests.add_column("reason", overflow="fold", ratio=3)
        if result.syntax_error:
            tests.add_row("(file)", "syntax error", "", "", result.syntax_error)
        for error in result.collection_errors:
            tests.add_row(
                error.nodeid or "(file)", "collection error", "", "", _first_line(error.message)
            )
        for test in attention:
            tests.add_row(
                _short(test.nodeid),
                test.outcome.value,
                "yes" if test.flaky else "",
                "yes" if test.reached_module else Text("no", "red"),
                _first_line(test.failure),
            )
        console.print(tests)
    _surviving_mutants(result, console)
    for note in result.notes:
        console.print(Text(f"note: {note}", "yellow"))
    console.print(
        f"{len(result.tests)} tests, {result.reruns} reruns, sandbox {result.sandbox}, "
        f"{result.duration_s:.2f} s"
    )


def render_suite(report: SuiteReport, console: Console) -> None:
    """Print a suite: its score, metric means, entries, goals and regression findings.

    On a terminal, a table (fewer columns when it is narrow); off a terminal (a pipe, a CI log),
    plain lines with every number in full and nothing wrapped or cut.
    """
    suite = report.suite
    plain = not console.is_terminal
    style = LEVEL_STYLES.get(suite.quality_level or "", "")
    console.print(
        Text.assemble(
            ("Suite ", "bold"),
            (suite.id, "bold"),
            f"  {suite.name} on {suite.dataset}  ",
            (f"{(suite.overall_score or 0):.3f} {suite.quality_level}", style),
            f"  {suite.passed_evals}/{suite.total_evals} entries passed",
            f"  {(suite.duration_seconds or 0):.1f} s",
        ),
        soft_wrap=plain,
    )
    if plain:
        _entry_lines(report, console)
    else:
        console.print(_entries_table(report, console.width))
        for result in report.results:
            if result.status != "completed":
                console.print(Text(f"{result.entry_id} failed: {'; '.join(result.errors)}", "red"))
    goals = "  ".join(
        f"[{'green' if met else 'red'}]{'✔' if met else '✘'} {goal}[/]"
        for goal, met in report.goals.items()
    )
    console.print(f"goals: {goals}", soft_wrap=plain)
    _print_regressions(report, console)


NARROW = ("coverage", "pass_rate", "mutation_score")  # the columns a narrow terminal keeps


def _entries_table(report: SuiteReport, width: int) -> Table:
    names = report.metric_names
    if width < 40 + 8 * len(names):  # each metric column takes about 8 characters
        names = [name for name in names if name in NARROW]
    left_out = len(report.metric_names) - len(names)
    title = "entries" + (f" ({left_out} metrics left out: a wider terminal shows them)"
                         if left_out else "")  # fmt: skip
    entries = Table(title=title, title_justify="left", pad_edge=False)
    entries.add_column("entry", no_wrap=True, overflow="fold")
    entries.add_column("score", justify="right", no_wrap=True)
    entries.add_column("quality", no_wrap=True)
    for name in names:
        entries.add_column(SHORT_NAMES.get(name, name), justify="right", no_wrap=True)
    for result in report.results:
        if result.status != "completed":  # why: in a line under the table
            entries.add_row(result.entry_id, "—", Text("failed", "red"), *["—"] * len(names))
            continue
        cells: list[str | Text] = []
        for name in names:
            metric = result.result.metrics.get(name) if result.result else None
            value = result.metrics.get(name)
            text = "—" if value is None else f"{value:.2f}"
            cells.append(Text(text, "red") if metric is not None and not metric.passed else text)
        level = result.quality_level or ""
        entries.add_row(
            result.entry_id, f"{(result.score or 0):.3f}", Text(level, LEVEL_STYLES.get(level, "")),
            *cells,
        )  # fmt: skip
    means = [f"{report.metric_means[name]:.2f}" for name in names]
    entries.add_row(Text("mean", "bold"), f"{(report.suite.overall_score or 0):.3f}", "", *means)
    return entries


def _entry_lines(report: SuiteReport, console: Console) -> None:
    """One line per entry: `entry score level metric=value ...`, numbers in full."""
    for result in report.results:
        if result.status != "completed":
            console.print(f"{result.entry_id} failed: {'; '.join(result.errors)}", soft_wrap=True,
                          highlight=False, markup=False)  # fmt: skip
            continue
        values = " ".join(
            f"{name}={result.metrics[name]:.3f}"
            for name in report.metric_names
            if name in result.metrics
        )
        console.print(
            f"{result.entry_id} {(result.score or 0):.3f} {result.quality_level} {values}",
            soft_wrap=True, highlight=False, markup=False,
        )  # fmt: skip
    means = " ".join(f"{name}={report.metric_means[name]:.3f}" for name in report.metric_names)
    console.print(f"mean {(report.suite.overall_score or 0):.3f} {means}", soft_wrap=True,
                  highlight=False, markup=False)  # fmt: skip


def _print_regressions(report: SuiteReport, console: Console) -> None:
    """One line per flagged subject: the mean over paired entries first (with each metric's
    95% interval), then each flagged entry by name, with before -> after per metric."""
    from agentic_testgen.reports._suite import format_ci  # noqa: PLC0415 - see the imports

    flagged = report.flagged
    if not flagged:
        return
    subjects: dict[str | None, list[RegressionFinding]] = {}
    for finding in flagged:
        subjects.setdefault(finding.entry_id, []).append(finding)
    entries = [name for name in subjects if name is not None]
    console.print(
        Text(
            f"REGRESSION against the baseline ({flagged[0].baseline_suite_id}): "
            f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'} flagged"
            + (", and the mean over paired entries" if None in subjects else ""),
            "bold red",
        ),
        soft_wrap=not console.is_terminal,
    )
    for name in [None, *sorted(entries)] if None in subjects else sorted(entries):
        findings = subjects[name]
        label = f"mean of {findings[0].paired_entries}" if name is None else name
        parts = []
        for finding in findings:
            interval = format_ci(finding.ci_low, finding.ci_high, missing="")
            ci = f" {interval}" if name is None and interval else ""
            parts.append(
                f"{finding.metric} {finding.baseline_value:.3f} -> {finding.current_value:.3f}{ci}"
            )
        console.print(Text(f"  {label}: " + ", ".join(parts), "red"),
                      soft_wrap=not console.is_terminal)  # fmt: skip
