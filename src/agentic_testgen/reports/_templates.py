"""The Jinja2 environment of the HTML reports: package templates, autoescaped, strict."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def _number(value: float | None, digits: int = 3, missing: str = "—") -> str:
    return missing if value is None else f"{value:.{digits}f}"


@cache
def environment() -> Environment:
    """One environment per process; autoescape is on for every template, whatever its name."""
    env = Environment(
        loader=PackageLoader("agentic_testgen.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt field fails the render instead of printing ''
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = _number
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
