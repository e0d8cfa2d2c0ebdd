"""Import a real project as a dataset: each module paired with its own tests (`atg dataset import`).

The project comes from a checkout (copied) or a package's sdist on PyPI (downloaded with pip and
unpacked). Its modules are paired with their test files (`_pairing.py`), a virtual environment is
made for it with atg's interpreter and the project installed there with its test dependencies
(`_environment.py`), and every pair's test file is collected once in the sandbox, as a run would
collect it. The dataset file lists the pairs that collect as entries and the others, with pytest's
reason, under `not_runnable`; test files left unpaired are listed with theirs.

Layout written into the output folder `OUT`, all of it at the end (it is built in a hidden folder
beside it and moved into place, so a failed import leaves nothing behind):

    OUT/NAME.yaml           the dataset file (`atg eval run --dataset OUT/NAME.yaml`)
    OUT/NAME/project/       the project's files
    OUT/NAME/venv/          its virtual environment
"""

from __future__ import annotations

import re
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml

from agentic_testgen.datasets._environment import Installed, create_environment, install_project
from agentic_testgen.datasets._fetch import (
    copy_checkout,
    download_sdist,
    parse_pypi_spec,
    unpack_sdist,
)
from agentic_testgen.datasets._pairing import Pair, Pairing, Unpaired, pair_tests
from agentic_testgen.domain import GeneratedTests, SourceUnit
from agentic_testgen.errors import DatasetImportError
from agentic_testgen.projects import ProjectError, find_project

DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-/]")


class ImportSteps(Protocol):
    """Where an import reports its progress (the command shows it as a progress bar)."""

    def begin(self, step: str, total: int = 1) -> None:
        """A step starts: `total` units of work (entries for the collection step)."""

    def advance(self) -> None:
        """One unit of the current step is done."""


class _Silent:
    def begin(self, step: str, total: int = 1) -> None:
        pass

    def advance(self) -> None:
        pass


@dataclass(frozen=True)
class ImportedEntry:
    """One module paired with one of its test files, and whether those tests can run.

    Attributes:
        id: the entry's id in the dataset.
        import_name: the module as the project imports it.
        module: the module's file, relative to the project root.
        tests: the test file, relative to the project root.
        collected: the tests pytest collected from it.
        problem: why they cannot run (pytest's reason, one line); None when they can.
        paired_by: the rule that paired them: the test file's name, or what it imports.
    """

    id: str
    import_name: str
    module: str
    tests: str
    collected: int
    problem: str | None = None
    paired_by: Literal["name", "imports"] = "name"


@dataclass(frozen=True)
class ImportReport:
    """What an import found and wrote."""

    name: str
    manifest: Path
    origin: str
    installed: Installed
    modules: int
    test_files: int
    entries: tuple[ImportedEntry, ...]
    unpaired: tuple[Unpaired, ...] = field(default=())

    @property
    def runnable(self) -> tuple[ImportedEntry, ...]:
        return tuple(entry for entry in self.entries if entry.problem is None)

    @property
    def not_runnable(self) -> tuple[ImportedEntry, ...]:
        return tuple(entry for entry in self.entries if entry.problem is not None)


