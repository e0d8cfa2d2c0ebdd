"""Dataset entries that are modules of a real project: `project` and `python` in a dataset file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentic_testgen.datasets import DatasetError, load_dataset
from tests.conftest import WriteProject

PROJECT = {
    "shop/pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n',
    "shop/src/shop/__init__.py": "",
    "shop/src/shop/cart.py": "from . import __name__ as package\n\ndef total(xs):\n"
    "    return sum(xs)\n",
    "shop/tests/shop/test_cart.py": "from shop.cart import total\n\ndef test_total():\n"
    "    assert total([1, 2]) == 3\n",
}  # fmt: skip


def entry(**fields: str) -> str:
    lines = "".join(f"    {key}: {value}\n" for key, value in fields.items())
    return "name: imported\nentries:\n  - id: shop/cart\n" + lines


def make_venv(path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)


def test_a_project_module_is_named_and_run_as_its_project_imports_it(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **PROJECT,
        "data.yaml": entry(
            source="shop/src/shop/cart.py", reference_tests="shop/tests/shop/test_cart.py",
            project="shop", python="env",
        ),
    })  # fmt: skip
    make_venv(root / "env")
    (loaded,) = load_dataset(str(root / "data.yaml")).entries
    assert loaded.source.module_name == "cart"
    assert loaded.source.package == ("shop",)
    assert loaded.source.project_root == str((root / "shop").resolve())
    assert loaded.source.python == str(root / "env")
    assert loaded.reference_tests is not None
    # the test file keeps its place in the project (tests/shop/), whatever the working folder
    assert loaded.reference_tests.path == str((root / "shop/tests/shop/test_cart.py").resolve())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"source_code": "'X = 1'", "module_name": "cart", "project": "shop"},
            "entries[0]: project needs source: the path of the module inside the project",
        ),
        (
            {"source": "shop/src/shop/cart.py", "python": "env"},
            "entries[0]: python names the environment of a project: give project too",
        ),
        (
            {"source": "shop/src/shop/cart.py", "project": "shop", "python": "shop/src"},
            "entries[0]: python: 'shop/src' is not a virtual environment (no pyvenv.cfg and "
            "bin/python); import the project again with `atg dataset import`",
        ),
        (
            {"source": "shop/src/shop/cart.py", "project": "shop/src"},
            "is not a project root (no pyproject.toml, setup.cfg or setup.py there",
        ),
        (
            {"source": "shop/tests/shop/test_cart.py", "project": "shop"},
            "outside the project's import root",
        ),
        (
            {"source": "shop/src/shop/cart.py", "project": "../elsewhere"},
            "entries[0]: project: '../elsewhere' is outside",
        ),
        (
            {"source": "shop/src/shop/cart.py", "project": "nothere"},
            "entries[0]: project: no such folder 'nothere'",
        ),
    ],
)
def test_a_broken_project_entry_is_one_line_naming_the_field(
    write_project: WriteProject, fields: dict[str, str], message: str
) -> None:
    root = write_project({**PROJECT, "data.yaml": entry(**fields)})
    with pytest.raises(DatasetError) as raised:
        load_dataset(str(root / "data.yaml"))
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(f"{root / 'data.yaml'}:")
    assert message in text


def test_a_dataset_whose_entries_all_cannot_run_says_so(write_project: WriteProject) -> None:
    root = write_project({
        "data.yaml": (
            "name: imported\nentries: []\nnot_runnable:\n"
            "  - id: shop/cart\n    reason: \"No module named 'nothere'\"\n"
        ),
    })  # fmt: skip
    with pytest.raises(DatasetError, match=r"no entries; 1 entry is listed under not_runnable"):
        load_dataset(str(root / "data.yaml"))
