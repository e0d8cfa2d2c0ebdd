"""The critic evaluator: its labeled set, the counting, and real reviews of hand-built rounds."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from importlib import resources

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.evals._evaluate import run_options
from agentic_testgen.evals.agents import AgentReport
from agentic_testgen.evals.agents._critic import (
    KINDS,
    CriticCase,
    Decision,
    Label,
    evaluate_critic,
    load_critic_set,
    reason_kind,
    score,
)
from agentic_testgen.evals.safety import SetError
from agentic_testgen.sandbox import get_sandbox

SIGN = """
def sign(x):
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0
"""
KEPT = """
from sign import sign

def test_positive():
    assert sign(3) == 1
"""
CANDIDATES = """
from sign import sign

def test_negative():
    assert sign(-2) == -1

def test_zero():
    assert sign(0) == 0

def test_wrong_sign():
    assert sign(-1) == 1

def test_no_check():
    sign(5)

def test_inverted():
    assert sign(-5) == 1
"""
# two labels are wrong on purpose: test_zero is good, test_inverted fails
LABELS = (
    Label(module="sign", test="test_negative", label="keep"),
    Label(module="sign", test="test_zero", label="drop", kind="never_calls"),
    Label(module="sign", test="test_wrong_sign", label="drop", kind="failing"),
    Label(module="sign", test="test_no_check", label="drop", kind="assertion_free"),
    Label(module="sign", test="test_inverted", label="keep"),
)


def _shipped_manifest() -> list[str]:
    folder = resources.files("agentic_testgen.evals.agents") / "sets" / "critic"
    return (folder / "critic.jsonl").read_text("utf-8").splitlines()


def test_the_shipped_set_loads_with_four_drops_of_every_kind_and_as_many_keeps() -> None:
    cases = load_critic_set()
    labels = [label for case in cases for label in case.labels]
    kinds = Counter(label.kind for label in labels if label.label == "drop")
    assert all(kinds[kind] >= 4 for kind in KINDS), kinds
    keeps = sum(1 for label in labels if label.label == "keep")
    assert 40 <= len(labels) <= 70
    assert abs(keeps - len(labels) / 2) <= len(labels) / 10  # about half good, half bad
    assert len({label.id for label in labels}) == len(labels)
    assert all(case.source and case.kept and case.candidates for case in cases)


def test_a_broken_manifest_line_is_a_one_line_error_naming_its_line() -> None:
    lines = _shipped_manifest()
    lines[2] = json.dumps({"module": "ranges", "test": "x", "label": "maybe"})
    with pytest.raises(SetError) as raised:
        load_critic_set("\n".join(lines))
    message = str(raised.value)
    assert message.startswith("critic.jsonl:3: not a label: label: ")
    assert "\n" not in message


def test_a_drop_without_a_kind_is_refused_at_its_line() -> None:
    lines = _shipped_manifest()
    lines[4] = json.dumps({**json.loads(lines[4]), "label": "drop", "kind": None})
    with pytest.raises(SetError, match=r"^critic.jsonl:5: not a label: .*defect kind"):
        load_critic_set("\n".join(lines))


def test_a_label_naming_no_test_and_a_test_without_a_label_are_named() -> None:
    lines = _shipped_manifest()
    renamed = json.loads(lines[0])
    wrong = "\n".join([json.dumps({**renamed, "test": "test_nothing"}), *lines[1:]])
    with pytest.raises(SetError, match=r"^critic.jsonl:1: ranges/candidates.py has no test"):
        load_critic_set(wrong)
    with pytest.raises(SetError, match=rf"^ranges/candidates.py:\d+: {renamed['test']} has no"):
        load_critic_set("\n".join(lines[1:]))
    with pytest.raises(SetError, match=r"^critic.jsonl:3: ranges::\w+ is labeled twice"):
        load_critic_set("\n".join([*lines[:2], lines[0], *lines[2:]]))


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("failed: assert 0 == 8", "failing"),
        ("error: fixture 'samples' not found", "failing"),
        ("timeout: the test ran past 10 s", "failing"),
        ("fails when the file is imported: NameError: name 'x' is not defined", "failing"),
        ("flaky: its outcome changed across reruns", "flaky"),
        ("checks nothing: no assertion", "assertion_free"),
        ("never calls the module under test", "never_calls"),
        ("adds no coverage the kept tests lack", "duplicate"),
        ("breaks policy [network]: imports urllib.request at line 1", "policy"),
        ("breaks policy [harness]: calls sys.settrace at line 2", "tampering"),
        ("tampers with the harness: sys.settrace replaced the tracing hook", "tampering"),
        ("something new", None),
    ],
)
def test_a_drop_reason_names_its_defect_kind(reason: str, kind: str | None) -> None:
    assert reason_kind(reason) == kind


def test_the_figures_and_the_cost_of_hand_counted_decisions() -> None:
    decisions = [
        Decision(LABELS[0], kept=True),  # right keep
        Decision(LABELS[2], kept=False, reason="failed: assert -1 == 1"),  # right drop and reason
        Decision(LABELS[3], kept=False, reason="adds no coverage the kept tests lack"),
        Decision(LABELS[1], kept=True),  # a bad test kept: 25 minutes
        Decision(LABELS[4], kept=False, reason="failed: assert -1 == 1"),  # a good one: 4
    ]
    result = score(decisions, minutes_per_kept_bad=25, minutes_per_dropped_good=4)
    metrics = result.metrics
    # tp 2 (wrong_sign, no_check), fp 1 (inverted), fn 1 (zero), tn 1 (negative)
    assert metrics["drop_precision"] == round(2 / 3, 4) == metrics["drop_recall"]
    assert metrics["keep_precision"] == 0.5 == metrics["keep_recall"]
    assert metrics["accuracy"] == 0.6
    assert result.score == metrics["balanced_accuracy"] == round((2 / 3 + 1 / 2) / 2, 4)
    assert metrics["recall_failing"] == 1.0 and metrics["recall_never_calls"] == 0.0
    assert metrics["kind_accuracy"] == 0.5  # no_check was dropped as a duplicate
    assert not result.passed
    details = result.details
    assert details["mistake_cost_minutes"] == 25 + 4
    assert details["mistake_cost_by_kind"] == {
        "failing": 0, "assertion_free": 0, "never_calls": 25, "keep": 4,
    }  # fmt: skip
    assert [w["id"] for w in details["wrong"]] == ["sign::test_zero", "sign::test_inverted"]
    assert details["wrong_reason"][0]["reason_kind"] == "duplicate"
    assert details["counts"] == {
        "precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "tp": 2, "fp": 1, "fn": 1, "tn": 1,
    }  # fmt: skip


@pytest.fixture(scope="module")
def hand_built() -> tuple[AgentReport, list[str]]:
    """The critic's real review of the sign module's round (labels partly wrong on purpose)."""
    case = CriticCase(
        module="sign",
        source=textwrap.dedent(SIGN),
        kept=textwrap.dedent(KEPT),
        candidates=textwrap.dedent(CANDIDATES),
        labels=LABELS,
    )
    run = RunSettings(reruns=2, test_timeout_s=5.0, parallel=2, mutation=False)
    options = run_options(Settings(run=run))
    lines: list[str] = []
    report = evaluate_critic(
        cases=[case], on_progress=lines.append, minutes_per_kept_bad=45,
        minutes_per_dropped_good=7, sandbox=get_sandbox("bwrap"), options=options,
    )  # fmt: skip
    return report, lines


def test_a_real_review_is_counted_against_the_labels(
    hand_built: tuple[AgentReport, list[str]],
) -> None:
    report, lines = hand_built
    (result,) = report.results
    assert report.evaluator == "critic" and result.name == "critic"
    assert lines == ["critic: sign: kept 2 of 5, 2 wrong"]
    counts = result.details["counts"]
    assert (counts["tp"], counts["fp"], counts["fn"], counts["tn"]) == (2, 1, 1, 1)
    assert result.metrics["drop_precision"] == result.metrics["drop_recall"] == 0.6667
    assert result.metrics["keep_precision"] == result.metrics["keep_recall"] == 0.5
    assert result.metrics["kind_accuracy"] == 1.0  # failing and assertion-free, said so
    assert result.score == 0.5833
    assert result.seconds > 0


def test_mislabeled_tests_are_listed_as_wrong_with_their_cost(
    hand_built: tuple[AgentReport, list[str]],
) -> None:
    (result,) = hand_built[0].results
    wrong = {entry["id"]: entry for entry in result.details["wrong"]}
    assert wrong.keys() == {"sign::test_zero", "sign::test_inverted"}
    assert wrong["sign::test_zero"] == {
        "id": "sign::test_zero", "label": "drop", "kind": "never_calls", "decision": "keep",
        "reason": "", "reason_kind": None,
    }  # fmt: skip
    assert wrong["sign::test_inverted"]["decision"] == "drop"
    assert wrong["sign::test_inverted"]["reason"].startswith("failed: ")
    # one bad test kept at 45 minutes, one good test dropped at 7
    assert result.details["mistake_cost_minutes"] == 52
    assert result.details["mistake_cost_by_kind"]["never_calls"] == 45
    assert result.details["mistake_cost_by_kind"]["keep"] == 7


@pytest.mark.slow
# a bad test of the set asserts a tuple on purpose
@pytest.mark.filterwarnings("ignore:assertion is always true:SyntaxWarning")
def test_the_shipped_set_is_measured_with_every_figure_in_range() -> None:
    lines: list[str] = []
    report = evaluate_critic(on_progress=lines.append)
    (result,) = report.results
    cases = load_critic_set()
    assert [line.split(":")[1].strip() for line in lines] == [case.module for case in cases]
    assert all(0.0 <= value <= 1.0 for value in result.metrics.values())
    assert {f"recall_{kind}" for kind in KINDS} <= result.metrics.keys()
    counts = result.details["counts"]
    assert counts["tp"] + counts["fp"] + counts["fn"] + counts["tn"] == sum(
        len(case.labels) for case in cases
    )
    assert result.score == result.metrics["balanced_accuracy"]
    assert result.details["mistake_cost_minutes"] == 30 * counts["fn"] + 10 * counts["fp"]
    assert len(result.details["wrong"]) == counts["fn"] + counts["fp"]
