"""How every command reports an error the user can fix: one line, exit status 2."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.text import Text

from agentic_testgen.errors import (
    ConfigError,
    DatasetError,
    InputFileError,
    SandboxUnavailableError,
    StorageError,
    UnknownLanguageError,
)

EXIT_USAGE = 2

# Errors a user can cause and fix; anything else is a bug and keeps its traceback.
USER_ERRORS = (
    ConfigError,
    DatasetError,
    InputFileError,
    SandboxUnavailableError,
    StorageError,
    UnknownLanguageError,
    ValueError,
)


def fail(message: str, console: Console, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one clear error line and return the exit to raise."""
    console.print(Text.assemble(("error: ", "bold red"), message), highlight=False, soft_wrap=True)
    return typer.Exit(code)
