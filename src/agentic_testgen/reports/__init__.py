"""Reports: console, JSON, Markdown, HTML and JUnit renderings of results and suites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports

if TYPE_CHECKING:
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

# Imported on first use: one result's console table (`atg eval file`) needs neither the HTML
# templates nor a suite's reports, which read storage.
_LAZY = {
    "RENDERERS": "agentic_testgen.reports._write",
    "SuiteReport": "agentic_testgen.reports._suite",
    "annotate_source": "agentic_testgen.reports._entry_html",
    "build_suite_report": "agentic_testgen.reports._suite",
    "entry_file_name": "agentic_testgen.reports._html",
    "entry_href": "agentic_testgen.reports._html",
    "format_ci": "agentic_testgen.reports._suite",
    "mutation_testing_report": "agentic_testgen.reports._mutation_report",
    "parse_formats": "agentic_testgen.reports._write",
    "render": "agentic_testgen.reports._console",
    "render_compare_html": "agentic_testgen.reports._compare_html",
    "render_entry_html": "agentic_testgen.reports._entry_html",
    "render_html": "agentic_testgen.reports._html",
    "render_json": "agentic_testgen.reports._suite_json",
    "render_junit": "agentic_testgen.reports._junit",
    "render_markdown": "agentic_testgen.reports._markdown",
    "render_suite": "agentic_testgen.reports._console",
    "result_json": "agentic_testgen.reports._json",
    "result_schema": "agentic_testgen.reports._json",
    "score_terms": "agentic_testgen.reports._entry_html",
    "suite_json": "agentic_testgen.reports._suite_json",
    "write_entry_pages": "agentic_testgen.reports._write",
    "write_json": "agentic_testgen.reports._json",
    "write_suite_reports": "agentic_testgen.reports._write",
}


__getattr__ = lazy_exports(__name__, _LAZY)


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
