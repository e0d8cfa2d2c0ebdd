"""The scrubbers as they were before the guardrails (atg 0.1.0's `guardrails/_scrub.py`), kept
frozen so that `bench_guardrails.py` measures the change on the same sets.

Scrubbers: find secrets and personal data in text and replace them with a typed placeholder.

Written here as patterns rather than taken from detect-secrets or Presidio: a scrubber runs on
every log line and on every prompt and span attribute, so it must cost microseconds and need no
model or plugin scan; the patterns are the well-known shapes of provider keys and of PII.

A value assigned to a credential-sounding name (`token=`, `password:`) is a secret only when the
value itself looks like one: `bump_prerelease(token="beta")` is an argument, not a key.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One thing a scrubber found: its kind (`secret` or `pii`), its name and where it is."""

    kind: str
    name: str
    start: int
    end: int


_SECRETS: tuple[tuple[str, str], ...] = (
    ("private_key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
    ("anthropic_key", r"\bsk-ant-[A-Za-z0-9_\-]{20,}"),
    ("openai_key", r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"),
    ("aws_access_key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("github_token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("google_api_key", r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    ("jwt", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
    ("bearer_token", r"(?i)\bbearer\s+[A-Za-z0-9._~+/\-]{16,}=*"),
    ("url_password", r"://[^/\s:@]+:(?P<value>[^/\s@]+)@"),
    (
        "assigned_secret",
        r"(?i)\b(?:password|passwd|secret|api_key|apikey|token|access_key)[\"']?\s{0,3}[:=]"
        r"\s{0,3}(?P<value>\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\"'\s,;]{6,})",
    ),
)
# prefixes of well-known keys and tokens, whatever follows them
_KEY_PREFIX = re.compile(
    r"^(?:sk-|sk_live_|sk_test_|rk_live_|pk_live_|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|"
    r"AKIA|ASIA|AIza|ya29\.|npm_|pypi-|hf_|eyJ)"
)
_LETTER_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")  # letters and digits in one run: `hunter2`
_MIN_LENGTH = 8
_LONG = 20  # a long value of two character classes is a key when it is random enough
_LONG_ENTROPY = 3.0  # bits a character; hex keys come near 4, words and versions lower


def looks_like_credential(value: str) -> bool:
    """Whether a value given to a credential-sounding name looks like a credential itself.

    Yes for a known key prefix (`ghp_`, `sk-`, `AKIA`...) or at least 8 characters of three
    classes (lower, upper, digits, symbols) with letters and digits mixed (`hunter2Xq9!`), or
    20 random-looking characters (hex, base64). No for words, versions and expressions
    (`beta`, `rc.1`, `correct horse`, `os.environ["TOKEN"]`).
    """
    value = value.strip("\"'")
    if _KEY_PREFIX.match(value) and len(value) >= _MIN_LENGTH:
        return True
    if len(value) < _MIN_LENGTH or any(char.isspace() for char in value):
        return False
    if not _LETTER_DIGIT.search(value):
        return False
    classes = sum(
        any(test(char) for char in value)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if classes >= 3:  # three of the four character classes
        return True
    return classes >= 2 and len(value) >= _LONG and _entropy(value) >= _LONG_ENTROPY


def _entropy(value: str) -> float:
    counts = [value.count(char) for char in set(value)]
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts)


_PII: tuple[tuple[str, str], ...] = (
    ("email", r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b"),
    ("credit_card", r"\b\d(?:[ \-]?\d){12,18}\b"),
    ("us_ssn", r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b"),
    ("phone", r"(?<![\w.])\+?\d{1,3}?[ .\-]?\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}\b"),
    ("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"),
)
_PATTERNS = tuple(
    (kind, name, re.compile(pattern))
    for kind, table in (("secret", _SECRETS), ("pii", _PII))
    for name, pattern in table
)


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def find(text: str) -> list[Finding]:
    """Every secret and piece of personal data in `text`, without overlaps, in order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            # a pattern with a `value` group redacts only that part (the key name stays)
            start, end = match.span("value" if "value" in pattern.groupindex else 0)
            if name == "assigned_secret" and not looks_like_credential(match["value"]):
                continue
            if name == "credit_card":
                digits = re.sub(r"\D", "", match.group())
                if not 13 <= len(digits) <= 19 or not _luhn(digits):
                    continue
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Finding(kind, name, start, end))
    return sorted(found, key=lambda finding: finding.start)


def scrub(text: str) -> str:
    """`text` with each finding replaced by `[REDACTED:<name>]`."""
    return "".join(_pieces(text, find(text)))


def _pieces(text: str, findings: list[Finding]) -> Iterator[str]:
    position = 0
    for finding in findings:
        yield text[position : finding.start]
        yield f"[REDACTED:{finding.name}]"
        position = finding.end
    yield text[position:]
