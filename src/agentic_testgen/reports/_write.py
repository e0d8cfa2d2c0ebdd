"""Write a suite's reports in the chosen formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from agentic_testgen.reports._html import render_html
from agentic_testgen.reports._junit import render_junit
from agentic_testgen.reports._markdown import render_markdown
from agentic_testgen.reports._suite import SuiteReport, build_suite_report
from agentic_testgen.reports._suite_json import render_json
from agentic_testgen.storage import ResultStore

RENDERERS: dict[str, tuple[str, Callable[[SuiteReport], str]]] = {
    "json": (".json", render_json),
    "md": (".md", render_markdown),
    "html": (".html", render_html),
    "junit": (".xml", render_junit),
}


def parse_formats(text: str) -> list[str]:
    """`html,md` -> ['html', 'md']; raises ValueError naming an unknown format."""
    formats = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in formats if name not in RENDERERS]
    if unknown or not formats:
        raise ValueError(
            f"unknown report format {unknown[0] if unknown else text!r}: "
            f"choose from {', '.join(RENDERERS)}"
        )
    return formats


def write_suite_reports(
    store: ResultStore, suite_id: str, directory: Path, formats: Sequence[str]
) -> list[Path]:
    """Render the suite once per format into `directory/<suite id>.<ext>`."""
    report = build_suite_report(store, suite_id)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        suffix, render = RENDERERS[name]
        path = directory / f"{suite_id}{suffix}"
        path.write_text(render(report), encoding="utf-8")
        written.append(path)
    return written
