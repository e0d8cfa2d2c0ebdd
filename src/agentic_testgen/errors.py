"""Errors a user can cause and fix, defined apart from the code that raises them.

The commands catch them (one clear line, exit status 2) without importing that code: a command
that fails on a bad dataset must not have paid for SQLAlchemy or the evaluation to say so. Each
is also exported where it is raised (`agentic_testgen.config.ConfigError`, ...).
"""

from __future__ import annotations


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the source, the key and the problem."""


class DatasetError(ValueError):
    """A dataset cannot be used; the message is one line: `file:line: field: problem`."""


class DatasetImportError(DatasetError):
    """A project cannot be imported as a dataset (`atg dataset import`): the path, the package
    spec, the download or the install failed; the message is one line saying which and why."""


class InputFileError(ValueError):
    """A file named by the user cannot be used; the message names it and says why."""


class InputTooLargeError(InputFileError):
    """A module or test file is larger than `run.max_source_mb`."""


class ExecutorUnavailableError(RuntimeError):
    """The executor asked for cannot run: Dask is not installed, or its scheduler is unreachable
    or went away."""


class SandboxUnavailableError(RuntimeError):
    """The requested sandbox cannot run on this machine."""


class StorageError(RuntimeError):
    """The database cannot be opened or used; the message is one line."""


class UnknownLanguageError(ValueError):
    """No adapter exists for the language asked for or implied by a file name."""


__all__ = [
    "ConfigError",
    "DatasetError",
    "DatasetImportError",
    "ExecutorUnavailableError",
    "InputFileError",
    "SandboxUnavailableError",
    "StorageError",
    "UnknownLanguageError",
]
