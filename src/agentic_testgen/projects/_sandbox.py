"""A sandbox that runs atg's Python commands with the project's interpreter and environment."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from agentic_testgen.projects._model import Project
from agentic_testgen.sandbox import Completed, Limits, Sandbox, interpreter_paths

# atg's own runners are mounted even when atg is evaluated as a project of its own.
_ATG_PACKAGE = Path(__file__).resolve().parents[1]


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


class ProjectSandbox:
    """Wraps a sandbox: a command atg starts with its own interpreter runs with the project's.

    The project interpreter's prefix, base prefix and site directories are mounted read-only.
    Nothing of the project root is mounted except the interpreter's own environment (a `.venv`
    in the root): the tests see the project only through the workspace copy, which holds no
    secret file. Read-only paths the caller asks for that hold the project root, or lie inside
    it, are dropped for the same reason (atg's own package excepted: its runners are there).
    """

    def __init__(self, inner: Sandbox, project: Project) -> None:
        self.inner = inner
        self.project = project
        self.name = inner.name
        python = project.interpreter.path
        self._environment = [
            path
            for path in interpreter_paths(python)
            if not _inside(project.root, path)
            and (not _inside(path, project.root) or _inside(path, python.parent.parent))
        ]

    def _visible(self, paths: Sequence[Path]) -> list[Path]:
        root = self.project.root
        kept = [
            path
            for path in paths
            if _inside(path, _ATG_PACKAGE) or not (_inside(root, path) or _inside(path, root))
        ]
        return [*kept, *self._environment]

    def execute(
        self,
        cmd: Sequence[str],
        workdir: Path,
        limits: Limits,
        *,
        env: Mapping[str, str],
        readonly_paths: Sequence[Path] = (),
        sealed: bool = False,
    ) -> Completed:
        """Run `cmd` in the inner sandbox, with atg's interpreter swapped for the project's."""
        command = list(cmd)
        if command and command[0] == sys.executable:
            command[0] = str(self.project.interpreter.path)
        return self.inner.execute(
            command,
            workdir,
            limits,
            env=env,
            readonly_paths=self._visible(readonly_paths),
            sealed=sealed,
        )
