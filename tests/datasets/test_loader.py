"""Dataset files: the built-ins, both formats, and errors that name file, line and field."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from agentic_testgen.datasets import DatasetError, builtin_names, load_dataset
from agentic_testgen.domain import Language
from tests.conftest import WriteProject

MODULE = "def one():\n    return 1\n"
TESTS = "from one import one\n\ndef test_one():\n    assert one() == 1\n"


def test_every_builtin_dataset_loads_with_reference_tests() -> None:
    assert builtin_names() == [
        "adversarial", "java", "javascript", "mixed", "real-world", "synthetic-complex",
        "synthetic-medium", "synthetic-simple",
    ]  # fmt: skip
    for name in builtin_names():
        dataset = load_dataset(name)
        assert dataset.content_hash.startswith("sha256:")
        assert all(entry.reference_tests is not None for entry in dataset.entries)
    for name in ("synthetic-simple", "synthetic-medium", "synthetic-complex"):
        assert len(load_dataset(name).entries) >= 10


def test_javascript_entries_are_node_test_files_beside_their_modules() -> None:
    dataset = load_dataset("javascript")
    assert len(dataset.entries) == 12
    assert Counter(entry.difficulty for entry in dataset.entries) == {
        "easy": 4, "medium": 4, "hard": 4
    }  # fmt: skip
    suffixes = Counter()
    for entry in dataset.entries:
        source, tests = Path(entry.source.path), entry.reference_tests
        assert tests is not None
        assert entry.source.language is Language.JAVASCRIPT
        assert entry.id == f"js/{entry.source.module_name}"
        assert source.stem == entry.source.module_name
        assert tests.filename == f"{source.stem}.test{source.suffix}"
        assert "node:test" in tests.code
        assert "node:assert/strict" in tests.code
        if source.suffix == ".mjs":  # an ES module, imported with its extension
            assert "export " in entry.source.code
            assert f"from './{source.name}'" in tests.code
        else:
            assert "module.exports" in entry.source.code
            assert f"require('./{source.stem}')" in tests.code
        suffixes[source.suffix] += 1
    assert suffixes == {".js": 9, ".mjs": 3}


def test_java_entries_are_classes_of_one_package_with_junit_tests() -> None:
    dataset = load_dataset("java")
    assert len(dataset.entries) == 12
    assert Counter(entry.difficulty for entry in dataset.entries) == {
        "easy": 4, "medium": 4, "hard": 4
    }  # fmt: skip
    parameterized = 0
    for entry in dataset.entries:
        name, tests = entry.source.module_name, entry.reference_tests
        assert tests is not None
        assert entry.source.language is Language.JAVA
        assert entry.id == f"java/{name}"
        assert entry.source.path == f"java/{name}.java"
        assert tests.filename == f"{name}Test.java"
        # the file's one top-level type is named after the file, in the package atg.examples
        assert entry.source.code.startswith("package atg.examples;\n")
        declared = re.findall(r"^public (?:final )?(?:class|record) (\w+)", entry.source.code, re.M)
        assert declared == [name]
        assert tests.code.startswith("package atg.examples;\n")
        assert re.search(rf"^class {name}Test \{{", tests.code, re.M)
        assert "org.junit.jupiter.api.Test" in tests.code
        parameterized += "@ParameterizedTest" in tests.code
    assert parameterized >= 3


def test_mixed_samples_every_other_builtin() -> None:
    prefixes = {entry.id.split("/")[0] for entry in load_dataset("mixed").entries}
    assert prefixes == {"simple", "medium", "complex", "real", "adversarial", "js", "java"}


def test_real_world_entries_are_the_interpreters_own_modules() -> None:
    import textwrap

    entry = next(e for e in load_dataset("real-world").entries if e.id == "real/textwrap")
    assert entry.source.code == Path(textwrap.__file__).read_text()
    assert entry.source.module_name == "textwrap"


def test_yaml_and_jsonl_describe_the_same_entry(write_project: WriteProject) -> None:
    root = write_project(
        {
            "one.py": MODULE,
            "test_one.py": TESTS,
            "set.yaml": "name: set\nentries:\n  - id: a\n    source: one.py\n"
            "    reference_tests: test_one.py\n",
            "set.jsonl": '{"id": "a", "source": "one.py", "reference_tests": "test_one.py"}\n',
        }
    )
    from_yaml = load_dataset(str(root / "set.yaml"))
    from_jsonl = load_dataset(str(root / "set.jsonl"))
    assert from_yaml.content_hash == from_jsonl.content_hash
    assert from_yaml.entries[0].source.module_name == "one"


def test_content_hash_changes_with_the_code(write_project: WriteProject) -> None:
    root = write_project({"one.py": MODULE, "set.jsonl": '{"id": "a", "source": "one.py"}\n'})
    before = load_dataset(str(root / "set.jsonl")).content_hash
    (root / "one.py").write_text(MODULE.replace("1", "2"))
    assert load_dataset(str(root / "set.jsonl")).content_hash != before


def test_inline_source_and_tests(write_project: WriteProject) -> None:
    root = write_project(
        {
            "set.yaml": (
                "entries:\n"
                "  - id: inline\n"
                "    module_name: one\n"
                "    source_code: |\n"
                "      def one():\n"
                "          return 1\n"
                "    reference_tests_code: |\n"
                "      from one import one\n"
                "      def test_one():\n"
                "          assert one() == 1\n"
            )
        }
    )
    entry = load_dataset(str(root / "set.yaml")).entries[0]
    assert entry.source.code == MODULE
    assert entry.reference_tests is not None
    assert entry.reference_tests.filename == "test_one.py"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "set.yaml",
            "entries:\n  - id: a\n    source: one.py\n  - id: b\n    sauce: one.py\n",
            r"set\.yaml:5: entries\[1\]\.sauce: Extra inputs are not permitted",
        ),
        (
            "set.yaml",
            "entries:\n  - id: a\n    source: missing.py\n",
            r"set\.yaml:2: entries\[0\]: source: no such file 'missing\.py'",
        ),
        (
            "set.yaml",
            "entries:\n  - id: a\n    source: one.py\n  - id: a\n    source: one.py\n",
            r"set\.yaml:4: entries\[1\]\.id: duplicate id 'a'",
        ),
        (
            "set.yaml",
            "entries:\n  - id: a\n    source: one.py\n    difficulty: extreme\n",
            r"set\.yaml:4: entries\[0\]\.difficulty: Input should be 'easy', 'medium' or 'hard'",
        ),
        (
            "set.yaml",
            "entries:\n  - id: a\n    source: one.py\n    stdlib_module: json\n",
            r"set\.yaml:2: entries\[0\]: give exactly one of source",
        ),
        ("set.yaml", "entries: [\n", r"set\.yaml:2: not valid YAML"),
        ("set.yaml", "name: x\n", r"set\.yaml:1: entries: expected a list"),
        (
            "set.jsonl",
            '{"id": "a", "source": "one.py"}\n{"id": \n',
            r"set\.jsonl:2: not valid JSON",
        ),
        (
            "set.jsonl",
            '{"id": "a", "stdlib_module": "json"}\n',
            r"set\.jsonl:1: entries\[0\]: stdlib_module: 'json' is a package",
        ),
        (
            "set.jsonl",
            '{"id": "a", "stdlib_module": "math"}\n',
            r"'math' is not a pure-Python module of the standard library",
        ),
        ("set.jsonl", "\n", r"set\.jsonl:1: the dataset has no entries"),
    ],
)
def test_bad_datasets_give_one_line_naming_file_line_and_field(
    write_project: WriteProject, name: str, text: str, message: str
) -> None:
    root = write_project({"one.py": MODULE, name: text})
    with pytest.raises(DatasetError, match=message) as raised:
        load_dataset(str(root / name))
    assert "\n" not in str(raised.value)


def test_unknown_dataset_lists_the_builtins(tmp_path: Path) -> None:
    builtins = r"built-in: adversarial, java, javascript, mixed"
    with pytest.raises(DatasetError, match=rf"unknown dataset 'nope'.*{builtins}"):
        load_dataset("nope", workspace=tmp_path)


def test_workspace_datasets_shadow_the_builtins(write_project: WriteProject) -> None:
    root = write_project(
        {"datasets/one.py": MODULE, "datasets/mixed.jsonl": '{"id": "mine", "source": "one.py"}\n'}
    )
    assert [e.id for e in load_dataset("mixed", workspace=root).entries] == ["mine"]
