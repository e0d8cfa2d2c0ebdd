"""The `atg` command line."""

from agentic_testgen.cli._app import app, main

__all__ = ["app", "main"]
