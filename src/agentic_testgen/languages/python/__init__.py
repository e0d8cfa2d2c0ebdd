"""Python: pytest under coverage.py, with per-test contexts and forked reruns."""

from agentic_testgen.languages.python._adapter import PythonAdapter, guess_module_name
from agentic_testgen.languages.python._source import source_unit_from_path

__all__ = ["PythonAdapter", "guess_module_name", "source_unit_from_path"]
