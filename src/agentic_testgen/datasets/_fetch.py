"""Bring a project into an import: copy a checkout, or download and unpack a package's sdist."""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

from agentic_testgen.errors import DatasetImportError
from agentic_testgen.projects import is_secret, is_skipped_directory

# NAME==VERSION, names as PyPI spells them (PEP 508 names, PEP 440-ish versions)
PYPI_SPEC = re.compile(
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==([A-Za-z0-9][A-Za-z0-9.+!_-]*)$"
)
PIP_TIMEOUT_S = 600.0
_ARCHIVES = (".tar.gz", ".tgz", ".tar.bz2", ".zip")


def parse_pypi_spec(spec: str) -> tuple[str, str]:
    """(name, version) of `NAME==VERSION`.

    Raises:
        DatasetImportError: the spec is not `NAME==VERSION`.
    """
    matched = PYPI_SPEC.match(spec.strip())
    if matched is None:
        raise DatasetImportError(
            f"--pypi {spec!r}: give a package and its exact version, NAME==VERSION "
            "(e.g. inflection==0.5.1)"
        )
    return matched.group(1), matched.group(2)


def pip_reason(stderr: str, stdout: str = "") -> str:
    """pip's own reason for failing, one line: its first `ERROR:` line, else its last line."""
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors[0] if errors else (lines[-1] if lines else "no output")).removeprefix("ERROR: ")


def download_sdist(python: Path, name: str, version: str, folder: Path) -> Path:
    """Download the source distribution of `name==version` from the package index with pip.

    Raises:
        DatasetImportError: pip cannot find it (or it has no sdist), or cannot reach the index.
    """
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        str(python), "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "--quiet", "--dest", str(folder), f"{name}=={version}",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        reason = f"pip download failed: {error}"
        raise DatasetImportError(f"--pypi {name}=={version}: {reason}") from None
    if done.returncode != 0:
        reason = pip_reason(done.stderr, done.stdout)
        raise DatasetImportError(f"--pypi {name}=={version}: pip download failed: {reason}")
    archives = [path for path in folder.iterdir() if path.name.endswith(_ARCHIVES)]
    if len(archives) != 1:
        raise DatasetImportError(
            f"--pypi {name}=={version}: pip downloaded no source distribution (found "
            f"{', '.join(p.name for p in folder.iterdir()) or 'nothing'})"
        )
    return archives[0]


def unpack_sdist(archive: Path, target: Path) -> None:
    """Unpack an sdist into `target`, without its top folder (`name-version/`).

    Raises:
        DatasetImportError: the archive is damaged or holds a path that leads out of it.
    """
    scratch = target.with_name(target.name + ".unpacked")
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as opened:
                for member in opened.namelist():
                    if Path(member).is_absolute() or ".." in Path(member).parts:
                        raise DatasetImportError(f"{archive.name}: unsafe path {member!r}")
                opened.extractall(scratch)
        else:
            with tarfile.open(archive) as opened:
                opened.extractall(scratch, filter="data")
    except (tarfile.TarError, zipfile.BadZipFile, OSError) as error:
        raise DatasetImportError(f"{archive.name}: cannot unpack: {error}") from None
    tops = list(scratch.iterdir())
    top = tops[0] if len(tops) == 1 and tops[0].is_dir() else scratch
    shutil.move(str(top), str(target))
    shutil.rmtree(scratch, ignore_errors=True)


def copy_checkout(source: Path, target: Path, *, leave_out: Path | None = None) -> None:
    """Copy a checkout without what never belongs in a dataset: version control, environments,
    caches, bytecode, secret files (`agentic_testgen.projects.SECRET_FILE_PATTERNS`), links
    that lead out of the checkout, and `leave_out` (the datasets folder, when it is inside)."""
    root = source.resolve()
    left_out = leave_out.resolve() if leave_out is not None else None

    def ignored(folder: str, names: list[str]) -> set[str]:
        base = Path(folder)
        return {
            name
            for name in names
            if name.endswith((".pyc", ".pyo"))
            or is_secret(base / name)
            or ((base / name).is_dir() and is_skipped_directory(base / name))
            or ((base / name).is_symlink() and not (base / name).resolve().is_relative_to(root))
            or (base / name).resolve() == left_out
        }

    shutil.copytree(source, target, ignore=ignored, symlinks=False)
