"""Reports: console, JSON, Markdown, HTML and JUnit renderings of results and suites."""

from agentic_testgen.reports._console import render, render_suite
from agentic_testgen.reports._html import render_html
from agentic_testgen.reports._json import result_json, result_schema, write_json
from agentic_testgen.reports._junit import render_junit
from agentic_testgen.reports._markdown import render_markdown
from agentic_testgen.reports._suite import SuiteReport, build_suite_report, format_ci
from agentic_testgen.reports._suite_json import render_json, suite_json
from agentic_testgen.reports._write import RENDERERS, parse_formats, write_suite_reports

__all__ = [
    "RENDERERS",
    "SuiteReport",
    "build_suite_report",
    "format_ci",
    "parse_formats",
    "render",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_suite",
    "result_json",
    "result_schema",
    "suite_json",
    "write_json",
    "write_suite_reports",
]
