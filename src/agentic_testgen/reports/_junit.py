"""Suite report as JUnit XML: one testcase per entry, failing below the entry's pass line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from agentic_testgen.reports._suite import SuiteReport


def render_junit(report: SuiteReport) -> str:
    suite = report.suite
    results = report.results
    failures = sum(1 for r in results if r.status == "completed" and not r.passed)
    errors = sum(1 for r in results if r.status != "completed")
    root = ET.Element("testsuites")
    element = ET.SubElement(
        root,
        "testsuite",
        name=f"{suite.name}:{suite.dataset}",
        tests=str(len(results)),
        failures=str(failures),
        errors=str(errors),
        time=f"{suite.duration_seconds or 0:.3f}",
        timestamp=suite.started_at.isoformat(),
    )
    properties = ET.SubElement(element, "properties")
    for name, value in (("suite_id", suite.id), ("dataset_hash", suite.dataset_hash or ""),
                        ("overall_score", f"{suite.overall_score or 0:.4f}")):  # fmt: skip
        ET.SubElement(properties, "property", name=name, value=value)
    for result in results:
        case = ET.SubElement(
            element,
            "testcase",
            classname=f"{suite.name}.{suite.dataset}",
            name=result.entry_id or result.eval_name,
            time=f"{result.duration_seconds or 0:.3f}",
        )
        if result.status != "completed":
            error = ET.SubElement(case, "error", message="evaluation failed")
            error.text = "\n".join(result.errors)
        elif not result.passed and result.result is not None:
            below = [
                f"{name} {metric.value:.3f} < {metric.threshold:.2f}"
                for name, metric in result.result.metrics.items()
                if not metric.passed
            ]
            failure = ET.SubElement(
                case,
                "failure",
                message=f"score {result.score:.3f} below pass line {result.result.pass_line:.2f}",
            )
            failure.text = "\n".join(below)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
