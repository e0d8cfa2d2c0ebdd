"""Pairing a project's modules with their own test files, on layouts written in tmp_path."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.datasets._pairing import name_under_test, pair_tests
from agentic_testgen.projects import find_project
from tests.conftest import WriteProject

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'


def pairs_of(root: Path) -> dict[str, str]:
    pairing = pair_tests(find_project(root))
    return {pair.tests.as_posix(): pair.module.import_name for pair in pairing.pairs}


def unpaired_of(root: Path) -> dict[str, str]:
    pairing = pair_tests(find_project(root))
    return {item.tests.as_posix(): item.reason for item in pairing.unpaired}


def test_test_files_are_named_test_x_or_x_test() -> None:
    assert name_under_test(Path("tests/test_slug.py")) == "slug"
    assert name_under_test(Path("slug_test.py")) == "slug"
    assert name_under_test(Path("test_.py")) is None
    assert name_under_test(Path("slug.py")) is None
    assert name_under_test(Path("conftest.py")) is None
    assert name_under_test(Path("tests/test_slug.txt")) is None


def test_a_src_layout_pairs_mirrored_and_flat_tests_folders(write_project: WriteProject) -> None:
    root = write_project({
        "pyproject.toml": PYPROJECT,
        "src/shop/__init__.py": "",
        "src/shop/cart.py": "X = 1\n",
        "src/shop/pricing/__init__.py": "",
        "src/shop/pricing/rules.py": "X = 1\n",
        "src/shop/_tax.py": "X = 1\n",
        "tests/test_cart.py": "",
        "tests/shop/pricing/test_rules.py": "",
        "tests/test_tax.py": "",
        "tests/test_pricing.py": "",
        "tests/conftest.py": "",
    })  # fmt: skip
    assert pairs_of(root) == {
        "tests/test_cart.py": "shop.cart",
        "tests/shop/pricing/test_rules.py": "shop.pricing.rules",
        "tests/test_tax.py": "shop._tax",  # a private module, when no public one has the name
        "tests/test_pricing.py": "shop.pricing",  # a package: its __init__.py
    }


def test_a_flat_layout_pairs_tests_beside_inside_and_after_the_module(
    write_project: WriteProject,
) -> None:
    root = write_project({
        "setup.py": "",
        "inflect.py": "X = 1\n",
        "test_inflect.py": "",
        "toolbox/__init__.py": "",
        "toolbox/strings.py": "X = 1\n",
        "toolbox/numbers.py": "X = 1\n",
        "toolbox/tests/test_strings.py": "",
        "toolbox/numbers_test.py": "",
        "docs/conf.py": "",
        "tests/test_setup.py": "",
    })  # fmt: skip
    assert pairs_of(root) == {
        "test_inflect.py": "inflect",
        "toolbox/tests/test_strings.py": "toolbox.strings",
        "toolbox/numbers_test.py": "toolbox.numbers",
    }
    # setup.py is the build script, not code under test
    assert unpaired_of(root) == {"tests/test_setup.py": "no module named 'setup' in the project"}


def test_the_module_in_the_folders_the_test_sits_in_wins_and_a_tie_is_ambiguous(
    write_project: WriteProject,
) -> None:
    root = write_project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/views.py": "X = 1\n",
        "app/admin/__init__.py": "",
        "app/admin/views.py": "X = 1\n",
        "tests/api/test_views.py": "",
        "tests/test_views.py": "",
    })  # fmt: skip
    assert pairs_of(root) == {"tests/api/test_views.py": "app.api.views"}
    assert unpaired_of(root) == {
        "tests/test_views.py": (
            "ambiguous: more than one module it could test (app.admin.views, app.api.views)"
        )
    }


def test_folders_that_are_not_packages_hold_no_modules_in_a_flat_layout(
    write_project: WriteProject,
) -> None:
    root = write_project({
        "setup.cfg": "[metadata]\nname = demo\n",
        "scripts/tool.py": "X = 1\n",
        "tests/test_tool.py": "",
        "build/lib/tool.py": "X = 1\n",
    })  # fmt: skip
    pairing = pair_tests(find_project(root))
    assert pairing.modules == ()
    assert [item.tests.as_posix() for item in pairing.unpaired] == ["tests/test_tool.py"]
