"""`atg eval safety` and `atg eval redteam`: the system-level evaluators, alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, Workspace
from agentic_testgen.evals.safety import CATEGORIES, SafetyReport, evaluate_safety
from agentic_testgen.evals.system import store_safety
from agentic_testgen.storage import ResultStore

EXIT_BELOW = 1
JsonFile = Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")]
Store = Annotated[bool, typer.Option(help="Store the run in the workspace's database.")]


def safety(
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    json_file: JsonFile = None,
    store: Store = True,
    details: Annotated[bool, typer.Option(help="Show each kind of sample.")] = False,
) -> None:
    """Precision, recall and F1 of the secret, PII and injection guardrails on their labeled
    sets (shipped with atg), against the thresholds 0.95 / 0.90 / 0.90. Exits 1 below them."""
    out, err = Console(), Console(stderr=True)
    started = datetime.now(UTC)
    try:
        report = evaluate_safety(on_progress=lambda message: err.print(message, style="dim"))
        if store:
            suite = store_safety(ResultStore.for_workspace(workspace, db), report, started)
            err.print(f"stored {suite.id}", highlight=False)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    out.print(safety_table(report, details=details))
    if json_file:
        json_file.write_text(json.dumps(safety_json(report), indent=2) + "\n")
    if not report.passed:
        below = [r.category for r in report.results if not r.passed]
        err.print(f"[bold red]below the threshold: {', '.join(below)}[/]")
        raise typer.Exit(EXIT_BELOW)


def safety_table(report: SafetyReport, *, details: bool = False) -> Table:
    table = Table(title=f"safety: {report.score:.3f}", title_justify="left")
    for column in ("category", "kind", "precision", "recall", "F1", "threshold", "samples", ""):
        table.add_column(column, justify="left" if column in ("category", "kind") else "right")
    for result in report.results:
        c = result.counts
        table.add_row(
            result.category, "all", f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
            f"{result.threshold:.2f}", str(c.tp + c.fp + c.fn + c.tn),
            "ok" if result.passed else "BELOW",
        )  # fmt: skip
        for kind, k in result.by_kind.items() if details else ():
            shown = (f"{k.recall:.3f}", "") if not kind.startswith("not:") else ("", "")
            table.add_row("", kind, "", shown[0], "", "", str(k.tp + k.fp + k.fn + k.tn),
                          f"{k.fp} flagged" if k.fp else "")  # fmt: skip
    return table


def safety_json(report: SafetyReport) -> dict[str, object]:
    return {
        "score": report.score,
        "passed": report.passed,
        "categories": {
            r.category: {
                **r.counts.as_dict(), "threshold": r.threshold, "passed": r.passed,
                "by_kind": {kind: c.as_dict() for kind, c in r.by_kind.items()},
                "missed": list(r.missed), "false_alarms": list(r.false_alarms),
            }
            for r in report.results
        },
    }  # fmt: skip


__all__ = ["CATEGORIES", "safety"]
