"""`atg eval setup | run | trend | compare | report`: suites over datasets, and their history."""

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.evals import DEFAULT_SUITE_NAME

# Each command imports what it runs when it runs (storage, the runner, reports, rich): `atg
# --help` and the other commands do not pay for them.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from agentic_testgen.datasets import Dataset
    from agentic_testgen.evals.anomaly import Anomaly
    from agentic_testgen.evals.runner import EvalRunner
    from agentic_testgen.execution import Executor
    from agentic_testgen.storage import StoredResult, SuiteRecord

EXIT_GATE = 1
EXIT_NOT_COMPARED = 2  # --fail-on-regression, and no baseline this run can be compared with
EXIT_BUDGET = 3  # a cost budget of the run's tags is spent

Workspace = Annotated[
    Path, typer.Option("--workspace", "-w", help="Datasets, evals.db and results/ live here.")
]
DbUrl = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: ATG_DB_URL, else <workspace>/evals.db)."),
]
JsonFile = Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")]


def register(app: typer.Typer) -> None:
    app.command("setup")(setup)
    app.command("run")(run)
    app.command("trend")(trend)
    app.command("compare")(compare)
    app.command("report")(report)


def setup(
    workspace: Workspace = Path("evals"),
    force: Annotated[bool, typer.Option(help="Overwrite datasets already there.")] = False,
) -> None:
    """Write the built-in datasets into <workspace>/datasets for editing."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.datasets import BUILTIN_DIR, builtin_names  # noqa: PLC0415

    target = workspace / "datasets"
    written = kept = 0
    for path in sorted(BUILTIN_DIR.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        destination = target / path.relative_to(BUILTIN_DIR)
        if destination.exists() and not force:
            kept += 1
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        written += 1
    console = Console()
    console.print(f"wrote {written} files to {target} ({kept} kept; --force overwrites)")
    console.print(f"datasets: {', '.join(builtin_names())}")


def run(
    dataset: Annotated[str, typer.Option(help="A dataset name or a YAML/JSONL file.")] = "mixed",
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    name: Annotated[str, typer.Option(help="Suite name: baselines and trends follow it.")] = (
        DEFAULT_SUITE_NAME
    ),
    generator: Annotated[str, typer.Option(help="Where tests come from.")] = "reference",
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Entries evaluated at once: local processes, or dask-local worker processes "
            "[default: cores].",
        ),
    ] = None,
    executor: Annotated[
        str,
        typer.Option(
            help="Where entries run: local (a process pool), dask-local (a Dask LocalCluster "
            "started and closed here) or dask://HOST:PORT (a running Dask scheduler).",
        ),
    ] = "local",
    retries: Annotated[
        int,
        typer.Option(
            min=0,
            help="Runs again an entry whose worker died or whose task raised outside the "
            "evaluation, at most N times; then it is stored as failed.",
        ),
    ] = 2,
    resume: Annotated[
        bool, typer.Option(help="Finish the last interrupted suite of this name and dataset.")
    ] = False,
    regression_check: Annotated[
        bool, typer.Option(help="Compare with the baseline of this suite name.")
    ] = True,
    regression_threshold: Annotated[
        float | None,
        typer.Option(min=0, max=1, help="Drop that counts as a regression [default: 0.05]."),
    ] = None,
    repeat: Annotated[
        int,
        typer.Option(
            min=1,
            help="Run the suite N times (each stored): the regression check takes each "
            "entry's noise from the spread of the repeats.",
        ),
    ] = 1,
    reports: Annotated[bool, typer.Option(help="Write reports to <workspace>/results.")] = True,
    report_format: Annotated[
        str, typer.Option("--format", help="Report formats: json,md,html,junit.")
    ] = "json,md,html,junit",
    reruns: Annotated[int | None, typer.Option(min=0, help="Reruns per entry [default: 5].")] = (
        None
    ),
    sandbox: Annotated[str | None, typer.Option(help="auto, bwrap, process or none.")] = None,
    mutation: Annotated[
        bool | None, typer.Option("--mutation/--no-mutation", help="Run mutation testing.")
    ] = None,
    max_mutants: Annotated[
        int | None, typer.Option(min=1, help="A seeded sample of at most N mutants per entry.")
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            min=0, max=1, help="Exit 1 when the suite score is below [default: scoring.fail_under]."
        ),
    ] = None,
    fail_on_regression: Annotated[
        bool,
        typer.Option(
            help="Exit 1 when a regression is detected; 2 when this name has baselines but none "
            "this run can be compared with (another dataset or generator, no shared entry)."
        ),
    ] = False,
    evaluators: Annotated[
        str,
        typer.Option(
            help="Evaluators run after the suite, each stored as a suite of its own: "
            "safety, red_team (system level), planner, coder, critic (agent level); "
            "comma-separated, 'all' or 'none'."
        ),
    ] = "safety",
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            help="key=value, repeatable (team=payments, project=api): the run's cost is "
            "attributed to each tag, and cost.budgets per tag can stop it.",
        ),
    ] = None,
) -> None:
    """Evaluate a dataset: tests per entry, stored as they finish, compared, reported."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.evals.cost import BudgetExceededError, parse_tags  # noqa: PLC0415
    from agentic_testgen.evals.runner import EvalRunner  # noqa: PLC0415
    from agentic_testgen.evals.system import parse_evaluators  # noqa: PLC0415
    from agentic_testgen.execution import open_executor, parse_executor  # noqa: PLC0415
    from agentic_testgen.reports import (  # noqa: PLC0415
        build_suite_report,
        parse_formats,
        render_suite,
        write_suite_reports,
    )

    out, err = Console(), Console(stderr=True)
    try:
        chosen, where = parse_evaluators(evaluators), parse_executor(executor)
    except ValueError as error:
        raise fail(str(error), err) from None
    overrides: dict[str, Any] = {
        k: v
        for k, v in {
            "reruns": reruns,
            "sandbox": sandbox,
            "mutation": mutation,
            "max_mutants": max_mutants,
        }.items()
        if v is not None
    }
    try:
        tags = parse_tags(tag or [])
        formats = parse_formats(report_format) if reports else []
        runner = EvalRunner(
            workspace,
            db_url=db,
            settings=load_settings(**({"run": overrides} if overrides else {})),
        )
        loaded = runner.load(dataset)
        suite = _run_repeats(
            runner, loaded, open_executor(where, jobs=jobs, retries=retries), name=name,
            generator=generator, resume=resume, repeat=repeat, tags=tags,
        )  # fmt: skip
        regression = (
            runner.check_regression(suite.id, name, regression_threshold)
            if regression_check
            else None
        )
        paths = write_suite_reports(runner.storage, suite.id, workspace / "results", formats)
        render_suite(build_suite_report(runner.storage, suite.id), out)
        systems = _run_evaluators(runner, chosen, err)
    except BudgetExceededError as error:
        raise fail(str(error), err, EXIT_BUDGET) from None
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    except KeyboardInterrupt:
        err.print("interrupted: finished entries are stored; continue with --resume")
        raise typer.Exit(130) from None
    if regression is not None and regression.note:
        err.print(regression.note, soft_wrap=True, highlight=False)
    for path in paths:
        err.print(f"wrote {path}", soft_wrap=True, highlight=False)
    gate_failed = False
    gate, named = (
        (fail_under, "--fail-under")
        if fail_under is not None
        else (runner.settings.scoring.fail_under, "scoring.fail_under")
    )
    if gate is not None and (suite.overall_score or 0) < gate:
        err.print(
            f"[bold red]suite score {suite.overall_score or 0:.3f} is below {named} {gate:g}[/]"
        )
        gate_failed = True
    if fail_on_regression and regression is not None and regression.detected:
        err.print(f"[bold red]{len(regression.flagged)} regression(s) against the baseline[/]")
        gate_failed = True
    if systems:
        err.print(f"[bold red]below their thresholds: {', '.join(systems)}[/]")
        gate_failed = True
    if gate_failed:
        raise typer.Exit(EXIT_GATE)
    if fail_on_regression and regression is not None and regression.refused:
        raise typer.Exit(EXIT_NOT_COMPARED)


