"""Scan files and folders with every guardrail: what `atg guard scan` and its hook report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from fnmatch import fnmatch
from pathlib import Path

from agentic_testgen.guardrails._protocol import NAMES, Guardrail
from agentic_testgen.guardrails._registry import guardrails
from agentic_testgen.projects._secrets import is_skipped_directory

MAX_BYTES = 2_000_000  # bigger files are data or generated code: said, not scanned


@dataclass(frozen=True)
class ScanFinding:
    path: str
    line: int
    kind: str
    category: str
    severity: str
    detail: str = ""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[ScanFinding, ...]
    files: int
    skipped: tuple[str, ...]  # files not read, each with the reason


def is_test_file(path: Path) -> bool:
    """Test code, where the test policy applies (a module may start processes; its tests not)."""
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def files_under(paths: Sequence[Path]) -> Iterator[Path]:
    """The files named, and those under the folders named (hidden folders, caches and virtual
    environments left out), in a stable order."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_dir() and is_skipped_directory(child):
                    continue
                yield from files_under([child])
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def scan(
    paths: Sequence[Path],
    names: Sequence[str] = NAMES,
    on_file: Callable[[Path], None] | None = None,
    exclude: Sequence[str] = (),
) -> ScanResult:
    """Every finding of the guardrails `names` in the files at `paths` (but those whose path
    matches a shell pattern of `exclude`)."""
    chosen = guardrails(names)
    found: list[ScanFinding] = []
    skipped: list[str] = []
    count = 0
    for path in files_under(paths):
        if any(fnmatch(str(path), pattern) for pattern in exclude):
            continue
        if on_file:
            on_file(path)
        text = _read(path, skipped)
        if text is None:
            continue
        count += 1
        found += _scan_text(path, text, chosen)
    return ScanResult(tuple(found), count, tuple(skipped))


def _read(path: Path, skipped: list[str]) -> str | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            skipped.append(f"{path}: larger than {MAX_BYTES // 1_000_000} MB")
            return None
        data = path.read_bytes()
    except OSError as error:
        skipped.append(f"{path}: {error.strerror or error}")
        return None
    if b"\0" in data[:8192]:
        return None  # binary: images, archives, compiled files
    return data.decode("utf-8", errors="replace")


def _scan_text(path: Path, text: str, chosen: list[Guardrail]) -> Iterator[ScanFinding]:
    for guardrail in chosen:
        if guardrail.name == "policy" and not is_test_file(path):
            continue
        for finding in guardrail.find(text, path=str(path)):
            yield ScanFinding(
                str(path), finding.line(text), finding.kind, finding.category,
                finding.severity, finding.detail,
            )  # fmt: skip
