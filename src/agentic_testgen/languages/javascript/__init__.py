"""JavaScript: node:test, jest or vitest under V8 coverage, with per-test coverage windows."""

from agentic_testgen.languages.javascript._adapter import JavaScriptAdapter
from agentic_testgen.languages.javascript._frameworks import (
    Framework,
    FrameworkChoice,
    choose_framework,
)
from agentic_testgen.languages.javascript._node_tools import (
    install_node_tools,
    node_tools_home,
    require_node_tools,
)

__all__ = [
    "Framework",
    "FrameworkChoice",
    "JavaScriptAdapter",
    "choose_framework",
    "install_node_tools",
    "node_tools_home",
    "require_node_tools",
]