def _run_evaluators(runner: "EvalRunner", names: list[str], err: "Console") -> list[str]:
    """Run the system evaluators after the suite; one line each. Returns those that failed."""
    from agentic_testgen.evals.system import run_evaluators  # noqa: PLC0415 - imported when it runs

    failed = []
    for name, suite, _ in run_evaluators(runner.storage, names):
        verdict = "ok" if suite.failed_evals == 0 else f"{suite.failed_evals} below threshold"
        err.print(f"{name}: {suite.overall_score or 0:.3f} ({verdict}), stored as {suite.id}",
                  highlight=False, soft_wrap=True)  # fmt: skip
        if suite.failed_evals:
            failed.append(name)
    return failed


def _run_repeats(
    runner: "EvalRunner",
    loaded: "Dataset",
    executor: "Executor",
    *,
    name: str,
    generator: str,
    resume: bool,
    repeat: int,
    tags: dict[str, str],
) -> "SuiteRecord":
    """The suite `repeat` times on one executor, started here and stopped after the last run
    (its dashboard, if any, announced first); returns the last run."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    with executor:
        link = getattr(executor, "dashboard_link", None)
        if link:
            Console(stderr=True).print(
                f"{executor.description}; dashboard: {link}", soft_wrap=True, highlight=False
            )
        for run_number in range(1, repeat + 1):
            counted = f" ({run_number}/{repeat})" if repeat > 1 else ""
            suite = _run_once(
                runner, loaded, name=name, generator=generator, executor=executor,
                resume=resume and run_number == 1, title=f"{name} on {loaded.name}{counted}",
                tags=tags,
            )  # fmt: skip
    return suite


def _run_once(
    runner: "EvalRunner",
    loaded: "Dataset",
    *,
    name: str,
    generator: str,
    executor: "Executor",
    resume: bool,
    title: str,
    tags: dict[str, str] | None = None,
) -> "SuiteRecord":
    """One run of the suite with a progress bar on stderr."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task(title, total=len(loaded.entries), last="")

        def started(suite: "SuiteRecord", already: int) -> None:
            if already:
                progress.console.print(f"resuming {suite.id}: {already} entries already done")
            progress.update(task, completed=already)

        def finished(entry_id: str, stored: "StoredResult") -> None:
            mark = f"{stored.score:.2f}" if stored.score is not None else "failed"
            progress.update(task, advance=1, last=f"{entry_id} {mark}")

        suite, _ = runner.run_suite(
            loaded, name=name, generator=generator, executor=executor, resume=resume,
            on_start=started, on_result=finished, tags=tags,
        )  # fmt: skip
    return suite


