"""Guardrails against their alternatives on the shipped labeled sets (secrets, PII, injection).

For each category, on the same samples, the same counting as `atg eval safety` (a sample is
flagged when the detector finds anything in it):

- atg: the guardrail as atg runs it;
- previous: the regex scrubbers atg had before its guardrails (`_previous_scrubbers.py`);
- detect-secrets: Yelp's detect-secrets 1.5 alone, as its users run it — every plugin, its
  default filters, each sample written to a file (`.py`, or the extension of its context) and
  scanned with `scan_file` (secrets only);
- presidio: Microsoft Presidio's analyzer with its predefined rule-based recognizers and no
  spaCy model (PII only), in its own virtual environment under `bench/.cache/presidio/`
  (`presidio-analyzer==2.2.366`, created on first run), entities limited to the kinds the PII
  set has, at Presidio's default score threshold.

Usage: .venv/bin/python bench/bench_guardrails.py [--no-presidio]
Writes bench/results/guardrails.json and prints one table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from pathlib import Path

from _previous_scrubbers import find as previous_find
from detect_secrets.core.scan import scan_file
from detect_secrets.settings import default_settings

from agentic_testgen.evals.safety import CATEGORIES, Category, Sample, guardrail_detector, load_set

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "guardrails.json"
PRESIDIO = ROOT / "bench" / ".cache" / "presidio"
PRESIDIO_VERSION = "2.2.366"
PRESIDIO_ENTITIES = [
    "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "PERSON", "LOCATION",
]  # fmt: skip
SUFFIX = {"config": ".env", "shell": ".sh", "log": ".log", "metadata": ".jsonl"}

Flags = Callable[[Sequence[Sample]], list[bool]]


def counts(samples: Sequence[Sample], flags: list[bool]) -> dict[str, float]:
    tp = sum(1 for s, f in zip(samples, flags, strict=True) if s.label and f)
    fp = sum(1 for s, f in zip(samples, flags, strict=True) if not s.label and f)
    fn = sum(1 for s, f in zip(samples, flags, strict=True) if s.label and not f)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}  # fmt: skip


def atg_flags(category: Category) -> Flags:
    detect = guardrail_detector(category)
    return lambda samples: [bool(detect(s)) for s in samples]


def previous_flags(category: Category) -> Flags:
    wanted = {"secret": "secret", "pii": "pii"}[category]
    return lambda samples: [any(f.kind == wanted for f in previous_find(s.text)) for s in samples]


def detect_secrets_flags(samples: Sequence[Sample]) -> list[bool]:
    flags = []
    with tempfile.TemporaryDirectory() as folder, default_settings():
        for index, sample in enumerate(samples):
            path = Path(folder) / f"sample{index}{SUFFIX.get(sample.where, '.py')}"
            path.write_text(sample.text + "\n")
            flags.append(any(True for _ in scan_file(str(path))))
    return flags


_PRESIDIO_SCRIPT = """
import json, sys
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

class NoModel(NlpEngine):  # rule-based recognizers only: no spaCy model
    def load(self): pass
    def is_loaded(self): return True
    def process_text(self, text, language):
        return NlpArtifacts(entities=[], tokens=[], tokens_indices=[], lemmas=[],
                            nlp_engine=self, language=language)
    def process_batch(self, texts, language, **kwargs):
        for text in texts:
            yield text, self.process_text(text, language)
    def is_stopword(self, word, language): return False
    def is_punct(self, word, language): return False
    def get_supported_entities(self): return []
    def get_supported_languages(self): return ["en"]

registry = RecognizerRegistry()
registry.load_predefined_recognizers(languages=["en"])
engine = AnalyzerEngine(registry=registry, nlp_engine=NoModel(), supported_languages=["en"])
entities = json.loads(sys.argv[1])
for line in sys.stdin:
    text = json.loads(line)
    found = engine.analyze(text, language="en", entities=entities)
    print(json.dumps(bool(found)), flush=True)
"""


def presidio_python() -> Path:
    python = PRESIDIO / "bin" / "python"
    ready = PRESIDIO / "atg-bench-ready"
    if not ready.exists():
        print(f"creating {PRESIDIO} (presidio-analyzer {PRESIDIO_VERSION})", file=sys.stderr)
        venv.create(PRESIDIO, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q",
                        f"presidio-analyzer=={PRESIDIO_VERSION}"], check=True)  # fmt: skip
        ready.touch()
    return python


def presidio_flags(samples: Sequence[Sample]) -> list[bool]:
    lines = "".join(json.dumps(s.text) + "\n" for s in samples)
    done = subprocess.run(
        [str(presidio_python()), "-c", _PRESIDIO_SCRIPT, json.dumps(PRESIDIO_ENTITIES)],
        input=lines, capture_output=True, text=True, check=True,
        # Presidio's URL recognizer fetches a suffix list at start: offline, it falls back
        env={"PATH": "/usr/bin:/bin", "HOME": str(PRESIDIO)},
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-presidio", action="store_true", help="skip the Presidio column")
    args = parser.parse_args()
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for category in CATEGORIES:
        samples = load_set(category)
        detectors: dict[str, Flags] = {"atg": atg_flags(category)}
        if category in ("secret", "pii"):
            detectors["previous"] = previous_flags(category)
        if category == "secret":
            detectors["detect-secrets"] = detect_secrets_flags
        if category == "pii" and not args.no_presidio:
            detectors["presidio"] = presidio_flags
        for name, flags in detectors.items():
            started = time.perf_counter()
            measured = counts(samples, flags(samples))
            measured["seconds"] = round(time.perf_counter() - started, 2)
            rows.setdefault(category, {})[name] = measured
            print(f"{category:10} {name:15} P {measured['precision']:.3f}  "
                  f"R {measured['recall']:.3f}  F1 {measured['f1']:.3f}  "
                  f"({len(samples)} samples, {measured['seconds']} s)")  # fmt: skip
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
