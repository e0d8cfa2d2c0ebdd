"""Reports: console, JSON, Markdown, HTML and JUnit renderings of results and suites."""

from agentic_testgen.reports._compare_html import render_compare_html
from agentic_testgen.reports._console import render, render_suite
from agentic_testgen.reports._entry_html import annotate_source, render_entry_html, score_terms
from agentic_testgen.reports._html import entry_file_name, entry_href, render_html
from agentic_testgen.reports._json import result_json, result_schema, write_json
from agentic_testgen.reports._junit import render_junit
from agentic_testgen.reports._markdown import render_markdown
from agentic_testgen.reports._mutation_report import mutation_testing_report
from agentic_testgen.reports._suite import SuiteReport, build_suite_report, format_ci
from agentic_testgen.reports._suite_json import render_json, suite_json
from agentic_testgen.reports._write import (
    RENDERERS,
    parse_formats,
    write_entry_pages,
    write_suite_reports,
)

__all__ = [
    "RENDERERS",
    "SuiteReport",
    "annotate_source",
    "build_suite_report",
    "entry_file_name",
    "entry_href",
    "format_ci",
    "mutation_testing_report",
    "parse_formats",
    "render",
    "render_compare_html",
    "render_entry_html",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_suite",
    "result_json",
    "result_schema",
    "score_terms",
    "suite_json",
    "write_entry_pages",
    "write_json",
    "write_suite_reports",
]
