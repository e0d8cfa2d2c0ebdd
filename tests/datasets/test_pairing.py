"""Pairing a project's modules with their own test files, on layouts written in tmp_path."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.datasets._import import _entry_ids
from agentic_testgen.datasets._pairing import Pair, name_under_test, pair_tests
from agentic_testgen.projects import find_project
from tests.conftest import WriteProject

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'


def pairs_of(root: Path) -> dict[str, str]:
    pairing = pair_tests(find_project(root))
    return {pair.tests.as_posix(): pair.module.import_name for pair in pairing.pairs}


def rules_of(root: Path) -> dict[str, str]:
    pairing = pair_tests(find_project(root))
    return {pair.tests.as_posix(): pair.rule for pair in pairing.pairs}


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
    assert unpaired_of(root) == {
        "tests/test_setup.py": (
            "no module named 'setup' in the project, and it imports no module of the project"
        )
    }


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
    assert unpaired_of(root)["tests/test_views.py"] == (
        "ambiguous: more than one module it could test (app.admin.views, app.api.views), "
        "and it imports no module of the project"
    )
    # what it imports decides when the name leaves it ambiguous
    (root / "tests/test_views.py").write_text("from app.admin.views import X\n")
    assert pairs_of(root)["tests/test_views.py"] == "app.admin.views"


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


SHOP = {
    "pyproject.toml": PYPROJECT,
    "shop/__init__.py": "from shop.cart import add\n\nVERSION = '1'\n",
    "shop/cart.py": "def add(items, item):\n    return [*items, item]\n",
    "shop/tax.py": "RATE = 0.2\n",
    "shop/pricing/__init__.py": "",
    "shop/pricing/rules.py": "X = 1\n",
}


def test_a_test_file_not_named_after_a_module_is_paired_with_the_one_module_it_imports(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "tests/test_api.py": """
            import json

            import pytest
            from shop.cart import add

            def test_add():
                assert add([], 1) == [1]
            """,
        "tests/test_regressions.py": """
            import shop.pricing.rules

            def test_rule():
                assert shop.pricing.rules.X == 1
            """,
        "tests/test_inside.py": """
            def test_tax():
                from shop.tax import RATE as rate
                assert rate < 1
            """,
    })  # fmt: skip
    assert pairs_of(root) == {
        "tests/test_api.py": "shop.cart",
        "tests/test_regressions.py": "shop.pricing.rules",
        "tests/test_inside.py": "shop.tax",  # an import inside a test function counts
    }
    assert set(rules_of(root).values()) == {"imports"}


def test_from_package_import_module_pairs_with_the_module_and_a_package_only_alone(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "tests/test_api.py": """
            from shop import cart

            def test_add():
                assert cart.add([], 1) == [1]
            """,
        "tests/test_version.py": """
            from shop import VERSION, add

            def test_version():
                assert VERSION == "1"
            """,
        "tests/test_both.py": """
            import shop
            from shop import VERSION, add
            from shop.tax import RATE

            def test_both():
                assert add([], RATE) and VERSION and shop.VERSION
            """,
    })  # fmt: skip
    assert pairs_of(root) == {
        "tests/test_api.py": "shop.cart",
        "tests/test_version.py": "shop",  # nothing more specific is imported
        # shop is named four times, shop.tax once: a module inside a package wins over it
        "tests/test_both.py": "shop.tax",
    }


def test_of_several_imported_modules_the_one_named_most_often_wins_and_a_tie_is_left_out(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "tests/test_checkout.py": """
            import shop.cart as basket
            from shop.tax import RATE

            def test_checkout():
                items = basket.add([], 1)
                items = basket.add(items, 2)
                assert sum(items) * RATE == basket.add([], 0.6)[0]
            """,
        "tests/test_even.py": """
            from shop import tax
            from shop.cart import add

            def test_even():
                assert add([], tax.RATE) == [tax.RATE]
                assert add([], 1)
            """,
    })  # fmt: skip
    assert pairs_of(root) == {"tests/test_checkout.py": "shop.cart"}
    assert unpaired_of(root) == {
        "tests/test_even.py": (
            "no module named 'even' in the project, and the project modules it imports are "
            "named equally often (shop.cart, shop.tax: 2 uses each)"
        )
    }


def test_relative_imports_resolve_inside_a_tests_package_of_the_project(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "shop/tests/__init__.py": "",
        "shop/tests/helpers.py": "def basket():\n    return []\n",
        "shop/tests/test_behaviour.py": """
            from .. import cart
            from .helpers import basket

            def test_add():
                assert cart.add(basket(), 1) == [1]
                assert basket() == []
                assert basket() is not basket()
            """,
        "shop/tests/test_rates.py": """
            from ..tax import RATE

            def test_rate():
                assert RATE
            """,
        # a tests folder that is no package of the project: `.` is not the project's
        "tests/test_outside.py": """
            from . import cart

            def test_add():
                assert cart.add([], 1)
            """,
    })  # fmt: skip
    assert pairs_of(root) == {
        # helpers sits in a tests folder: not code under test, however often it is named
        "shop/tests/test_behaviour.py": "shop.cart",
        "shop/tests/test_rates.py": "shop.tax",
    }
    assert unpaired_of(root) == {
        "tests/test_outside.py": (
            "no module named 'outside' in the project, and it imports no module of the project"
        )
    }


def test_a_test_file_that_does_not_parse_is_left_out_with_one_line_saying_so(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "tests/test_broken.py": "from shop.cart import add\n\ndef test_add(:\n    pass\n",
        "tests/test_cart.py": "def test_add(:\n    pass\n",  # the name does not read it
    })  # fmt: skip
    assert pairs_of(root) == {"tests/test_cart.py": "shop.cart"}
    reason = unpaired_of(root)["tests/test_broken.py"]
    assert reason.startswith(
        "no module named 'broken' in the project, and its imports cannot be read: a syntax "
        "error at line 3 ("
    )
    assert "\n" not in reason


def test_the_name_rule_wins_when_it_pairs_and_a_module_may_get_several_test_files(
    write_project: WriteProject,
) -> None:
    root = write_project({
        **SHOP,
        "tests/test_cart.py": """
            from shop.tax import RATE

            def test_rate():
                assert RATE and RATE and RATE
            """,
        "tests/test_api.py": """
            from shop.cart import add

            def test_add():
                assert add([], 1) == [1]
            """,
    })  # fmt: skip
    assert pairs_of(root) == {"tests/test_cart.py": "shop.cart", "tests/test_api.py": "shop.cart"}
    assert rules_of(root) == {"tests/test_cart.py": "name", "tests/test_api.py": "imports"}
    pairs: tuple[Pair, ...] = pair_tests(find_project(root)).pairs
    # as for two test files paired by name: each entry's id names its test file
    assert _entry_ids("shop", pairs) == [
        "shop/shop.cart/tests/test_api",
        "shop/shop.cart/tests/test_cart",
    ]
