"""Structured logs: JSON lines with trace and span ids, or rich console lines on a terminal.

Every message and string field goes through the guardrails' scrubbers first, so a secret or an
email address in a prompt, a path or an error never reaches a log file. Set by environment so
worker processes log the same way as the command that spawned them:

- `ATG_LOG_LEVEL`: DEBUG, INFO, WARNING (default), ERROR.
- `ATG_LOG_FORMAT`: `auto` (default: console on a terminal, JSON otherwise), `json`, `console`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from opentelemetry import trace

from agentic_testgen.guardrails import scrub

LOGGER = "agentic_testgen"
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_HANDLER_MARK = "_atg_handler"


def get_logger(name: str) -> logging.Logger:
    """A logger under the package's logger (`agentic_testgen.<name>`)."""
    return logging.getLogger(f"{LOGGER}.{name}")


class ScrubFilter(logging.Filter):
    """Scrubs the message and every string field; adds the current trace and span ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, scrub(value))
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = f"{context.trace_id:032x}"
            record.span_id = f"{context.span_id:016x}"
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, trace ids, then the extras."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD:
                document[key] = value
        if record.exc_info:
            document["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(document, default=str)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (test runners and daemons replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(stream: TextIO | None = None) -> logging.Handler:
    """(Re)configure the package logger from `ATG_LOG_LEVEL`, `ATG_LOG_FORMAT` and
    `ATG_LOG_FILE`; logs go to `stream`, else as JSON lines appended to `ATG_LOG_FILE` (so
    nothing else, such as a progress bar, is mixed in; worker processes append to it too),
    else to the standard error of the moment."""
    level = os.environ.get("ATG_LOG_LEVEL", "WARNING").upper()
    if level not in logging.getLevelNamesMapping():
        raise ValueError(f"ATG_LOG_LEVEL={level!r}: use DEBUG, INFO, WARNING or ERROR")
    chosen = os.environ.get("ATG_LOG_FORMAT", "auto").lower()
    if chosen not in ("auto", "json", "console"):
        raise ValueError(f"ATG_LOG_FORMAT={chosen!r}: use auto, json or console")
    log_file = os.environ.get("ATG_LOG_FILE") if stream is None else None
    console = not log_file and (
        chosen == "console" or (chosen == "auto" and (stream or sys.stderr).isatty())
    )
    handler: logging.Handler
    if log_file:
        try:
            handler = logging.FileHandler(log_file, mode="a", encoding="utf-8")
        except OSError as error:
            raise ValueError(f"ATG_LOG_FILE={log_file!r}: {error.strerror}") from None
        handler.setFormatter(JSONFormatter())
    elif console:
        from rich.console import Console  # noqa: PLC0415 - only on a terminal
        from rich.logging import RichHandler  # noqa: PLC0415

        target = Console(file=stream) if stream else Console(stderr=True)
        handler = RichHandler(console=target, show_path=False, rich_tracebacks=False)
    else:
        handler = logging.StreamHandler(stream) if stream else _StderrHandler()
        handler.setFormatter(JSONFormatter())
    handler.addFilter(ScrubFilter())
    setattr(handler, _HANDLER_MARK, True)
    logger = logging.getLogger(LOGGER)
    for old in [h for h in logger.handlers if getattr(h, _HANDLER_MARK, False)]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return handler


def ensure_logging() -> None:
    """Configure logging unless this process already did (worker processes call it)."""
    if not any(getattr(h, _HANDLER_MARK, False) for h in logging.getLogger(LOGGER).handlers):
        configure_logging()
