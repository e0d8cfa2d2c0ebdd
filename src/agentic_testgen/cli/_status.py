"""The spinner a long command shows while it works, on a terminal only."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class _Silent:
    """What the spinner's updates go to where there is no spinner."""

    def update(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextlib.contextmanager
def working(console: Console, message: str) -> Iterator[Any]:
    """rich's status spinner with `message` while the block runs, where `console` is a
    terminal. Elsewhere (a pipe, a file, CI) nothing: no one would see it, and its redrawing
    thread still wakes 12 times a second. Each time it takes the interpreter's lock from a
    command busy on the host, which then waits for a core its sandboxed runs hold (15-25 ms
    measured at the end of an `atg eval file` run). Yields an object with `update(...)`."""
    if not console.is_terminal:
        yield _Silent()
        return
    with console.status(message) as status:
        yield status