def trend(
    eval_name: Annotated[str, typer.Argument(help="A suite name, or an entry id.")] = (
        DEFAULT_SUITE_NAME
    ),
    window: Annotated[int, typer.Option(min=1, help="How many results to look back.")] = 10,
    dataset: Annotated[
        str | None, typer.Option(help="Dataset of the series [default: the latest suite's].")
    ] = None,
    generator: Annotated[
        str | None, typer.Option(help="Generator of the series [default: the latest suite's].")
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
) -> None:
    """Moving average, slope, sparkline and anomalies over the last results of an eval (a suite
    name's runs over one dataset with one generator): a spike or a slow drift of the score, and
    each metric the detectors flag."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    from agentic_testgen.evals.runner import EvalRunner  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    try:
        found = EvalRunner(workspace, db_url=db).analyze_trend(
            eval_name, window, dataset=dataset, generator=generator
        )
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    if not found.points:
        raise fail(f"no completed results named {eval_name!r} in this database", err)
    series = (
        f"{found.eval_name} on {found.dataset} with {found.generator}"
        if found.kind == "suite"
        else f"{found.eval_name} (entry)"
    )
    table = Table(title=series, title_justify="left")
    for column in ("when", "id", "score", "moving avg"):
        table.add_column(column, justify="right" if column in {"score", "moving avg"} else "left")
    for point, average in zip(found.points, found.moving_average, strict=True):
        table.add_row(
            f"{point.at:%Y-%m-%d %H:%M}", point.id, f"{point.value:.3f}", f"{average:.3f}"
        )
    out.print(table)
    out.print(
        f"{found.sparkline}  {found.direction}, slope {found.slope:+.4f} per run, "
        f"latest {found.latest:.3f}, mean {found.mean:.3f}"
    )
    if found.anomaly is not None:
        out.print(_anomaly_line("score", found.anomaly))
    flagged = found.flagged_metrics
    for metric, anomaly in flagged.items():
        out.print(_anomaly_line(metric, anomaly))
    if found.metric_anomalies and not flagged:
        out.print(Text(f"metrics: no anomaly in {len(found.metric_anomalies)} series", "dim"))


def _anomaly_line(series: str, anomaly: "Anomaly") -> "Text":
    """`score: drift down: ...` in red for a drop, green for a rise, dim when nothing fired."""
    from rich.text import Text  # noqa: PLC0415 - imported when it runs

    style = {"down": "red", "up": "green"}.get(anomaly.direction or "", "dim")
    return Text(f"{series}: {anomaly.reason}", style)


def compare(
    suite_a: Annotated[str, typer.Argument(help="Suite A (the reference), or `latest`.")],
    suite_b: Annotated[str, typer.Argument(help="Suite B (the candidate), or `latest`.")],
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the A/B page to this HTML file.")
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
) -> None:
    """A/B: per-metric deltas (B - A) with 95% CIs over shared entries, wins and losses."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    from agentic_testgen.evals.compare import compare_suites  # noqa: PLC0415
    from agentic_testgen.reports import format_ci, render_compare_html  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    try:
        store = ResultStore.for_workspace(workspace, db)
        suite_a, suite_b = store.resolve_suite(suite_a), store.resolve_suite(suite_b)
        result = compare_suites(store, suite_a, suite_b)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    table = Table(title=f"B {suite_b} vs A {suite_a}", title_justify="left")
    for column in ("value", "A", "B", "B - A", "95% CI", ""):
        table.add_column(column, justify="left" if column in {"value", ""} else "right")
    for metric in result.metrics:
        ci = format_ci(metric.ci_low, metric.ci_high, missing="too few pairs")
        style = "green" if metric.delta > 0 else "red"
        mark = Text("significant", style) if metric.significant else Text("")
        table.add_row(
            metric.name, f"{metric.mean_a:.3f}", f"{metric.mean_b:.3f}",
            Text(f"{metric.delta:+.3f}", style if metric.significant else ""), ci, mark,
        )  # fmt: skip
    out.print(table)
    out.print(
        f"{len(result.entries)} shared entries: B wins {result.wins}, loses {result.losses}, "
        f"ties {result.ties}; only in A: {len(result.only_a)}, only in B: {len(result.only_b)}"
    )
    biggest = sorted(result.entries, key=lambda e: abs(e.delta), reverse=True)[:5]
    for entry in biggest:
        if abs(entry.delta) > 0:
            out.print(
                f"  {entry.entry_id}: {entry.score_a:.3f} -> {entry.score_b:.3f} "
                f"({entry.delta:+.3f})"
            )
    out.print(Text(f"verdict: {result.verdict}", "bold"))
    if html is not None:
        try:
            html.parent.mkdir(parents=True, exist_ok=True)
            html.write_text(render_compare_html(result), encoding="utf-8")
        except OSError as error:
            raise fail(f"{html}: cannot write the A/B page: {error.strerror}", err) from None
        err.print(f"wrote {html}", soft_wrap=True, highlight=False)


def report(
    suite_id: Annotated[str, typer.Argument(help="The suite to report on, or `latest`.")],
    report_format: Annotated[
        str, typer.Option("--format", help="Any of json,md,html,junit.")
    ] = "json,md,html,junit",
    output: Annotated[
        Path | None, typer.Option(help="Directory [default: <workspace>/results].")
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
) -> None:
    """Write a stored suite's reports again, in any formats."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.reports import parse_formats, write_suite_reports  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    err = Console(stderr=True)
    try:
        formats = parse_formats(report_format)
        store = ResultStore.for_workspace(workspace, db)
        suite_id = store.resolve_suite(suite_id)
        paths = write_suite_reports(store, suite_id, output or workspace / "results", formats)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    for path in paths:
        err.print(f"wrote {path}", soft_wrap=True, highlight=False)
