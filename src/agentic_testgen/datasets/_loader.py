"""Read dataset files (YAML or JSONL); every error names the file, the line and the field."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from agentic_testgen.datasets._model import (
    MODULE_NAME,
    BuggyVariant,
    Dataset,
    DatasetEntry,
    EntrySpec,
)
from agentic_testgen.domain import GeneratedTests, SourceUnit
from agentic_testgen.errors import DatasetError
from agentic_testgen.projects import ProjectError, find_project

BUILTIN_DIR = Path(__file__).with_name("builtin")
SUFFIXES = (".yaml", ".yml", ".jsonl")


@dataclass(frozen=True)
class _Located:
    """An entry's raw fields with the line of the entry and of each of its fields."""

    fields: Any
    line: int
    field_lines: dict[str, int]


def builtin_names() -> list[str]:
    return sorted(path.stem for path in BUILTIN_DIR.iterdir() if path.suffix in SUFFIXES)


def find_dataset(name_or_path: str, workspace: Path | None = None) -> Path:
    """A dataset file: an existing path, else `<workspace>/datasets/NAME.*`, else built in."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    folders = ([workspace / "datasets"] if workspace else []) + [BUILTIN_DIR]
    for folder in folders:
        for suffix in SUFFIXES:
            candidate = folder / f"{name_or_path}{suffix}"
            if candidate.is_file():
                return candidate
    where = f"not in {workspace / 'datasets'}, " if workspace else ""
    raise DatasetError(
        f"unknown dataset {name_or_path!r}: not a file, {where}not built in "
        f"(built-in: {', '.join(builtin_names())})"
    )


def _yaml_entries(path: Path, text: str) -> tuple[dict[str, Any], list[_Located]]:
    try:
        document = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise DatasetError(f"{path}:{line}: not valid YAML: {problem}") from None
    if not isinstance(document, dict) or not isinstance(root, yaml.MappingNode):
        raise DatasetError(f"{path}:1: expected a mapping with 'entries'")
    entries_node = next((value for key, value in root.value if key.value == "entries"), None)
    if not isinstance(entries_node, yaml.SequenceNode) or not isinstance(
        document.get("entries"), list
    ):
        raise DatasetError(f"{path}:1: entries: expected a list of entries")
    located = []
    for raw, node in zip(document["entries"], entries_node.value, strict=True):
        field_lines = (
            {key.value: key.start_mark.line + 1 for key, _ in node.value}
            if isinstance(node, yaml.MappingNode)
            else {}
        )
        located.append(_Located(raw, node.start_mark.line + 1, field_lines))
    header = {key: value for key, value in document.items() if key != "entries"}
    return header, located


def _jsonl_entries(path: Path, text: str) -> tuple[dict[str, Any], list[_Located]]:
    located = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{path}:{number}: not valid JSON: {error.msg}") from None
        located.append(_Located(raw, number, {}))
    return {"name": path.stem}, located


def confinement(base: Path) -> Path:
    """The folder a dataset's paths must stay in: the git repository holding the dataset (a
    dataset in `evals/` may name the project's `src/`), else the dataset's own folder."""
    base = base.resolve()
    for folder in (base, *base.parents):
        if (folder / ".git").exists():
            return folder
    return base


def _read_text(base: Path, relative: str, where: str) -> tuple[Path, str]:
    path = (base / relative).resolve()  # links followed: where the file really is
    root = confinement(base)
    if not path.is_relative_to(root):
        raise DatasetError(
            f"{where}: {relative!r} is outside {root} (the dataset's folder or repository)"
        )
    try:
        return path, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(f"{where}: no such file {relative!r}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{where}: cannot read {relative!r}: {error}") from None


def stdlib_source(name: str) -> Path:
    """The file of a pure-Python standard library module."""
    spec = importlib.util.find_spec(name)
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    origin = Path(spec.origin).resolve() if spec and spec.origin else None
    if origin is None or origin.suffix != ".py" or stdlib not in origin.parents:
        raise ValueError(f"{name!r} is not a pure-Python module of the standard library")
    if spec is not None and spec.submodule_search_locations is not None:
        raise ValueError(f"{name!r} is a package; name one of its modules")
    return origin


def _project_dir(base: Path, relative: str, where: str) -> Path:
    path = (base / relative).resolve()
    root = confinement(base)
    if not path.is_relative_to(root):
        raise DatasetError(
            f"{where}: {relative!r} is outside {root} (the dataset's folder or repository)"
        )
    if not path.is_dir():
        raise DatasetError(f"{where}: no such folder {relative!r}")
    return path


def _environment(base: Path, relative: str, where: str) -> Path:
    """A virtual environment the dataset names (its folder, or its `bin/python`), which must
    lie in the dataset's folder or repository: atg runs its interpreter."""
    given = Path(os.path.normpath(base.absolute() / relative))
    environment = given.parent.parent if given.name.startswith("python") else given
    root = confinement(base)
    if not environment.resolve().is_relative_to(root):
        raise DatasetError(
            f"{where}: {relative!r} is outside {root} (the dataset's folder or repository)"
        )
    if not (environment / "pyvenv.cfg").is_file() or not (environment / "bin" / "python").exists():
        raise DatasetError(
            f"{where}: {relative!r} is not a virtual environment (no pyvenv.cfg and bin/python); "
            "import the project again with `atg dataset import`"
        )
    return environment


