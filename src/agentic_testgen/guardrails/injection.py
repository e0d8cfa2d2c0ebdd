"""Prompt injection: instructions to a model hidden in source, comments, docstrings, strings,
file names and dataset metadata — and canary tokens that show a model obeyed one.

Rules, not a classifier: they must run offline on every module before it goes to a model and
say which rule fired. Each rule is a technique (overriding earlier instructions, changing the
model's role, chat-template markers, asking for dangerous tests, asking for secrets, asking to
hide or fake results). Words alone are not enough: "ignore previous results" and a system prompt
an application gives its own model are code, and text that describes injection (documentation,
a detector's examples in quotes) is not an attack. Regular expressions rather than YARA: the
rules need look-behind at the sentence around a match, and a dependency with a C library buys
nothing a compiled `re` pattern does not do here.

A canary is a random token put in the instructions a model is given and never anywhere else;
when it comes back in generated tests, the model followed an instruction to reveal its prompt.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

from agentic_testgen.guardrails._protocol import Category, Finding, Severity

_AI = (
    r"(?:ai|a\.i\.|llm|llms|language models?|models?|assistants?|chatbots?|bots?|copilot|"
    r"chatgpt|gpt(?:-?\d)?|claude|gemini|agents?|test[ -]?generators?|code[ -]?generators?|"
    r"generators?|test[ -]?writers?)"
)
# who an instruction is addressed to, when it opens a line (`AI:`, `Copilot:`)
_ADDRESSEE = (
    r"(?:ai|a\.i\.|llm|language model|assistant|chatbot|copilot|chatgpt|gpt(?:-?\d)?|claude|"
    r"gemini|ai agent|test[ -]?generator|code[ -]?generator|ai model)"
)
_TARGETS = (
    r"(?:files?|director(?:y|ies)|folders?|home|~\S*|/\S*|everything|all\b|the\s+(?:repo|"
    r"repository|disk|database|tests?|project)|\.ssh|tests?\b)"
)
_DESTINATIONS = (
    r"(?:https?://\S+|http|servers?|url|endpoints?|webhooks?|remote|attackers?|env\b|"
    r"environment|os\.environ|secrets?|keys?|tokens?|credentials|passwords?)"
)
_ACTIONS = (
    r"(?:(?:delete|remove|unlink|wipe|erase|rm\s+-rf|rmtree|shred)\s+(?:\S+\s+){0,3}?"
    + _TARGETS
    + r"|(?:send|post|upload|exfiltrate|leak|transmit|forward)\s+(?:\S+\s+){0,4}?(?:to\s+)?"
    + _DESTINATIONS
    + r"|curl|wget|socket|connect(?:ion)?\s+to|subprocess|os\.system|popen|reverse\s+shell|"
    r"netcat|/etc/passwd|/etc/shadow|\.ssh|id_rsa|\.aws|os\.environ|environment\s+variables|"
    r"env\s+vars|api\s+keys?)"
)
# (kind, severity, pattern) on text with runs of whitespace, `_` and `-` made single spaces
RULES: tuple[tuple[str, Severity, str], ...] = (
    ("override", "high",
     r"\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\s+(?:all\s+|any\s+|"
     r"every\s+|each\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous|prior|"
     r"preceding|above|earlier|original|initial|existing|system|safety|former|old)\s+"
     r"(?:\w+\s+)?(?:instructions?|prompts?|rules|directions|guidelines|directives|context|"
     r"messages?|constraints|guardrails|policies|orders|commands|restrictions)"),
    ("override", "high",
     r"\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:(?:you\s+were|you've\s+been|"
     r"above|before|else|previously)\b)"),
    ("override", "high",
     r"\b(?:new|updated|real|actual|true|revised|secret|hidden|additional|important)\s+"
     r"(?:system\s+)?(?:instructions?|directives?|orders|task)\s*(?::|for\s+" + _AI + r")"),
    ("role_play", "high",
     r"\byou\s+are\s+(?:now|no\s+longer|actually|henceforth|from\s+now\s+on)\b"),
    ("role_play", "high",
     r"\b(?:act|behave|respond|pretend|roleplay)\s+(?:as|like|to\s+be)\s+(?:an?\s+|the\s+)?"
     r"(?:unrestricted|unfiltered|jailbroken|evil|malicious|rogue|dan\b|developer\s+mode|"
     r"different|new)"),
    ("role_play", "high",
     r"\b(?:dan|developer\s+mode|jailbreak\s+mode|god\s+mode|sudo\s+mode)\s+"
     r"(?:enabled|activated|on)\b|\benable\s+(?:developer|dan|jailbreak|god)\s+mode\b"),
    ("role_play", "high", r"(?:^|\n|#|\"\"\"|''')\s*(?:system|assistant)\s*(?:prompt)?\s*:\s*\w"),
    ("chat_template", "high",
     r"(?:<\|im[ _]start\|>|<\|start[ _]header[ _]id\|>|<\|system\|>|<\|user\|>|<\|assistant\|>|"
     r"\[INST\]|<<SYS>>|<start[ _]of[ _]turn>|\[SYSTEM\]|###\s*(?:system|instruction)s?\s*:?)"
     r"(?:\s|\\n)*(?:system|user|assistant)?(?:\s|\\n)*(?:\|>|<\|end[ _]header[ _]id\|>)?"
     r"(?:\s|\\n)*\w+\s+\w+"),
    ("chat_template", "high",
     r"(?:<\|im[ _]end\|>|<\|eot[ _]id\|>|</s>|\[/INST\]|<</SYS>>)(?:\s|\\n)*\w+\s+\w+"),
    ("addressed", "high",
     r"\b(?:note|message|instructions?|attention|hey|dear|psst|reminder|memo)\s*(?:to|for)?\s*"
     r"(?:the\s+|any\s+|all\s+)?" + _AI + r"\s*[:,!\-]"),
    ("addressed", "high",
     r"\b(?:if\s+you\s+are|as|to\s+any|attention)\s+(?:an?\s+|the\s+)?" + _AI
     + r"\b(?:\s+reading\s+this|\s*,|\s+you\s+(?:must|should|will))"),
    ("addressed", "high",
     r"\b" + _ADDRESSEE + r"\s*:\s*(?:please\s+|you\s+must\s+|you\s+should\s+|now\s+)?"
     r"(?:write|generate|add|include|ignore|insert|output|print|delete|remove|send|make|"
     r"create|call|import|execute|run|mark|report|skip|assert)\b"),
    ("tool_abuse", "critical",
     r"\b(?:when|while|if)\s+(?:you\s+(?:are\s+)?)?(?:generating|writing|creating|producing)\s+"
     r"(?:the\s+|any\s+|unit\s+)?tests?\b[^.\n]{0,120}?\b(?:must|should|always|also|make\s+sure|"
     r"be\s+sure|remember|include|add|call|import|insert|execute|run)\b"),
    ("tool_abuse", "critical",
     r"\b(?:write|generate|add|include|create|insert|emit|put)\b[^.\n\"]{0,60}?\btests?\b"
     r"[^.\n\"]{0,120}?" + _ACTIONS),
    ("tool_abuse", "critical",
     r"\b(?:each|every|the|all|your)\s+(?:generated\s+|unit\s+)?tests?\s+(?:must|should|needs?\s+to|"
     r"has\s+to|shall)\b[^.\n]{0,120}?" + _ACTIONS),
    ("exfiltration", "critical",
     r"\b(?:print|reveal|show|output|repeat|leak|send|include|dump|echo|disclose|return|tell|"
     r"copy|paste|write|post|upload|exfiltrate)\b[^.\n]{0,40}?\b(?:(?:your|my)\s+"
     r"(?:(?:full|entire|original|hidden|secret|complete|initial)\s+)?(?:system\s+prompt|prompt|"
     r"instructions|api\s+keys?|secrets?|credentials|tokens?|password)|(?:the|all|its)\s+"
     r"(?:(?:full|entire|original|hidden|secret|complete)\s+)?(?:system\s+prompt|api\s+keys?|"
     r"secrets|credentials|environment\s+variables|env\s+vars|os\.environ|passwords))"),
    ("evasion", "high",
     r"\b(?:do\s+not|don't|never|must\s+not)\s+(?:mention|report|flag|reveal|tell|disclose|"
     r"log|warn|notify|alert)\b[^.\n]{0,60}?\b(?:this|these|comment|instructions?|user|"
     r"anyone|reviewers?|humans?|developers?|operators?)"),
    ("evasion", "high",
     r"\b(?:mark|report|treat|count|record|label)\s+(?:all|every|each|the|these)\s+"
     r"(?:\w+\s+)?tests?\s+as\s+(?:passing|passed|successful|green|ok)"),
    ("evasion", "high",
     r"\breport\s+(?:a\s+)?100\s*%|\bclaim\s+(?:full|100\s*%)\s+coverage|\b(?:skip|disable|"
     r"bypass|turn\s+off|circumvent|evade|avoid)\s+(?:all\s+|the\s+|any\s+|every\s+)"
     r"(?:\w+\s+)?(?:checks|guardrails|validation|review|reviewer|critic|sandbox|policy)"),
)  # fmt: skip
_COMPILED = tuple((kind, sev, re.compile(rule, re.IGNORECASE)) for kind, sev, rule in RULES)
# words around a match that make it a description of injection, not one
_DESCRIBES = re.compile(
    r"(?i)\b(?:prompt\s+injection|injection\s+attacks?|jailbreak(?:s|ing)?\s+(?:attempts?|"
    r"attacks?|prompts?)|attacks?\s+(?:such\s+as|like)|such\s+as|e\.g\.|for\s+example|"
    r"for\s+instance|detects?|detection|detector|classif(?:y|ier)|flags?|blocks?|"
    r"red[\s-]?team|adversarial|malicious\s+(?:prompts?|inputs?)|known\s+(?:attacks?|"
    r"patterns?)|heuristics?|payloads?|signatures?)\b"
)
_SPACES = re.compile(r"[\s_\-]+")


class InjectionGuardrail:
    """Instructions to a model in the code it is given; with a canary, a model that obeyed."""

    name = "injection"
    category: Category = "injection"
    blocks_output = True

    def __init__(self, canary: str | None = None, *, rules: bool = True) -> None:
        self.canary = canary
        self.rules = rules  # off for a model's answers: tests may quote what they test

    def find(self, text: str, *, path: str = "") -> list[Finding]:
        # every rule that fires is reported (one instruction may be several techniques)
        found = list(_rule_findings(text)) if self.rules else []
        if path and self.rules:
            found += [
                Finding("injection", f.kind, 0, 0, f.severity, f"in the file name {path!r}")
                for f in _rule_findings(path.replace("/", " ").replace(".", " "))
            ]
        if self.canary and self.canary in text:
            at = text.index(self.canary)
            found.append(Finding("injection", "canary_leak", at, at + len(self.canary),
                                 "critical", "the model repeated its instructions"))  # fmt: skip
        return sorted(found, key=lambda finding: finding.start)


def _rule_findings(text: str) -> Iterator[Finding]:
    spaced, positions = _normalized(text)
    for kind, severity, pattern in _COMPILED:
        for match in pattern.finditer(spaced):
            if _describes_injection(spaced, match.start(), match.end()):
                continue
            start, end = positions[match.start()], positions[max(match.end() - 1, 0)] + 1
            # the whole line goes: what is left of an instruction is still an instruction
            start = text.rfind("\n", 0, start) + 1
            end = len(text) if text.find("\n", end) < 0 else text.find("\n", end)
            yield Finding("injection", kind, start, end, severity, match.group()[:80])


def _normalized(text: str) -> tuple[str, list[int]]:
    """`text` with each run of whitespace, `_` and `-` one space, and where each character came
    from (so findings point into the original)."""
    out: list[str] = []
    positions: list[int] = []
    position = 0
    for match in _SPACES.finditer(text):
        out.append(text[position : match.start()])
        positions.extend(range(position, match.start()))
        out.append(" ")
        positions.append(match.start())
        position = match.end()
    out.append(text[position:])
    positions.extend(range(position, len(text)))
    positions.append(len(text))
    return "".join(out), positions


def _describes_injection(text: str, start: int, end: int) -> bool:
    """A match in a sentence about injection (documentation, a detector's examples)."""
    sentence_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 160, 0)
    sentence_end = min(x for x in (text.find(".", end), text.find("\n", end), end + 160) if x >= 0)
    return bool(_DESCRIBES.search(text[sentence_start:start] + " " + text[end:sentence_end]))


def new_canary() -> str:
    """A token to put in a model's instructions (and nowhere else)."""
    return f"atg-canary-{secrets.token_hex(8)}"
