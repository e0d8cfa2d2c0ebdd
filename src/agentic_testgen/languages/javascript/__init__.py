"""JavaScript: node:test under V8 coverage, with c8's own figures and per-test coverage windows."""

from agentic_testgen.languages.javascript._adapter import JavaScriptAdapter
from agentic_testgen.languages.javascript._node_tools import (
    install_node_tools,
    node_tools_home,
    require_node_tools,
)

__all__ = ["JavaScriptAdapter", "install_node_tools", "node_tools_home", "require_node_tools"]
