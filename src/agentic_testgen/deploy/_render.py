"""Rendering the ops stack: the target checked, every part's files collected and written."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

from agentic_testgen.deploy._target import DeployTarget

# the parts, in the order their files are collected; Grafana's is optional (`_grafana`)
PARTS = ("_prometheus", "_promtool_tests", "_alertmanager", "_compose", "_grafana")
OPTIONAL_PARTS = frozenset({"_grafana"})
# Prometheus' duration syntax, units from the largest down, each at most once
_DURATION = re.compile(r"(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?")


class DeployError(ValueError):
    """A target the stack cannot be rendered for; the message names the value and the fix."""


def check(target: DeployTarget) -> None:
    """Raise DeployError unless every address is host:port and the interval a duration."""
    for name, address, example in (
        ("exporter", target.exporter, "atg-exporter:9464"),
        ("prometheus", target.prometheus, "prometheus:9090"),
        ("alertmanager", target.alertmanager, "alertmanager:9093"),
    ):
        host, colon, port = address.rpartition(":")
        if not (colon and host and port.isdigit() and 0 < int(port) < 65536):
            raise DeployError(f"{name} address {address!r} is not host:port (e.g. {example})")
    interval = target.scrape_interval
    if not (interval and _DURATION.fullmatch(interval) and re.search(r"[1-9]", interval)):
        raise DeployError(
            f"scrape interval {interval!r} is not a Prometheus duration such as 15s, 1m or 1m30s"
        )


def parts() -> list[str]:
    """The parts present: an optional one only when its module is installed."""
    return [
        part
        for part in PARTS
        if part not in OPTIONAL_PARTS
        or importlib.util.find_spec(f"agentic_testgen.deploy.{part}") is not None
    ]


def rendered_files(target: DeployTarget) -> dict[str, str]:
    """Relative path -> text of every file of the stack, for `target`.

    Raises:
        DeployError: `target` has a malformed address or interval.
    """
    check(target)
    found: dict[str, str] = {}
    for part in parts():
        module = importlib.import_module(f"agentic_testgen.deploy.{part}")
        files: Callable[[DeployTarget], dict[str, str]] = module.files
        found.update(files(target))
    return found


def render(target: DeployTarget, out_dir: Path) -> list[Path]:
    """Write the stack for `target` under `out_dir`; return the paths written, sorted.

    Raises:
        DeployError: `target` has a malformed address or interval.
        OSError: `out_dir` cannot be written.
    """
    written = []
    for relative, text in sorted(rendered_files(target).items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