def _project_source(spec: EntrySpec, base: Path, where: str) -> SourceUnit:
    """A module of a real project: named as the project imports it, run inside the project."""
    root = _project_dir(base, spec.project or "", f"{where}: project")
    python = _environment(base, spec.python, f"{where}: python") if spec.python else None
    source_path, code = _read_text(base, spec.source or "", f"{where}: source")
    try:
        project = find_project(root, python=python)
    except ProjectError as error:
        raise DatasetError(f"{where}: project: {error}") from None
    if project.root != root:
        raise DatasetError(
            f"{where}: project: {spec.project!r} is not a project root (no pyproject.toml, "
            f"setup.cfg or setup.py there; the root found is {project.root})"
        )
    try:
        parts = project.module_parts(source_path)
    except ProjectError as error:
        raise DatasetError(f"{where}: source: {error}") from None
    return SourceUnit(
        path=spec.source or "",
        code=code,
        module_name=parts[-1],
        package=parts[:-1],
        language=spec.language,
        project_root=str(root),
        python=str(python) if python else None,
    )


def _resolve(spec: EntrySpec, base: Path, where: str) -> DatasetEntry:
    if spec.project is not None:
        source = _project_source(spec, base, where)
        module_name = source.module_name
    elif spec.source:
        source_path, code = _read_text(base, spec.source, f"{where}: source")
        module_name = spec.module_name or source_path.stem
        if not MODULE_NAME.match(module_name):
            raise DatasetError(
                f"{where}: source: {source_path.name!r} is not importable by its name; "
                "give module_name"
            )
        display = spec.source
    elif spec.stdlib_module:
        try:
            source_path = stdlib_source(spec.stdlib_module)
        except ValueError as error:
            raise DatasetError(f"{where}: stdlib_module: {error}") from None
        code = source_path.read_text(encoding="utf-8")
        module_name = spec.module_name or spec.stdlib_module.rsplit(".", 1)[-1]
        display = f"<stdlib>/{source_path.name}"
    else:
        code, module_name, display = spec.source_code or "", spec.module_name or "", "<inline>"
    if spec.project is None:
        source = SourceUnit(
            path=display, code=code, module_name=module_name, language=spec.language
        )
    tests = None
    if spec.reference_tests:
        tests_path, tests_code = _read_text(base, spec.reference_tests, f"{where}: reference_tests")
        tests = GeneratedTests(
            code=tests_code,
            filename=tests_path.name,
            # a project's test file keeps its place in the project (tests/pkg/test_x.py)
            path=str(tests_path) if spec.project is not None else spec.reference_tests,
            framework=spec.framework,
        )
    elif spec.reference_tests_code:
        tests = GeneratedTests(
            code=spec.reference_tests_code,
            filename=f"test_{module_name}.py",
            framework=spec.framework,
        )
    bugs = []
    for index, bug in enumerate(spec.buggy_variants):
        bug_code = bug.source_code or ""
        if bug.source is not None:
            _, bug_code = _read_text(base, bug.source, f"{where}: buggy_variants[{index}]")
        bugs.append(BuggyVariant(id=bug.id, code=bug_code, description=bug.description))
    return DatasetEntry(
        id=spec.id,
        source=source,
        reference_tests=tests,
        difficulty=spec.difficulty,
        category=spec.category,
        tags=spec.tags,
        buggy_variants=tuple(bugs),
    )


def content_hash(entries: tuple[DatasetEntry, ...]) -> str:
    """sha256 over what each entry is (ids, code, tests, labels), not where its files live."""
    canonical = [
        {
            "id": entry.id,
            "language": entry.source.language.value,
            "module_name": entry.source.module_name,
            "source": entry.source.code,
            "tests": entry.reference_tests.code if entry.reference_tests else None,
            "labels": [entry.difficulty, entry.category, list(entry.tags)],
            # only where there are some: the hashes of datasets without bugs stay as they were
            **({"bugs": [[b.id, b.code] for b in entry.buggy_variants]}
               if entry.buggy_variants else {}),
        }
        for entry in entries
    ]  # fmt: skip
    payload = json.dumps(canonical, sort_keys=True).encode()
    return "sha256:" + hashlib.sha256(payload).hexdigest()


def load_dataset(name_or_path: str, workspace: Path | None = None) -> Dataset:
    """Load a dataset by path or name (see `find_dataset`).

    Raises:
        DatasetError: the file cannot be found, parsed or validated, or names a missing file.
    """
    path = find_dataset(name_or_path, workspace)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path}: cannot read dataset: {error}") from None
    header, located = (
        _jsonl_entries(path, text) if path.suffix == ".jsonl" else _yaml_entries(path, text)
    )
    entries: list[DatasetEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(located):
        where = f"{path}:{item.line}: entries[{index}]"
        if not isinstance(item.fields, dict):
            raise DatasetError(f"{where}: expected a mapping of fields")
        try:
            spec = EntrySpec.model_validate(item.fields)
        except ValidationError as error:
            first = error.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            line = item.field_lines.get(field, item.line)
            place = f"{path}:{line}: entries[{index}]" + (f".{field}" if field else "")
            raise DatasetError(f"{place}: {first['msg'].removeprefix('Value error, ')}") from None
        if spec.id in seen:
            raise DatasetError(f"{where}.id: duplicate id {spec.id!r}")
        seen.add(spec.id)
        entries.append(_resolve(spec, path.parent, where))
    left_out = header.get("not_runnable", [])
    if not isinstance(left_out, list):
        raise DatasetError(f"{path}:1: not_runnable: expected a list of entries left out")
    if not entries:
        why = (
            f"; {len(left_out)} {'entry is' if len(left_out) == 1 else 'entries are'} listed "
            "under not_runnable, with the reason their tests cannot run"
            if left_out
            else ""
        )
        raise DatasetError(f"{path}:1: the dataset has no entries{why}")
    frozen = tuple(entries)
    return Dataset(
        name=str(header.get("name") or path.stem),
        description=str(header.get("description") or ""),
        path=str(path),
        entries=frozen,
        content_hash=content_hash(frozen),
    )