def import_project(
    *,
    out: Path,
    path: Path | None = None,
    pypi: str | None = None,
    name: str | None = None,
    base_python: Path | None = None,
    sandbox: str = "auto",
    extras: tuple[str, ...] = (),
    force: bool = False,
    steps: ImportSteps | None = None,
) -> ImportReport:
    """Import a checkout (`path`) or a PyPI package (`pypi`, `NAME==VERSION`) into `out`;
    `extras`: extras of the project to install besides its test extras.

    Raises:
        DatasetImportError: bad input (no such folder, no Python project, a spec that does not
            resolve, nothing paired), a failed download or install, or the dataset exists
            already (without `force`). Nothing is written then.
    """
    if (path is None) == (pypi is None):
        raise DatasetImportError("give a checkout's PATH or --pypi NAME==VERSION, one of them")
    spec = parse_pypi_spec(pypi) if pypi is not None else None
    if path is not None and not path.is_dir():
        raise DatasetImportError(f"{path}: no such directory (give a checkout of a project)")
    name = name or (spec[0] if spec else (path or Path()).resolve().name)
    if not DATASET_NAME.match(name):
        raise DatasetImportError(
            f"{name!r} cannot name a dataset: use letters, digits, _ . - (give --name)"
        )
    manifest, folder = out / f"{name}.yaml", out / name
    if not force and (manifest.exists() or folder.exists()):
        raise DatasetImportError(
            f"{manifest} already exists: give --force to replace it, or another --name"
        )
    out.mkdir(parents=True, exist_ok=True)
    stage = out / f".{name}.importing-{secrets.token_hex(4)}"
    stage.mkdir(mode=0o755)
    try:
        report = _import_into(
            stage, name=name, path=path, spec=spec, base_python=base_python or Path(sys.executable),
            sandbox=sandbox, extras=extras, steps=steps or _Silent(),
        )  # fmt: skip
        if force:
            shutil.rmtree(folder, ignore_errors=True)
            manifest.unlink(missing_ok=True)
        (stage / name).rename(folder)
        (stage / manifest.name).rename(manifest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return replace(report, manifest=manifest)


def _import_into(
    stage: Path,
    *,
    name: str,
    path: Path | None,
    spec: tuple[str, str] | None,
    base_python: Path,
    sandbox: str,
    extras: tuple[str, ...],
    steps: ImportSteps,
) -> ImportReport:
    project_dir = stage / name / "project"
    if spec is not None:
        steps.begin("download")
        archive = download_sdist(base_python, *spec, stage / "download")
        steps.begin("unpack")
        unpack_sdist(archive, project_dir)
        target, origin = str(archive), f"pypi:{spec[0]}=={spec[1]}"
    else:
        checkout = (path or Path()).resolve()
        steps.begin("copy")
        copy_checkout(checkout, project_dir, leave_out=stage.parent)
        # pip builds a local project inside it: a throwaway copy keeps the dataset's clean
        shutil.copytree(project_dir, stage / "build")
        target, origin = str(stage / "build"), f"path:{checkout}"
    steps.begin("pairing")
    pairing = _pair(project_dir, origin, base_python)
    steps.begin("venv")
    python = create_environment(base_python, stage / name / "venv")
    steps.begin("install")
    installed = install_project(python, target, project_dir, stage, extras=extras)
    steps.begin("collect", total=len(pairing.pairs))
    entries = _try_each(
        name, project_dir=project_dir, environment=python.parent.parent, pairing=pairing,
        sandbox_name=sandbox, advance=steps.advance,
    )  # fmt: skip
    report = ImportReport(
        name=name,
        manifest=stage / f"{name}.yaml",
        origin=origin,
        installed=installed,
        modules=len(pairing.modules),
        test_files=len(pairing.test_files),
        entries=entries,
        unpaired=pairing.unpaired,
    )
    report.manifest.write_text(manifest_text(report), encoding="utf-8")
    return report


def _pair(project_dir: Path, origin: str, base_python: Path) -> Pairing:
    shown = origin.split(":", 1)[1]
    try:
        project = find_project(project_dir, python=base_python)
    except ProjectError as error:
        raise DatasetImportError(f"{shown}: {error}") from None
    installable = any((project_dir / name).is_file() for name in ("pyproject.toml", "setup.py"))
    if project.root != project_dir.resolve() or not installable:
        raise DatasetImportError(
            f"{shown}: no pyproject.toml or setup.py at its top: not a Python project pip can "
            "install"
        )
    pairing = pair_tests(project)
    if not pairing.modules:
        raise DatasetImportError(f"{shown}: no Python package or module found in the project")
    if not pairing.pairs:
        raise DatasetImportError(
            f"{shown}: no test file paired with a module ({len(pairing.modules)} modules, "
            f"{len(pairing.test_files)} test files named test_*.py or *_test.py)"
        )
    return pairing


def _entry_ids(name: str, pairs: tuple[Pair, ...]) -> list[str]:
    """`NAME/import.name`; a module with several test files gets the test file's path too."""
    counts: dict[str, int] = {}
    for pair in pairs:
        counts[pair.module.import_name] = counts.get(pair.module.import_name, 0) + 1
    ids = []
    for pair in pairs:
        entry_id = f"{name}/{pair.module.import_name}"
        if counts[pair.module.import_name] > 1:
            entry_id += "/" + _ID_UNSAFE.sub("-", pair.tests.with_suffix("").as_posix())
        ids.append(entry_id)
    return ids


def _try_each(
    name: str,
    *,
    project_dir: Path,
    environment: Path,
    pairing: Pairing,
    sandbox_name: str,
    advance: Callable[[], None],
) -> tuple[ImportedEntry, ...]:
    # the evaluation's own machinery, loaded once there is something to collect
    from agentic_testgen.languages import RunOptions  # noqa: PLC0415
    from agentic_testgen.languages.python._trial import collect_tests  # noqa: PLC0415
    from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

    sandbox = get_sandbox(sandbox_name)
    options = RunOptions(reruns=0, mutation=False)
    entries = []
    for entry_id, pair in zip(_entry_ids(name, pairing.pairs), pairing.pairs, strict=True):
        module_file, tests_file = project_dir / pair.module.path, project_dir / pair.tests
        parts = pair.module.import_name.split(".")
        if pair.module.path.name == "__init__.py":
            parts.append("__init__")
        source = SourceUnit(
            path=pair.module.path.as_posix(),
            code=_read(module_file),
            module_name=parts[-1],
            package=tuple(parts[:-1]),
            project_root=str(project_dir.resolve()),
            python=str(environment),
        )
        tests = GeneratedTests(
            code=_read(tests_file), filename=tests_file.name, path=str(tests_file.resolve())
        )
        try:
            trial = collect_tests(source, tests, sandbox, options)
        except ProjectError as error:
            raise DatasetImportError(f"the project's environment: {error}") from None
        entries.append(
            ImportedEntry(
                id=entry_id,
                import_name=pair.module.import_name,
                module=pair.module.path.as_posix(),
                tests=pair.tests.as_posix(),
                collected=trial.collected,
                problem=trial.problem,
                paired_by=pair.rule,
            )
        )
        advance()
    return tuple(entries)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return path.read_text(encoding="utf-8", errors="replace")


def manifest_text(report: ImportReport) -> str:
    """The dataset file: the runnable entries, and what was left out with the reason."""
    name = report.name

    def where(relative: str) -> str:
        return f"{name}/project/{relative}"

    def entry(item: ImportedEntry) -> dict[str, Any]:
        return {
            "id": item.id,
            "source": where(item.module),
            "reference_tests": where(item.tests),
            "project": f"{name}/project",
            "python": f"{name}/venv",
            "category": item.import_name.split(".")[0],
            "tags": ["imported"],
        }

    installed = report.installed
    document: dict[str, Any] = {
        "name": name,
        "description": (
            f"{installed.distribution} ({report.origin}): its modules, each with its own tests"
        ),
        "imported": {
            "from": report.origin,
            "distribution": installed.distribution,
            "extras": list(installed.extras),
            "requirement_files": list(installed.requirement_files),
            "dependency_groups": list(installed.groups),
            "modules": report.modules,
            "test_files": report.test_files,
            "paired": len(report.entries),
            "paired_by_imports": sum(item.paired_by == "imports" for item in report.entries),
            "runnable": len(report.runnable),
            "not_runnable": len(report.not_runnable),
        },
        "entries": [entry(item) for item in report.runnable],
        "not_runnable": [{**entry(item), "reason": item.problem} for item in report.not_runnable],
        "unpaired_tests": [
            {"tests": where(item.tests.as_posix()), "reason": item.reason}
            for item in report.unpaired
        ],
    }
    header = (
        "# written by `atg dataset import`: entries are the modules whose own tests collect;\n"
        "# not_runnable and unpaired_tests say what was left out and why\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
