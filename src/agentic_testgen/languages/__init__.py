"""Language adapters: how tests of each language are run, measured and contained."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.domain import Language
from agentic_testgen.errors import UnknownLanguageError
from agentic_testgen.languages._protocol import LanguageAdapter, RunOptions
from agentic_testgen.languages.java import JavaAdapter
from agentic_testgen.languages.javascript import JavaScriptAdapter
from agentic_testgen.languages.python import PythonAdapter

_ADAPTERS: dict[Language, LanguageAdapter] = {
    Language.PYTHON: PythonAdapter(),
    Language.JAVASCRIPT: JavaScriptAdapter(),
    Language.JAVA: JavaAdapter(),
}
_EXTENSIONS = {
    ".py": Language.PYTHON,
    ".js": Language.JAVASCRIPT,
    ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT,
    ".java": Language.JAVA,
}


def get_adapter(language: Language | str) -> LanguageAdapter:
    """The adapter registered for `language`."""
    try:
        return _ADAPTERS[Language(language)]
    except (KeyError, ValueError):
        known = ", ".join(sorted(_ADAPTERS))
        raise UnknownLanguageError(
            f"unknown language {language!r}: choose one of {known}"
        ) from None


def language_for_path(path: Path) -> Language:
    """The language a source file is written in, from its extension."""
    try:
        return _EXTENSIONS[path.suffix]
    except KeyError:
        raise UnknownLanguageError(
            f"{path}: cannot tell the language from {path.suffix or 'no extension'!r}; "
            "pass --language"
        ) from None


__all__ = [
    "LanguageAdapter",
    "PythonAdapter",
    "RunOptions",
    "UnknownLanguageError",
    "get_adapter",
    "language_for_path",
]
