"""`atg eval safety` and `atg eval redteam`: the system-level evaluators, alone."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, JsonFile, Workspace

if TYPE_CHECKING:
    from rich.table import Table

    from agentic_testgen.evals.redteam import RedTeamReport
    from agentic_testgen.evals.safety import SafetyReport

EXIT_BELOW = 1
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
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.evals.safety import evaluate_safety  # noqa: PLC0415
    from agentic_testgen.evals.system import store_safety  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

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


def safety_table(report: "SafetyReport", *, details: bool = False) -> "Table":
    from rich.table import Table  # noqa: PLC0415 - imported when it runs

    table = Table(title=f"safety: {report.score:.3f}", title_justify="left")
    table.add_column("category")
    table.add_column("kind", overflow="fold", min_width=18)
    for column in ("precision", "recall", "F1", "goal", "samples", ""):
        table.add_column(column, justify="right", no_wrap=True)
    for result in report.results:
        c = result.counts
        table.add_row(
            result.category, "all", f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
            f"{result.threshold:.2f}", str(c.tp + c.fp + c.fn + c.tn),
            "ok" if result.passed else "BELOW",
        )  # fmt: skip
        for kind, k in result.per_kind.items() if details else ():
            table.add_row("", kind, f"{k.precision:.3f}", f"{k.recall:.3f}", f"{k.f1:.3f}", "",
                          str(k.tp + k.fn), f"{k.fp} false alarms" if k.fp else "")  # fmt: skip
    return table


def safety_json(report: "SafetyReport") -> dict[str, object]:
    return {
        "score": report.score,
        "passed": report.passed,
        "categories": {
            r.category: {
                **r.counts.as_dict(), "threshold": r.threshold, "passed": r.passed,
                "by_kind": {kind: c.as_dict() for kind, c in r.per_kind.items()},
                "by_sample_kind": {kind: c.as_dict() for kind, c in r.by_kind.items()},
                "missed": list(r.missed), "false_alarms": list(r.false_alarms),
            }
            for r in report.results
        },
    }  # fmt: skip


def redteam(
    attack_class: Annotated[
        list[str] | None,
        typer.Option(
            "--class",
            help="Attack classes to run (prompt_injection, command_injection, sql_injection, "
            "path_traversal, harness_tampering) [default: all].",
        ),
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    json_file: JsonFile = None,
    store: Store = True,
) -> None:
    """Attack the real orchestrator, sandbox, loader and storage (prompt injection through a
    local model that obeys it, command and SQL injection, path traversal, harness tampering)
    and check the host after each attack. Exits 1 when an attack was not stopped."""
    # imported when asked for: the attacks pull in generation and the model server
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from agentic_testgen.evals.redteam import ATTACK_CLASSES, run_redteam  # noqa: PLC0415
    from agentic_testgen.evals.system import store_redteam  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    unknown = [name for name in attack_class or () if name not in ATTACK_CLASSES]
    if unknown:
        known = ", ".join(ATTACK_CLASSES)
        raise fail(f"unknown attack class {unknown[0]!r} (known: {known})", err)
    started = datetime.now(UTC)

    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("red team", total=None)
            report = run_redteam(
                classes=attack_class or None,
                on_progress=lambda message: progress.update(task, description=message),
            )
        if store:
            suite = store_redteam(ResultStore.for_workspace(workspace, db), report, started)
            err.print(f"stored {suite.id}", highlight=False)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    out.print(redteam_table(report))
    if json_file:
        json_file.write_text(json.dumps(redteam_json(report), indent=2) + "\n")
    if report.not_stopped:
        names = ", ".join(o.name for o in report.not_stopped)
        err.print(f"[bold red]not stopped: {names}[/]")
        raise typer.Exit(EXIT_BELOW)


def redteam_table(report: "RedTeamReport") -> "Table":
    from rich.table import Table  # noqa: PLC0415 - imported when it runs
    from rich.text import Text  # noqa: PLC0415

    title = f"red team: {report.score:.3f} stopped ({report.duration_s:.0f} s)"
    table = Table(title=title, title_justify="left")
    for column in ("class", "attack", "stopped", "by", "evidence"):
        table.add_column(column, overflow="fold")
    for outcome in report.outcomes:
        table.add_row(outcome.attack_class, outcome.name, "yes" if outcome.stopped else "NO",
                      outcome.stopped_by, Text(outcome.evidence))  # fmt: skip
    return table


def redteam_json(report: "RedTeamReport") -> dict[str, object]:
    return {
        "score": report.score,
        "by_class": {
            name: {"stopped": stopped, "tried": tried}
            for name, (stopped, tried) in report.by_class().items()
        },
        "attacks": [
            {"name": o.name, "class": o.attack_class, "stopped": o.stopped,
             "stopped_by": o.stopped_by, "evidence": o.evidence}
            for o in report.outcomes
        ],
    }  # fmt: skip


__all__ = ["redteam", "safety"]
