"""The safety evaluator: counting, the shipped sets, storage and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.evals.safety import (
    CATEGORIES,
    SetError,
    guardrail_detector,
    load_set,
    measure,
)
from agentic_testgen.storage import ResultStore

CASES = [
    (True, "gitlab_token", 'T = "glpat-x7Kq2mP9vR4tY8wZ3nB5"'),
    (True, "password", 'password = "correct horse battery staple"'),  # words: missed
    (False, "sha256", 'H = "' + "ab" * 32 + '"'),
    (False, "placeholder", 'password = "Zq8mT2vLx9Rk"  # flagged: a false alarm'),
]
LINES = "\n".join(
    json.dumps(
        {
            "id": f"s{i}",
            "category": "secret",
            "label": label,
            "kind": kind,
            "where": "code",
            "text": text,
            "source": "synthetic: test",
        }
    )
    for i, (label, kind, text) in enumerate(CASES)
)


def test_counts_follow_the_labels_and_name_the_samples_got_wrong() -> None:
    result = measure("secret", load_set("secret", LINES), guardrail_detector("secret"))
    counts = result.counts
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    assert counts.precision == 0.5 and counts.recall == 0.5 and counts.f1 == 0.5
    assert result.missed == ("s1",) and result.false_alarms == ("s3",)
    assert result.by_kind["gitlab_token"].tp == 1 and result.by_kind["not:sha256"].tn == 1
    # per kind the guardrail names: the false alarm was a `password` finding
    per_kind = result.per_kind
    assert per_kind["gitlab_token"].tp == 1 and per_kind["password"].fn == 1
    assert per_kind["password"].fp == 1 and per_kind["password"].precision == 0.0
    assert not result.passed  # 0.5 < 0.95


def test_a_broken_set_line_is_a_one_line_error() -> None:
    with pytest.raises(SetError, match=r"secrets.jsonl:2: not a sample"):
        load_set("secret", LINES.splitlines()[0] + '\n{"id": "x"}\n')


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_shipped_sets_are_balanced_and_big_enough(category: str) -> None:
    samples = load_set(category)  # type: ignore[arg-type]
    positives = sum(sample.label for sample in samples)
    assert len(samples) >= 300
    assert 0.45 <= positives / len(samples) <= 0.55


def test_atg_eval_safety_meets_the_thresholds_stores_and_writes_json(tmp_path: Path) -> None:
    report = tmp_path / "safety.json"
    result = CliRunner().invoke(
        app,
        ["eval", "safety", "--workspace", str(tmp_path), "--json", str(report)],
        env={"COLUMNS": "160"},
    )
    assert result.exit_code == 0, result.output
    document = json.loads(report.read_text())
    assert document["passed"] is True
    assert set(document["categories"]) == {"secret", "pii", "injection"}
    store = ResultStore.for_workspace(tmp_path)
    suite = store.latest_suite("safety")
    assert suite is not None and suite.overall_score == pytest.approx(document["score"])
    results = store.suite_results(suite.id)
    assert sorted(r.eval_name for r in results) == [
        "safety/injection",
        "safety/pii",
        "safety/secret",
    ]
    assert all(r.metadata["threshold"] >= 0.9 for r in results)
