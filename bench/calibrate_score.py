"""Calibrate the score against the labeled set in tests/calibration (docs/metrics.md).

Evaluates every labeled test file for real (mutation testing on, 3 reruns, one file at a time),
stores each file's metric values in bench/results/calibration.json, and reports, for the weights
and gates used before the calibration and for the current defaults: Spearman's rank correlation
of the score with the mutation score (also with mutation_score left out of the score), the
correlation with the labels' expected order, the score range of each label, the levels reached
and the files under 50 % coverage rated good or excellent.

Usage: python bench/calibrate_score.py [--rescore] [--reruns 3]
  --rescore   re-score the stored metric values without evaluating anything
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from agentic_testgen.config import RunSettings, ScoringSettings, Settings
from agentic_testgen.evals.calibration import (
    CalibrationRecord,
    CalibrationReport,
    LabeledFile,
    calibration_report,
    evaluate_labeled,
    level_counts,
    load_labels,
)

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "calibration" / "labels.yaml"
RESULTS = ROOT / "bench" / "results" / "calibration.json"

# The defaults before the calibration: the weights of atg 0.x and no gates.
BEFORE = ScoringSettings(
    weights={
        "correctness": 0.15,
        "pass_rate": 0.10,
        "coverage": 0.20,
        "completeness": 0.15,
        "assertions": 0.10,
        "determinism": 0.10,
        "readability": 0.05,
        "mutation_score": 0.15,
    },
    gates={},
)


def summary(report: CalibrationReport) -> dict[str, object]:
    return {
        "spearman_score_vs_mutation": round(report.spearman, 4),
        "spearman_score_without_mutation_vs_mutation": round(report.spearman_without_mutation, 4),
        "spearman_score_vs_expected_order": round(report.spearman_with_rank_group, 4),
        "label_ranges": {
            label: [round(value, 3) for value in bounds]
            for label, bounds in report.label_ranges.items()
        },
        "levels_by_label": level_counts(report),
        "gate_violations": [item.record.tests for item in report.gate_violations],
    }


def print_report(title: str, scoring: ScoringSettings, report: CalibrationReport) -> None:
    print(f"\n== {title}")
    print(f"weights: {scoring.weights}")
    print(f"gates: {scoring.gates} (at most {scoring.gated_level!r} under a gate)")
    print(f"Spearman(score, mutation score)                      = {report.spearman:.3f}")
    print(
        "Spearman(score without mutation_score, mutation score) = "
        f"{report.spearman_without_mutation:.3f}"
    )
    print(
        "Spearman(score, expected order of the labels)          = "
        f"{report.spearman_with_rank_group:.3f}"
    )
    print("score range per label (min / median / max), levels:")
    counts = level_counts(report)
    for label, (low, middle, high) in report.label_ranges.items():
        levels = ", ".join(f"{level} {n}" for level, n in counts[label].items() if n)
        print(f"  {label:15} {low:.3f} / {middle:.3f} / {high:.3f}   {levels}")
    if report.gate_violations:
        print("files under 50 % coverage rated good or excellent:")
        for item in report.gate_violations:
            coverage = item.record.metrics.get("coverage", 0.0)
            print(f"  {item.record.tests}: coverage {coverage:.2f}, {item.level}")
    else:
        print("no file under 50 % coverage is rated good or excellent")


def print_files(report: CalibrationReport) -> None:
    print("\nfile                                             label           score  level      "
          "mutation coverage assertions")  # fmt: skip
    for item in sorted(report.scored, key=lambda scored: -scored.score):
        metrics = item.record.metrics
        print(
            f"{item.record.tests:48} {item.record.label:15} {item.score:.3f}  {item.level:10} "
            f"{item.record.true_mutation_score:8.3f} {metrics.get('coverage', 0):8.3f} "
            f"{metrics.get('assertions', 0):10.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rescore", action="store_true", help="re-score stored results only")
    parser.add_argument("--reruns", type=int, default=3)
    args = parser.parse_args()

    if args.rescore:
        stored = json.loads(RESULTS.read_text())
        records = [CalibrationRecord.from_json(entry) for entry in stored["files"]]
        settings_used = stored["settings"]
    else:
        labeled = load_labels(LABELS)
        settings = Settings(run=RunSettings(reruns=args.reruns, mutation=True))

        def progress(item: LabeledFile, record: CalibrationRecord) -> None:
            print(f"  {record.tests}: mutation {record.true_mutation_score:.3f}", flush=True)

        print(f"evaluating {len(labeled)} files (mutation testing on, {args.reruns} reruns)")
        start = time.perf_counter()
        records = evaluate_labeled(labeled, settings, root=ROOT, progress=progress)
        settings_used = {
            "reruns": args.reruns,
            "mutation": True,
            "sandbox": settings.run.sandbox,
            "seconds": round(time.perf_counter() - start, 1),
            "python": platform.python_version(),
        }

    before = calibration_report(records, BEFORE)
    after = calibration_report(records, ScoringSettings())
    print_report("before: the previous weights, no gates", BEFORE, before)
    print_report("after: the current defaults", ScoringSettings(), after)
    print_files(after)
    RESULTS.write_text(
        json.dumps(
            {
                "settings": settings_used,
                "modules": len({record.module for record in records}),
                "before": summary(before),
                "after": summary(after),
                "files": [record.to_json() for record in records],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
