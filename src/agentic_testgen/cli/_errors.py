"""How every command reports an error the user can fix: one line, exit status 2."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from agentic_testgen.errors import (
    ConfigError,
    DatasetError,
    ExecutorUnavailableError,
    InputFileError,
    SandboxUnavailableError,
    StorageError,
    UnknownLanguageError,
)

if TYPE_CHECKING:
    from rich.console import Console

EXIT_USAGE = 2

# Errors a user can cause and fix; anything else is a bug and keeps its traceback.
USER_ERRORS = (
    ConfigError,
    DatasetError,
    ExecutorUnavailableError,
    InputFileError,
    SandboxUnavailableError,
    StorageError,
    UnknownLanguageError,
    ValueError,
)


def fail(message: str, console: Console, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one clear error line and return the exit to raise."""
    from rich.text import Text  # noqa: PLC0415 - the console's command has loaded rich already

    console.print(Text.assemble(("error: ", "bold red"), message), highlight=False, soft_wrap=True)
    return typer.Exit(code)
