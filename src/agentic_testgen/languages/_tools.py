"""Where atg keeps the tools it runs for a language from outside its own environment.

`atg setup <language>` fetches them once (npm packages, Maven Central jars) into
`$XDG_CACHE_HOME/atg/<name>`, else `~/.cache/atg/<name>`; runs read them from there and never
reach a registry.
"""

from __future__ import annotations

import os
from pathlib import Path


def tool_home(name: str) -> Path:
    """The folder of the tools called `name` in atg's cache (not created here)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "atg" / name


class ToolsMissingError(RuntimeError):
    """A language's tools are not set up; the message names the command that sets them up."""
