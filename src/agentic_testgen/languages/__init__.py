"""Language adapters: how tests of each language are run, measured and contained."""

from __future__ import annotations

import threading
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports
from agentic_testgen.domain import Language
from agentic_testgen.errors import UnknownLanguageError
from agentic_testgen.languages._protocol import LanguageAdapter, RunOptions

if TYPE_CHECKING:
    from agentic_testgen.languages.python import PythonAdapter

# Each adapter is imported when its language is first asked for: evaluating Python tests does
# not load the Java and JavaScript tooling (nor the other way round).
_ADAPTER_CLASSES = {
    Language.PYTHON: ("agentic_testgen.languages.python", "PythonAdapter"),
    Language.JAVASCRIPT: ("agentic_testgen.languages.javascript", "JavaScriptAdapter"),
    Language.JAVA: ("agentic_testgen.languages.java", "JavaAdapter"),
}
_ADAPTERS: dict[Language, LanguageAdapter] = {}
_ADAPTERS_LOCK = threading.RLock()
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
        chosen = Language(language)
        module, name = _ADAPTER_CLASSES[chosen]
    except (KeyError, ValueError):
        known = ", ".join(sorted(_ADAPTER_CLASSES))
        raise UnknownLanguageError(
            f"unknown language {language!r}: choose one of {known}"
        ) from None
    with _ADAPTERS_LOCK:
        if chosen not in _ADAPTERS:
            _ADAPTERS[chosen] = getattr(import_module(module), name)()
        return _ADAPTERS[chosen]


def language_for_path(path: Path) -> Language:
    """The language a source file is written in, from its extension."""
    try:
        return _EXTENSIONS[path.suffix]
    except KeyError:
        raise UnknownLanguageError(
            f"{path}: cannot tell the language from {path.suffix or 'no extension'!r}; "
            "pass --language"
        ) from None


__getattr__ = lazy_exports(__name__, {"PythonAdapter": "agentic_testgen.languages.python"})


__all__ = [
    "LanguageAdapter",
    "PythonAdapter",
    "RunOptions",
    "UnknownLanguageError",
    "get_adapter",
    "language_for_path",
]
