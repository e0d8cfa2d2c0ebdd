"""Real bugs seeded into dataset modules: read from the dataset, run against the tests, counted
in the exporter's bug detection rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import generate_latest

from agentic_testgen.config import Settings
from agentic_testgen.datasets import DatasetError, load_dataset
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.observability.collector import build_registry

DATASET = """
name: bugs
entries:
  - id: double
    module_name: double
    source_code: |
      def double(x):
          return 2 * x
    reference_tests_code: |
      from double import double
      def test_double_of_two():
          assert double(2) == 4
    buggy_variants:
      - id: plus-one
        description: one too many
        source_code: |
          def double(x):
              return 2 * x + 1
      - id: seven
        description: wrong only for 7, which no test tries
        source_code: |
          def double(x):
              return 0 if x == 7 else 2 * x
      - id: syntax
        source_code: |
          def double(x)
              return 2 * x
"""


def test_a_suite_counts_the_seeded_bugs_its_tests_catch(tmp_path: Path) -> None:
    (tmp_path / "bugs.yaml").write_text(DATASET)
    runner = EvalRunner(tmp_path / "ws", settings=Settings(run={"reruns": 0, "mutation": False}))
    suite, _ = runner.run_suite(runner.load(str(tmp_path / "bugs.yaml")), jobs=1)
    (stored,) = runner.storage.suite_results(suite.id)
    assert stored.metadata["seeded_bugs"] == {"caught": ["plus-one", "syntax"], "missed": ["seven"]}
    text = generate_latest(build_registry(runner.storage)).decode()
    assert 'seeded_bugs_total{result="caught"} 2.0' in text
    assert 'bug_detection_rate{source="seeded_bugs"} 0.6666' in text


def test_the_builtin_datasets_ship_bugs_their_reference_tests_mostly_catch() -> None:
    simple = load_dataset("synthetic-simple")
    bugs = {bug.id for entry in simple.entries for bug in entry.buggy_variants}
    assert {"clamp-no-upper-bound", "roman-no-subtraction", "leap-year-every-century"} <= bugs
    for entry in simple.entries:
        for bug in entry.buggy_variants:
            assert bug.code != entry.source.code and bug.description


def test_a_variant_with_two_sources_is_refused_with_its_place(tmp_path: Path) -> None:
    two = "        description: one too many\n        source: x.py\n"
    broken = DATASET.replace("        description: one too many\n", two)
    (tmp_path / "bugs.yaml").write_text(broken)
    with pytest.raises(DatasetError, match=r"bugs.yaml:\d+: entries\[0\].buggy_variants"):
        load_dataset(str(tmp_path / "bugs.yaml"))
