"""Reports: console and JSON renderings of evaluation results."""

from agentic_testgen.reports._console import render
from agentic_testgen.reports._json import result_json, result_schema, write_json

__all__ = ["render", "result_json", "result_schema", "write_json"]
