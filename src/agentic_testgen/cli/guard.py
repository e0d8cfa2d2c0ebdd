"""`atg guard scan`: every guardrail over files and folders (usable as a pre-commit hook)."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import fail
from agentic_testgen.guardrails import NAMES

if TYPE_CHECKING:
    from rich.console import Console

    from agentic_testgen.guardrails._scan import ScanResult

guard_app = typer.Typer(help="Check code with the guardrails.", no_args_is_help=True)
EXIT_FOUND = 1


@guard_app.command("scan")
def scan_command(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to scan.")],
    json_file: Annotated[
        Path | None,
        typer.Option("--json", help='Also write the findings as JSON ({"findings": [...]}).'),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="Leave out files whose path matches this shell pattern (repeatable)."),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(help=f"Comma-separated guardrails to run [default: all: {','.join(NAMES)}]."),
    ] = None,
) -> None:
    """Scan files for secrets, personal data and instructions to a model, and test files for
    what a test may not do (sockets, processes, writes outside tmp_path, secrets, the harness).
    Exits 1 when something is found."""
    from rich.console import Console  # noqa: PLC0415 - the detectors load when a scan runs
    from rich.progress import Progress  # noqa: PLC0415

    from agentic_testgen.guardrails._scan import scan  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    names = [name.strip() for name in only.split(",") if name.strip()] if only else list(NAMES)
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("scanning", total=None)
            result = scan(
                paths, names, exclude=exclude or (),
                on_file=lambda path: progress.update(task, advance=1),
            )  # fmt: skip
    except (FileNotFoundError, ValueError) as error:
        raise fail(str(error), err) from None
    _print(result, out)
    for reason in result.skipped:
        err.print(f"skipped {reason}", highlight=False, soft_wrap=True)
    if json_file:
        document = {"findings": [finding.as_json() for finding in result.findings]}
        json_file.write_text(json.dumps(document, indent=2) + "\n")
    if result.findings:
        raise typer.Exit(EXIT_FOUND)


def _print(result: "ScanResult", out: "Console") -> None:
    if not result.findings:
        out.print(f"no findings in {result.files} files", highlight=False)
        return
    for finding in result.findings:  # one line each, `path:line` first, as editors link them
        detail = f"  {finding.detail}" if finding.detail else ""
        out.print(f"{finding.path}:{finding.line}: {finding.category}/{finding.kind} "
                  f"({finding.severity}){detail}", highlight=False, soft_wrap=True,
                  markup=False)  # fmt: skip
    out.print(f"{len(result.findings)} findings in {result.files} files", highlight=False)
