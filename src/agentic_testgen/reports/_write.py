"""Write a suite's reports in the chosen formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from agentic_testgen.reports._entry_html import render_entry_html
from agentic_testgen.reports._html import entry_href, render_html
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


def write_entry_pages(report: SuiteReport, directory: Path) -> list[Path]:
    """One page per evaluated entry in `directory/<suite id>/`, as the suite page links them.

    The module's text comes from the result's metadata (`module_code`); results stored before
    it was kept get a page that says the source is not stored.
    """
    suite = report.suite
    context = [("suite", suite.id), ("dataset", suite.dataset or "—"),
               ("generator", suite.generator or "—")]  # fmt: skip
    written = []
    for stored in report.results:
        if stored.result is None:
            continue  # a failed evaluation has no page; the suite page shows its error
        entry_id = stored.entry_id or stored.eval_name
        path = directory / entry_href(suite.id, entry_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        code = stored.metadata.get("module_code")
        page = render_entry_html(
            stored.result,
            title=entry_id,
            module_code=code if isinstance(code, str) else None,
            back_link=f"../{suite.id}.html",
            context=context,
        )
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written


def write_suite_reports(
    store: ResultStore, suite_id: str, directory: Path, formats: Sequence[str]
) -> list[Path]:
    """Render the suite once per format into `directory/<suite id>.<ext>`.

    With `html`, each entry's page is written too, under `directory/<suite id>/`; only the
    suite page is in the returned list (a suite of 200 entries would list 200 pages).
    """
    report = build_suite_report(store, suite_id)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        suffix, render = RENDERERS[name]
        path = directory / f"{suite_id}{suffix}"
        path.write_text(render(report), encoding="utf-8")
        written.append(path)
        if name == "html":
            write_entry_pages(report, directory)
    return written
