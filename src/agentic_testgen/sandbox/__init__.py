"""Sandboxes that contain test code: bubblewrap by default, weaker modes only when forced."""

from __future__ import annotations

import warnings

from agentic_testgen.errors import SandboxUnavailableError
from agentic_testgen.sandbox._bwrap import BubblewrapSandbox, interpreter_paths
from agentic_testgen.sandbox._process import ProcessSandbox, UnsandboxedProcess
from agentic_testgen.sandbox._protocol import Completed, Limits, Sandbox

SANDBOX_NAMES = ("auto", "bwrap", "process", "none")


class WeakSandboxWarning(UserWarning):
    """The run is less contained than the default sandbox would make it."""


PROCESS_WARNING = (
    "sandbox 'process': tests can read your files, reach the network and change the workspace; "
    "only time, memory, processes and output are limited (as root they run as nobody)"
)
NONE_WARNING = (
    "sandbox 'none': tests run as you, with your environment, files and network; only wall "
    "time and output are limited"
)


def get_sandbox(name: str = "auto") -> Sandbox:
    """The sandbox registered under `name`.

    `auto` is bubblewrap when it works here, else the process sandbox with a loud warning; `none`
    is only ever returned when asked for by name.

    Raises:
        SandboxUnavailableError: `bwrap` was asked for and cannot run, or the name is unknown.
    """
    if name == "auto":
        try:
            return BubblewrapSandbox()
        except SandboxUnavailableError as error:
            warnings.warn(
                f"{error}. Falling back to the 'process' sandbox: test code can read your files "
                "and reach the network. Install bubblewrap for full isolation.",
                WeakSandboxWarning,
                stacklevel=2,
            )
            return ProcessSandbox()
    if name == "bwrap":
        return BubblewrapSandbox()
    if name == "process":
        warnings.warn(PROCESS_WARNING, WeakSandboxWarning, stacklevel=2)
        return ProcessSandbox()
    if name == "none":
        warnings.warn(NONE_WARNING, WeakSandboxWarning, stacklevel=2)
        return UnsandboxedProcess()
    raise SandboxUnavailableError(
        f"unknown sandbox {name!r}: choose one of {', '.join(SANDBOX_NAMES)}"
    )


__all__ = [
    "SANDBOX_NAMES",
    "BubblewrapSandbox",
    "Completed",
    "Limits",
    "ProcessSandbox",
    "Sandbox",
    "SandboxUnavailableError",
    "UnsandboxedProcess",
    "WeakSandboxWarning",
    "get_sandbox",
    "interpreter_paths",
]
