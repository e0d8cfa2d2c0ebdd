"""Java: JUnit 5 under JaCoCo in one sandboxed JVM, with per-test coverage and in-JVM reruns."""

from agentic_testgen.languages.java._adapter import JavaAdapter
from agentic_testgen.languages.java._maven import maven_root, prepare_project
from agentic_testgen.languages.java._source import source_unit_from_path
from agentic_testgen.languages.java._tools import (
    JavaTools,
    install_java_tools,
    java_tools,
    java_tools_home,
)

__all__ = [
    "JavaAdapter",
    "JavaTools",
    "install_java_tools",
    "java_tools",
    "java_tools_home",
    "maven_root",
    "prepare_project",
    "source_unit_from_path",
]
