"""Where an application keeps its settings, and a lock so two processes do not write at once."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any


def config_home(environ: dict[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME`, else `~/.config` (from `environ`, default the process's)."""
    env = os.environ if environ is None else environ
    configured = env.get("XDG_CONFIG_HOME", "").strip()
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path(env.get("HOME", str(Path.home()))) / ".config"


def load(path: Path) -> dict[str, Any]:
    """The settings in `path`; none when the file does not exist yet."""
    if not path.exists():
        return {}
    loaded = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return loaded


if sys.platform != "win32":
    import fcntl

    def try_lock(handle: IO[str]) -> bool:
        """Take an exclusive lock on an open file without waiting; False when another holds it."""
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
