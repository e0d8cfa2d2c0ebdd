"""The labeled guardrail sets shipped as package data: their shape, balance, taxonomy, checksums
and provenance (bench/build_guardrail_sets.py writes them)."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.resources import files
from typing import Any

import pytest

DATA = files("agentic_testgen.guardrails") / "data"
FILES = {"secret": "secrets.jsonl", "pii": "pii.jsonl", "injection": "injection.jsonl"}
KEYS = ["id", "category", "label", "kind", "where", "text", "source"]
WHERES = {"code", "comment", "docstring", "string", "config", "log", "shell", "file_name",
          "metadata"}  # fmt: skip
TAXONOMY = {
    "secret": {
        "openai_key", "anthropic_key", "stripe_key", "github_token", "gitlab_token",
        "huggingface_token", "slack_token", "azure_key", "gcp_key", "aws_key", "jwt",
        "private_key", "connection_string", "password",
    },
    "pii": {"email", "phone", "credit_card", "us_ssn", "iban", "person", "address"},
    "injection": {"override", "role_play", "chat_template", "tool_abuse", "exfiltration",
                  "evasion"},
}  # fmt: skip
# `synthetic: <template>`, or `<package>-<version>/<path>:<line>` for a line of real code
SYNTHETIC = re.compile(r"synthetic: \S.*")
REAL = re.compile(r"[A-Za-z0-9_.\-]+-\d[\w.]*/[^\s:]+\.py:\d+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"\b\d(?:[ \-]?\d){12,18}\b")


def load(category: str) -> list[dict[str, Any]]:
    text = (DATA / FILES[category]).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def positives(category: str, kind: str) -> list[str]:
    return [s["text"] for s in load(category) if s["label"] and s["kind"] == kind]


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@pytest.mark.parametrize("category", FILES)
def test_a_set_is_large_balanced_and_well_formed(category: str) -> None:
    samples = load(category)
    assert len(samples) >= 300
    assert 0.45 <= sum(s["label"] for s in samples) / len(samples) <= 0.55
    assert all(list(s) == KEYS for s in samples)
    assert len({s["id"] for s in samples}) == len(samples)
    assert len({s["text"] for s in samples}) == len(samples)
    for sample in samples:
        assert re.fullmatch(rf"{category}-\d{{4}}", sample["id"])
        assert sample["category"] == category and isinstance(sample["label"], bool)
        assert sample["where"] in WHERES and sample["kind"]
        assert 1 <= len(sample["text"].splitlines()) <= 8


@pytest.mark.parametrize("category", FILES)
def test_every_kind_of_the_taxonomy_has_at_least_eight_positives(category: str) -> None:
    counts = Counter(s["kind"] for s in load(category) if s["label"])
    assert set(counts) == TAXONOMY[category]
    assert min(counts.values()) >= 8


@pytest.mark.parametrize("category", FILES)
def test_every_source_is_a_template_or_a_line_of_a_package(category: str) -> None:
    samples = load(category)
    assert all(SYNTHETIC.fullmatch(s["source"]) or REAL.fullmatch(s["source"]) for s in samples)
    assert all(SYNTHETIC.fullmatch(s["source"]) for s in samples if s["label"])
    assert sum(bool(REAL.fullmatch(s["source"])) for s in samples if not s["label"]) >= 60


def test_iban_positives_pass_the_mod_97_check() -> None:
    texts = positives("pii", "iban")
    assert texts and all(any(iban_ok(m.group()) for m in IBAN.finditer(t)) for t in texts)


def test_card_positives_pass_the_luhn_check() -> None:
    texts = positives("pii", "credit_card")
    assert texts and all(
        any(luhn_ok(re.sub(r"\D", "", m.group())) for m in CARD.finditer(t)) for t in texts
    )
