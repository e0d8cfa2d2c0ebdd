"""The user's project as its own `pytest` sees it: root, layout, import names, interpreter.

`find_project(path)` reads it from a module file or any path inside the project;
`lay_out_workspace` copies what the tests need into a sandbox workspace (never a secret file);
`ProjectSandbox` runs the tests there with the project's interpreter. See docs/projects.md.
"""

from agentic_testgen.projects._find import find_project
from agentic_testgen.projects._interpreter import TEST_TOOLS, require_test_tools
from agentic_testgen.projects._model import (
    Interpreter,
    InterpreterRule,
    Layout,
    Project,
    ProjectError,
    RootMarker,
)
from agentic_testgen.projects._sandbox import ProjectSandbox
from agentic_testgen.projects._secrets import (
    SECRET_FILE_PATTERNS,
    is_secret,
    is_skipped_directory,
)
from agentic_testgen.projects._workspace import (
    ProjectWorkspace,
    lay_out_for_tool,
    lay_out_workspace,
)

__all__ = [
    "SECRET_FILE_PATTERNS",
    "TEST_TOOLS",
    "Interpreter",
    "InterpreterRule",
    "Layout",
    "Project",
    "ProjectError",
    "ProjectSandbox",
    "ProjectWorkspace",
    "RootMarker",
    "find_project",
    "is_secret",
    "is_skipped_directory",
    "lay_out_for_tool",
    "lay_out_workspace",
    "require_test_tools",
]
