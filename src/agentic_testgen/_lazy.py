"""Names a package exports but imports on first use (PEP 562).

A package's `__init__` then costs nothing to import: `atg --help`, the pytest plugin and each
command pay only for the modules they run. Type checkers see the real names through the
package's `if TYPE_CHECKING:` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `package`: `exports` maps each name to the module it
    is imported from. Each use reads the name from that module, so a test that replaces it
    there is seen through the package too."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(module), name)

    return __getattr__
