"""`atg dataset`: make datasets from real projects (`atg dataset import`)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import fail

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from agentic_testgen.datasets._import import ImportReport

dataset_app = typer.Typer(help="Make datasets from real projects.", no_args_is_help=True)

# what each step of an import is called on the progress bar
_STEPS = {
    "download": "downloading the sdist",
    "unpack": "unpacking",
    "copy": "copying the checkout",
    "pairing": "pairing modules with their tests",
    "venv": "making the virtual environment",
    "install": "installing the project and its test dependencies",
    "collect": "collecting each entry's tests",
}


class _Bar:
    """The import's steps on one rich progress bar (one task per step)."""

    def __init__(self, progress: "Progress") -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.total = 1

    def begin(self, step: str, total: int = 1) -> None:
        self._finish()
        self.total = max(total, 1)
        self.task = self.progress.add_task(_STEPS.get(step, step), total=self.total)

    def advance(self) -> None:
        if self.task is not None:
            self.progress.advance(self.task)

    def _finish(self) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.total)

    def close(self) -> None:
        self._finish()


@dataset_app.command("import")
def import_(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A checkout of the project (a folder with pyproject.toml or setup.py)."
        ),
    ] = None,
    pypi: Annotated[
        str | None,
        typer.Option(help="A package on PyPI, NAME==VERSION: its sdist is downloaded with pip."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="The dataset's name [default: the package's or the folder's name]."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where to write NAME.yaml and NAME/ [default: <workspace>/datasets, where "
            "`atg eval run --dataset NAME` finds it]."
        ),
    ] = None,
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="The workspace of `atg eval run`.")
    ] = Path("evals"),
    sandbox: Annotated[
        str, typer.Option(help="Where each entry's tests are collected: auto, bwrap, process.")
    ] = "auto",
    extra: Annotated[
        list[str] | None,
        typer.Option(
            help="An extra of the project to install besides its test extras (test, tests, "
            "testing), when its tests need it; repeat for more."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace a dataset of that name.")] = False,
) -> None:
    """Make a dataset of a real project: each module paired with its own test file (tests/
    test_x.py, test_x.py beside x.py, tests/pkg/test_x.py, x_test.py; flat and src layouts;
    else the project module the test file imports), the project installed with its test
    dependencies into a virtual environment of its own, and each entry's tests collected once
    there. Entries whose tests cannot run are listed with pytest's reason, in the output and
    in the dataset file."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    from agentic_testgen.datasets._import import import_project  # noqa: PLC0415
    from agentic_testgen.errors import DatasetImportError  # noqa: PLC0415

    # plain text: reasons and extras hold brackets that are not markup
    out_console = Console(highlight=False, soft_wrap=True, markup=False)
    err = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, transient=False, disable=not err.is_terminal,
    )  # fmt: skip
    bar = _Bar(progress)
    try:
        with progress:
            report = import_project(
                out=out or workspace / "datasets", path=path, pypi=pypi, name=name,
                sandbox=sandbox, extras=tuple(extra or ()), force=force, steps=bar,
            )  # fmt: skip
            bar.close()
    except DatasetImportError as error:
        raise fail(str(error), err) from None
    _show(report, out_console)
    if not report.runnable:
        raise typer.Exit(1)


def _show(report: "ImportReport", console: "Console") -> None:
    runnable, not_runnable = report.runnable, report.not_runnable
    installed = report.installed
    extras = f" with [{','.join(installed.extras)}]" if installed.extras else ""
    console.print(f"imported {report.origin} as dataset {report.name!r}")
    console.print(f"  installed: {installed.distribution}{extras}")
    console.print(
        f"  found: {report.modules} modules, {report.test_files} test files; "
        f"paired: {len(report.entries)}; runnable: {len(runnable)}; "
        f"not runnable: {len(not_runnable)}; test files unpaired: {len(report.unpaired)}"
    )
    for entry in runnable:
        how = ", paired by its imports" if entry.paired_by == "imports" else ""
        console.print(f"  ok   {entry.id}  ({entry.tests}: {entry.collected} tests{how})")
    for entry in not_runnable:
        console.print(f"  NOT  {entry.id}  ({entry.tests}): {entry.problem}")
    for unpaired in report.unpaired:
        console.print(f"  --   {unpaired.tests}: {unpaired.reason}")
    console.print(f"dataset: {report.manifest}")
    if runnable:
        console.print(f"run it: atg eval run --dataset {report.manifest}")
    else:
        console.print("no entry's tests can run: the dataset has nothing to evaluate")
