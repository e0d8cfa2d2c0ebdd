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

import base64
import re
import secrets
from collections.abc import Iterator

from agentic_testgen.guardrails._protocol import Category, Finding, Severity

_AI = (
    r"(?:ai|a\.i\.|llm|llms|language models?|models?|assistants?|chatbots?|bots?|copilot|"
    r"chatgpt|gpt(?:-?\d)?|claude|gemini|agents?|test[ -]?generators?|code[ -]?generators?|"
    r"generators?|test[ -]?writers?)"
)
# who an instruction is addressed to: an AI, or a role only a tool plays ("automated test
# writer", "AI code reviewer"); a bare "reviewer" is a person
_ADDRESSEE = (
    r"(?:(?:ai|llm|automated|coding|autonomous)\s+(?:code\s+|test\s+|coding\s+)?"
    r"(?:assistants?|agents?|reviewers?|writers?|generators?|models?|bots?|tools?)|"
    r"ai|a\.i\.|llms?|language\s+models?|assistants?|chatbots?|copilot|chatgpt|"
    r"gpt(?:-?\d)?|claude|gemini|test\s+generators?|code\s+generators?|test\s+writers?|"
    r"coding\s+agents?|ai\s+models?)"
)
_TARGETS = (
    r"(?:files?|director(?:y|ies)|folders?|home|~\S*|/\S*|everything|all\b|the\s+(?:repo|"
    r"repository|disk|database|tests?|project)|\.ssh|\.git\b|tests?\b)"
)
_DESTINATIONS = (
    r"(?:https?://\S+|http|servers?|url|endpoints?|webhooks?|remote|attackers?|env\b|"
    r"environment|os\.environ|secrets?|keys?|tokens?|credentials|passwords?)"
)
_ACTIONS = (
    r"(?:(?:delet|remov|unlink|wip|eras|shred)(?:e|es|ed|ing)?\s+(?:\S+\s+){0,3}?"
    + _TARGETS
    + r"|rm\s+-?rf|rmtree|chmod\s+-?R|(?:send|post|upload|exfiltrat|leak|transmit|forward)"
    r"(?:e|es|s|ing)?\s+(?:\S+\s+){0,4}?(?:to\s+)?"
    + _DESTINATIONS
    + r"|curl|wget|socket|connect(?:ion)?\s+to|subprocess|os\.system|popen|reverse\s+shell|"
    r"netcat|/etc/passwd|/etc/shadow|\.ssh|\.netrc|id_rsa|\.aws|os\.environ|environment\s+"
    r"variables|env\s+vars|api\s+keys?)"
)
_INSTRUCTIONS = (
    r"(?:instructions?|prompts?|rules|directions|guidelines|directives|context|messages?|"
    r"constraints|guardrails|policies|orders|commands|restrictions)"
)
_LINE_START = r"(?:^|\n|\\n|\"\"\"|'''|[\"'#])\s*"
# (kind, severity, pattern) on text with runs of spaces, `_` and `-` made one space and each
# line break (with the comment marker after it) one `\n`
RULES: tuple[tuple[str, Severity, str], ...] = (
    ("override", "high",
     r"\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard)\s+(?:all\s+|"
     r"any\s+|every\s+|each\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous|"
     r"prior|preceding|above|earlier|original|initial|existing|system|safety|former|old)\s+"
     r"(?:\w+\s+)?" + _INSTRUCTIONS),
    ("override", "high",
     r"\b(?:ignore|disregard|forget|drop|abandon|discard)\s+(?:everything|anything|all|every|"
     r"any|each)\s+(?:\w+\s+){0,3}?(?:you\s+(?:were|have\s+been|'ve\s+been)\s+(?:given|told)|"
     r"above|before|earlier|previously|so\s+far|else)"),
    ("override", "high",
     r"\b(?:your|the|all|my)\s+(?:previous|prior|original|earlier|initial|system|old)\s+"
     r"(?:\w+\s+)?" + _INSTRUCTIONS + r"\s+(?:are|is|have\s+been|has\s+been)\s+(?:now\s+)?"
     r"(?:cancel+ed|void|revoked|overridden|replaced|obsolete|suspended|lifted|no\s+longer)"),
    ("override", "high", _INSTRUCTIONS + r"\b[^.\n]{0,40}\bno\s+longer\s+appl(?:y|ies)"),
    ("override", "high",
     r"\b(?:ignore|disregard|forget)\s+(?:the|your)\s+(?:\w+\s+)?(?:task|job|assignment|request)"
     r"\s+you\s+(?:were|have\s+been)\s+given|\b(?:ignore|disregard|forget)\s+(?:all\s+)?your\s+"
     r"(?:\w+\s+)?" + _INSTRUCTIONS + r"|\bdecode\s+(?:this|the)\s+(?:\w+\s+)?and\s+(?:follow|"
     r"obey|execute|run)"),
    ("override", "high",
     r"\bstop\s+following\s+(?:the|your|all|any)\s+(?:\w+\s+)?" + _INSTRUCTIONS),
    ("override", "high",
     r"\b(?:new|updated|real|actual|true|revised|secret|hidden|additional|important)\s+"
     r"(?:system\s+)?(?:instructions?|directives?|orders|task)\s*(?::|for\s+(?:the\s+|any\s+)?"
     + _ADDRESSEE + r")"),
    ("override", "high",
     r"\bbase64[\s\-]?decode\s+(?:and|then)\s+(?:obey|follow|execute|run|do|apply)|"
     r"\binstructions\s+for\s+(?:the\s+)?(?:model|ai|llm|assistant)\b"),
    ("role_play", "high",
     r"\byou\s+are\s+(?:now|no\s+longer|actually|henceforth|from\s+now\s+on)\b(?!\s+(?:logged|"
     r"signed|connected|subscribed|registered|ready|done|set|able|in|on|using|viewing|running|"
     r"being|redirected|leaving|entering|offline|online|up\s+to))"),
    ("role_play", "high",
     r"\b(?:act|behave|respond|roleplay|role\s+play)\s+(?:as|like)\s+(?:an?\s+|the\s+)?"
     r"(?:unrestricted|unfiltered|jailbroken|evil|malicious|rogue|dan\b|developer\s+mode|"
     r"different|new)|\bpretend\s+(?:that\s+)?(?:you\s+are|to\s+be)\b"),
    ("role_play", "high",
     r"\b(?:dan|developer\s+mode|jailbreak\s+mode|god\s+mode|sudo\s+mode)\s+"
     r"(?:enabled|activated|on)\b|\benable\s+(?:developer|dan|jailbreak|god)\s+mode\b|"
     r"\bdo\s+anything\s+now\b|\blet'?s\s+play\s+a\s+game\b"),
    ("role_play", "high",
     r"\byou\s+are\s+\w+\s*,\s+an?\s+(?:\w+\s+){0,3}?(?:model|assistant|ai|bot|agent)\b|"
     r"\b(?:the\s+)?(?:assistant|model|ai|llm)\s+is\s+now\s+\w+|\brole\s+update\b"),
    # `SYSTEM:` or `System:` opening a line; a lower-case `system:` is a configuration key
    ("role_play", "high",
     _LINE_START + r"(?-i:SYSTEM|System|ASSISTANT|Assistant)\s*(?:prompt)?\s*:\s*\w"),
    ("role_play", "high",
     r"\b(?:in|enter|entering|enable|activate|switch\s+to)\s+(?:developer|jailbreak|god|sudo|dan|"
     r"unrestricted)\s+mode\b|\bfrom\s+now\s+on\b[^.\n]{0,20}\byou\b|\byou\s+(?:will\s+)?act\s+as\b|"
     r"\b(?:act|acting)\s+as\s+(?:an?\s+|the\s+)?\w*(?:helper|bot|mode|admin|root|owner|gpt)\b"),
    ("chat_template", "high",
     r"(?:<\|im[ _]start\|>|<\|start[ _]header[ _]id\|>|<\|system\|>|<\|user\|>|"
     r"<\|assistant\|>|\[INST\]|<<SYS>>|<start[ _]of[ _]turn>|###\s*(?:system|instruction)s?"
     r"\s*:?)(?:\s|\\n)*(?:system|user|assistant)?(?:\s|\\n)*(?:\|>|<\|end[ _]header[ _]id\|>)?"
     r"(?:\s|\\n)*\w+\s+\w+"),
    ("chat_template", "high",
     r"(?:<\|im[ _]end\|>|<\|eot[ _]id\|>|</s>|\[/INST\]|<</SYS>>)(?:\s|\\n)*\w+\s+\w+"),
    ("addressed", "high",
     r"(?:\b(?:note|message|instructions?|attention|hey|dear|psst|reminder|memo)|(?:^|(?<=[\n\"'#.!?]))"
     r"\s*to)\s*(?:to|for)?"
     r"\s*(?:the\s+|any\s+|all\s+|every\s+)?" + _ADDRESSEE + r"\b[^:\n]{0,60}:"),
    ("addressed", "high",
     r"\b(?:if\s+you\s+are|as|to\s+any|attention)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?"
     + _ADDRESSEE + r"\b(?:\s+reading\s+this|\s*,|\s+you\s+(?:must|should|will))"),
    ("addressed", "high", _LINE_START + _ADDRESSEE + r"\s*:\s+[A-Za-z]"),
    ("tool_abuse", "critical",
     r"\b(?:when|while|if|before|after)\s+(?:you\s+(?:are\s+)?)?(?:generat|writ|creat|produc)"
     r"(?:e|es|ing)\s+(?:the\s+|any\s+|unit\s+)?tests?\b[^.\n]{0,120}?\b(?:must|should|always|"
     r"also|make\s+sure|be\s+sure|remember|include|add|call|import|insert|execute|run)\b"),
    ("tool_abuse", "critical",
     r"\b(?:write|generate|add|include|create|insert|emit|put)\b[^.\n\"]{0,60}?\btests?\b"
     r"[^.\n\"]{0,120}?" + _ACTIONS),
    ("tool_abuse", "critical",
     r"\b(?:each|every|the|all|your)\s+(?:generated\s+|unit\s+)?tests?\s+(?:must|should|needs?\s+"
     r"to|has\s+to|shall)\b[^.\n]{0,120}?" + _ACTIONS),
    ("tool_abuse", "critical",
     r"\b(?:add|put|insert|include)\b[^.\n]{0,40}?" + _ACTIONS + r"[^.\n]{0,40}?\btests?\b"),
    ("tool_abuse", "critical",
     r"\b(?:make|have|let)\s+(?:the\s+|each\s+|every\s+)?(?:\w+\s+)?tests?\s+(?:run|call|"
     r"execute|invoke|open|send|delete)\b[^.\n]{0,40}?" + _ACTIONS
     + r"|\b(?:delete|remove|wipe|erase)\s+(?:the\s+)?\.?"
     r"(?:git|ssh)\s+(?:directory|folder|repo)|\b(?:call|run|execute|add|put)\s+[\w.]*(?:rmtree|"
     r"os\.system|subprocess\.\w+|os\.remove)\s*\("),
    ("tool_abuse", "critical",
     r"\buse\s+your\s+(?:\w+\s+)?tools?\b|\bconftest(?:\.py)?[ \t]+(?:\w+[ \t]+){0,2}?(?:delete|"
     r"remove|wipe|erase)"),
    ("exfiltration", "critical",
     r"\b(?:print|reveal|show|output|repeat|leak|send|include|dump|echo|disclose|return|tell|"
     r"copy|paste|write|post|upload|exfiltrate|add|encode|put|insert|embed|append)\b[^.\n]{0,40}?"
     r"\b(?:(?:your|my)\s+(?:(?:full|entire|original|hidden|secret|complete|initial|model)\s+)?"
     r"(?:system\s+prompt|prompt|instructions|api\s+keys?|secrets?|credentials|tokens?|password|"
     r"context(?:\s+window)?|model\s+name|conversation)|(?:the|all|its)\s+(?:(?:full|entire|"
     r"original|hidden|secret|complete)\s+)?(?:system\s+prompt|environment\s+variables|env\s+"
     r"vars|os\.environ|contents\s+of\s+your|(?:hidden|secret|original|system)\s+(?:"
     r"instructions|prompt|message)))"),
    ("exfiltration", "critical",
     r"(?<![A-Za-z])(?:api[\s_]?key|access[\s_]?token|secret[\s_]?key|password|credentials?)\b"
     r"[^.\n]{0,40}\bin\s+"
     r"(?:a|the)\s+(?:\w+\s+)?(?:test|comment|answer|response|output|generated)\b|\b(?:save|"
     r"store|dump|write)\s+your\s+(?:system\s+)?(?:message|prompt|instructions)"),
    ("exfiltration", "critical",
     r"\brepeat\s+(?:every|all|each|the)\s+(?:\w+\s+)?instructions?\b|"
     r"(?:API[\s_]?KEY|TOKEN|SECRET)\b[^.\n]{0,30}\bin\s+your\s+environment\b"),
    ("evasion", "high",
     r"\b(?:do\s+not|don't|never|must\s+not)\s+(?:mention|report|flag|reveal|tell|disclose|"
     r"log|warn|notify|alert)\b[^.\n]{0,60}?\b(?:(?:this|these)\s+(?:comments?|instructions?|"
     r"notes?|files?|messages?|lines?)|the\s+user|anyone|anything|reviewers?|humans?|"
     r"developers?|operators?)"),
    ("evasion", "high",
     r"\b(?:mark|report|treat|count|record|label)\s+(?:all|every|each|the|these)\s+"
     r"(?:\w+\s+)?tests?\s+as\s+(?:passing|passed|successful|green|ok)"),
    ("evasion", "high",
     r"\breport\s+(?:a\s+)?100\s*(?:%|percent)\s+(?:coverage|pass)|\bkeep\s+(?:this|these)\s+(?:\w+\s+)?(?:secret|"
     r"hidden|confidential)\b|\bclaim\s+(?:full|100\s*%)\s+coverage|\b(?:skip|disable|"
     r"bypass|turn\s+off|circumvent|evade|avoid)\s+(?:all\s+|the\s+|any\s+|every\s+)"
     r"(?:guardrails|validation|review|reviewer|critic|sandbox|policy|(?:safety|security|policy)"
     r"\s+checks)"),
    ("evasion", "high",
     r"\bleave\s+(?:this|these)\s+(?:\w+\s+)?out\s+of\b|\btell\s+the\s+user\s+that\s+(?:no|"
     r"nothing|this|the\s+code|everything)\b|"
     r"\b(?:say|report|state|claim|answer)\s+that\s+(?:this|the)\s+(?:\w+\s+)?(?:has|contains|"
     r"is)\s+(?:no|free|safe|clean)\b|\bno\s+issues\s+were\s+found\b|\bclassify\s+(?:this|the)"
     r"\s+(?:\w+\s+)?as\s+(?:safe|benign|clean|harmless)\b|\binstead,?\s+(?:say|answer|reply|"
     r"respond|print|output)\b|\banswer\s+with\s+(?:the\s+)?(?:single\s+)?word\b"),
)  # fmt: skip
_COMPILED = tuple((kind, sev, re.compile(rule, re.IGNORECASE)) for kind, sev, rule in RULES)
# words around a match that make it a description of injection, not one
_DESCRIBES = re.compile(
    r"(?i)\b(?:prompt\s+injection|injection\s+attacks?|jailbreak(?:s|ing)?\s+(?:attempts?|"
    r"attacks?|prompts?)|attacks?\s+(?:such\s+as|like)|such\s+as|e\.g\.|for\s+example|"
    r"for\s+instance|detects?|detection|detector|classifiers?|"
    r"red[\s-]?team|adversarial|malicious\s+(?:prompts?|inputs?)|known\s+(?:attacks?|"
    r"patterns?)|heuristics?|payloads?|signatures?)\b"
)
# a line break, with the comment or docstring marker that starts the next line, is one `\n`
_SPACES = re.compile(r"[ \t]*\n[\s#/*>.]*|[ \t]+")
_LEET = str.maketrans("013457@$", "oieastas")
_SPACED = re.compile(r"\b(?:[A-Za-z0-9%] ){3,}[A-Za-z0-9%]")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


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
                for f in _rule_findings(re.sub(r"[/._\-]+", " ", path))
            ]
        if self.canary and self.canary in text:
            at = text.index(self.canary)
            found.append(Finding("injection", "canary_leak", at, at + len(self.canary),
                                 "critical", "the model repeated its instructions"))  # fmt: skip
        return sorted(found, key=lambda finding: finding.start)


def _rule_findings(text: str) -> Iterator[Finding]:
    found = list(_matches(text))
    yield from found
    # obfuscated lines: spaced letters (`i g n o r e`), digits for letters (`1gn0r3`), base64
    offset = 0
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\n"))
        offset += len(line)
        if any(f.start < end and start < f.end for f in found):
            continue
        for variant in _variants(line):
            hit = next(_matches(variant), None)
            if hit is not None:
                detail = f"obfuscated: {hit.detail}"
                yield Finding("injection", hit.kind, start, end, hit.severity, detail)
                break


def _variants(line: str) -> Iterator[str]:
    """What an obfuscated line says once its spacing, digits or base64 are undone."""
    if _SPACED.search(line):
        yield _SPACED.sub(lambda m: m.group().replace(" ", ""), line)
    if re.search(r"[A-Za-z][013457@$][A-Za-z]", line):
        yield line.translate(_LEET)
    for token in _BASE64.findall(line):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if decoded.isprintable() or "\n" in decoded:
            yield decoded


def _matches(text: str) -> Iterator[Finding]:
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
        out.append("\n" if "\n" in match.group() else " ")
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
