"""Copy what a project's tests need into a writable sandbox workspace, never a secret file.

The workspace mirrors the project root: the import root's code (all of `src/` in a src layout;
the packages and top-level modules of the root in a flat one), the tests directory, the conftest
files and the pytest configuration, each at its own relative path, so package-relative imports,
conftest fixtures and the pytest configuration work as they do for the user's `pytest`. Files
named in `SECRET_FILE_PATTERNS`, hidden directories, caches and virtual environments are left
out. The module under test and the test file are written from the text given, so a mutant can
take the module's place.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from agentic_testgen.projects._model import Layout, Project
from agentic_testgen.projects._secrets import is_secret, is_skipped_directory

_DEFAULT_INI = "[pytest]\n"


@dataclass(frozen=True)
class ProjectWorkspace:
    """Where things are in a laid-out workspace.

    Attributes:
        root: the workspace's copy of the project root (pytest's rootdir).
        import_root: the copy of the project's import root, the one `sys.path` entry it adds.
        module_file: the module under test.
        tests_file: the test file.
        ini_file: the pytest configuration file (the project's, or an empty pytest.ini).
    """

    root: Path
    import_root: Path
    module_file: Path
    tests_file: Path
    ini_file: Path


def _ignore(directory: str, names: list[str]) -> set[str]:
    base = Path(directory)
    return {
        name
        for name in names
        if name.endswith(".pyc")
        or is_secret(base / name)
        or ((base / name).is_dir() and is_skipped_directory(base / name))
    }


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir() and not is_skipped_directory(source):
        shutil.copytree(source, target, ignore=_ignore, dirs_exist_ok=True, symlinks=False)


def _copy_file(source: Path, target: Path) -> None:
    if source.is_file() and not is_secret(source):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _copy_import_root(project: Project, workspace: Path) -> None:
    if project.layout is Layout.SRC:
        _copy_tree(project.import_root, workspace / "src")
        return
    for entry in project.root.iterdir():
        if entry.is_dir() and (
            (entry / "__init__.py").is_file() or entry.name in project.namespace_packages
        ):
            _copy_tree(entry, workspace / entry.name)
        elif entry.suffix == ".py":
            _copy_file(entry, workspace / entry.name)


def lay_out_for_tool(
    project: Project, workspace: Path, *, module_parts: tuple[str, ...], module_code: str
) -> Path:
    """Mirror the project's own code (no tests, no secret files) into `workspace` with the
    module's text at its place, for a generator to import it as the project does; returns the
    import root in the workspace."""
    _copy_import_root(project, workspace)
    import_root = workspace / "src" if project.layout is Layout.SRC else workspace
    module_file = import_root.joinpath(*module_parts).with_suffix(".py")
    module_file.parent.mkdir(parents=True, exist_ok=True)
    module_file.write_text(module_code, encoding="utf-8")
    return import_root


def lay_out_workspace(
    project: Project,
    workspace: Path,
    *,
    module_parts: tuple[str, ...],
    module_code: str,
    tests_name: str,
    tests_code: str,
    tests_path: Path | None = None,
) -> ProjectWorkspace:
    """Mirror the project into `workspace` and write the module and test file into it.

    Args:
        project: the project.
        workspace: an empty, writable directory.
        module_parts: the module's dotted path below the import root (`Project.module_parts`).
        module_code: the module's text (the original, or the mutation schemata).
        tests_name: the test file's name.
        tests_code: the test file's text.
        tests_path: where the test file lives, when it is a file of the project: it keeps its
            place; otherwise it goes into the tests directory (`tests/` when there is none).
    """
    root = project.root
    _copy_import_root(project, workspace)
    if project.tests_dir is not None:
        _copy_tree(project.tests_dir, workspace / project.tests_dir.relative_to(root))
    resolved = tests_path.resolve() if tests_path is not None else None
    if resolved is not None and _inside(resolved, root):
        tests_file = workspace / resolved.relative_to(root)
    else:
        tests_dir = project.tests_dir.relative_to(root) if project.tests_dir else Path("tests")
        tests_file = workspace / tests_dir / tests_name
    conftests = {*project.conftests}
    for directory in (tests_file.parent, *tests_file.parent.parents):
        if not _inside(directory, workspace):
            break
        conftests.add(root / directory.relative_to(workspace) / "conftest.py")
    for conftest in conftests:
        _copy_file(conftest, workspace / conftest.relative_to(root))
    if project.pytest_config is not None:
        ini_file = workspace / project.pytest_config.relative_to(root)
        _copy_file(project.pytest_config, ini_file)
    else:
        ini_file = workspace / "pytest.ini"
        ini_file.write_text(_DEFAULT_INI)
    import_root = workspace / project.import_root.relative_to(root)
    module_file = import_root.joinpath(*module_parts).with_suffix(".py")
    module_file.parent.mkdir(parents=True, exist_ok=True)
    module_file.write_text(module_code, encoding="utf-8")
    tests_file.parent.mkdir(parents=True, exist_ok=True)
    tests_file.write_text(tests_code, encoding="utf-8")
    return ProjectWorkspace(workspace, import_root, module_file, tests_file, ini_file)
