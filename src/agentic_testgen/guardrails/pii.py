"""Personal data: e-mail addresses, phone numbers, card numbers, SSNs, IBANs, people's names and
street addresses, in code, comments, docstrings and strings.

Our own recognizers rather than Presidio's analyzer: measured on the shipped set they do as
well or better on code (docs/guardrails.md), and Presidio needs spaCy (400 MB) and fetches a
suffix list from the network at start. What the recognizers check is what makes a match
personal data rather than a number: a checksum (Luhn, IBAN mod 97), an issuer prefix, a valid
number plan (Google's `phonenumbers`), a domain that is not reserved for examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from agentic_testgen.guardrails._protocol import Category, Finding, Severity, without_overlaps

# RFC 2606/6761 names for examples and tests: an address there belongs to no one
_RESERVED_DOMAIN = re.compile(
    r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local|internal|lan|"
    r"corp|home|intranet|localdomain)$"
)
_EMAIL = re.compile(
    r"(?<![\w.+\-])(?P<user>[A-Za-z0-9._%+\-]{1,64})@(?P<domain>(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24})\b(?!:)"
)
# not the decimals of a float (`0.2333333333333333`) nor part of a longer number
_CARD = re.compile(r"(?<![\d\-.])(?<!\d,)(?:\d[ \-]?){12,18}\d(?![\d\-]|\.\d)")
_CARD_ISSUER = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5)|35|3[068])")
_SSN = re.compile(r"(?<![\d\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d\-])")
_IBAN = re.compile(r"\b(?P<country>[A-Z]{2})\d{2}(?: ?[A-Z0-9]){11,30}\b")
# lengths per country (ISO 13616 registry, the countries with the most accounts)
_IBAN_LENGTH = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
    "AE": 23, "SA": 24, "IL": 23, "BR": 29, "MU": 30, "QA": 29, "KW": 30, "UA": 29,
}  # fmt: skip
# names in any alphabet with capitals: each word is checked by `_name_word`
_WORD = "[^\\W\\d_][^\\W\\d_'\u2019\\-]*"
_PARTICLE = r"(?:van|von|de|da|di|del|der|den|le|la|du|dos|das|bin|al|ten|ter)"
_FULL_NAME = rf"{_WORD}(?: [A-Z]\.)?(?: (?:{_PARTICLE} )?{_WORD}){{1,2}}"
# a name is a person's where the text says so: who wrote, owns, reviews or is the subject
_PERSON = re.compile(
    r"(?:(?i:\b(?:authors?|(?:written|created|reviewed|approved|reported|requested|maintained|"
    r"contributed|signed|assigned|submitted|prepared)\s+by|maintainers?|owners?|assignees?|"
    r"reviewers?|contact|contacted|customer|patient|employee|applicant|recipient|sender|"
    r"dear|hello|(?:thanks|credit|hat\s+tip)\s+to|@author)\b)[\"']?\s*(?:[:=,]\s*|\s)|"
    r"(?i:\b(?:full|first|last|display|customer|patient|employee|contact|user|client)?_?name)"
    r"[\"']?\s*[:=]\s*)(?:-\s+)?[rbf]?[\"']?\s*(?P<name>" + _FULL_NAME + r")(?![^\W\d_])"
)
# or where it acts as a person does, in a log line or a message
_ACTOR = re.compile(
    r"(?P<name>" + _FULL_NAME + r") (?:updated|created|deleted|changed|logged (?:in|out)|signed "
    r"(?:in|up)|placed|registered|booked|paid|ordered|requested|approved|submitted|joined|left|"
    r"commented|replied|wrote|sent|shared|uploaded|cancel+ed)\b"
)
_NOT_NAME_WORDS = (
    "The This That These Those None True False Default Value Error Type Class Test Tests "
    "Support Team Admin Administrator User Users Customer Service Services Data Python "
    "Module Function Method Object String Number List Dict Returns Return Raises Example "
    "Examples Note Notes See Also Args Arguments Parameters Yields Attributes Todo Fixme "
    "Hello World Unknown Anonymous Guest System Root Main Street Avenue Road New Old Open "
    "Source Software Foundation Inc Ltd Corp Company Project Group Board Committee "
    "Maintainers Contributors Authors Developers Owner Owners Github Gitlab Apache Mit Bsd "
    "License Copyright Version Release Build Config Settings Manager Handler Client Server "
    "Request Response Json Yaml Html Http Https Api Sdk Cli Url Uri Id Uuid Doe"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Plz|Alley|"
    "Crescent|Close|Gardens|Grove|Row|Walk|Hill|Heights|Park|Point|Pike|Loop|Path|Pass|"
    "Run|Crossing|Crossroad|Expressway|Freeway|Turnpike|Centre|Center|Mews|Rise|Vale|View|"
    "Vista|Ridge|Ranch|Ports?|Mills?|Manor|Lodge|Knolls?|Junctions?|Islands?|Harbor|Glens?|"
    "Fields?|Falls|Estates?|Creek|Courts|Cove|Corners?|Club|Cliffs?|Canyon|Burgs?|Brooks?|"
    "Branch|Bridge|Bypass|Camp|Cape|Causeway|Common|Curve|Dale|Dam|Divide|Extension|Ferry|"
    "Flats?|Ford|Forest|Forge|Fork|Fort|Gateway|Green|Haven|Inlet|Key|Lake|Landing|Light|"
    "Lock|Meadows?|Motorway|Mount|Mountain|Orchard|Oval|Prairie|Radial|Rapids?|Rest|Route|"
    "Shoals?|Shore|Springs?|Spur|Station|Stravenue|Stream|Summit|Throughway|Trace|Track|"
    "Tunnel|Union|Valley|Viaduct|Villages?|Ville|Wells?|Straße|Strasse|Rue|Calle|Via"
)
# European street addresses: German (`Hauptstraße 5, 10115 Berlin`), French (`12 rue X, 75001`)
_ADDRESS_EU = re.compile(
    r"\b[^\W\d_][\w\-]*(?i:straße|strasse|weg|gasse|platz|allee|ring|damm|ufer|chaussee|laan|"
    r"straat|gracht|vej|gatan|vägen|katu)\s+\d{1,4}[a-z]?,\s*\d{4,5}\s+[^\W\d_][\w\-]*"
    r"|\b\d{1,4},?\s+(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route|via|"
    r"viale|piazza|calle|avenida|plaza|rua)\s+[^\W\d_][\w'\- ]*,\s*\d{4,5}\s+[^\W\d_][\w\-]*"
)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?,? (?:[A-Z][a-z]+\.? ){1,3}(?:" + _STREET_TYPES + r")\b\.?"
    r"(?:,? (?:Apt\.?|Suite|Unit|#) ?\w+)?(?:,?\s+[A-Z][a-z]+(?: [A-Z][a-z]+)*,? [A-Z]{2} \d{5})?"
)
_CITY_ZIP = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*, (?:[A-Z]{2}) \d{5}(?:-\d{4})?\b")
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU", "BR", "JP", "ES", "IT", "NL", "CA")
_PHONE_CUE = re.compile(r"(?i)\b(?:tel|phone|mobile|cell|fax|call|sms|whatsapp|telefon|contact)")


class PiiGuardrail:
    """Personal data of real people (example domains and invalid numbers are not)."""

    name = "pii"
    category: Category = "pii"
    blocks_output = False

    def find(self, text: str, *, path: str = "") -> list[Finding]:
        # `\n` written in a string literal separates like a line break (same length: offsets hold)
        text = text.replace("\\n", "  ").replace("\\t", "  ")
        found = [
            *_emails(text), *_cards(text), *_ibans(text), *_ssns(text), *_addresses(text),
            *_phones(text), *_people(text),
        ]  # fmt: skip
        return without_overlaps(found)


def _finding(kind: str, start: int, end: int, severity: Severity = "medium") -> Finding:
    return Finding("pii", kind, start, end, severity)


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        user = match["user"]
        if (
            _RESERVED_DOMAIN.search(match["domain"])
            or user.startswith(".")
            or not any(char.isalnum() for char in user)
        ):
            continue  # `%@gmail.com` is a pattern, not an address
        token = re.split(r"[\s\"'(<>]", text[max(match.start() - 200, 0) : match.start()])[-1]
        if "://" in token:
            continue  # a URL's user (`ftp://user@host`, `http://user:pass@host`)
        yield _finding("email", *match.span())


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _cards(text: str) -> Iterator[Finding]:
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # a number a card issuer could have given: its length, prefix and check digit
        if 13 <= len(digits) <= 19 and _CARD_ISSUER.match(digits) and luhn(digits):
            yield _finding("credit_card", *match.span(), "high")


def iban_valid(candidate: str) -> bool:
    """ISO 13616: the right length for its country and the mod-97 check."""
    compact = candidate.replace(" ", "")
    if _IBAN_LENGTH.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def _ibans(text: str) -> Iterator[Finding]:
    for match in _IBAN.finditer(text):
        candidate = match.group()
        # the regex may take a trailing word: try the country's exact length first
        length = _IBAN_LENGTH.get(match["country"])
        if length is None:
            continue
        compact_end = _end_after(candidate, length)
        if compact_end and iban_valid(candidate[:compact_end]):
            yield _finding("iban", match.start(), match.start() + compact_end, "high")


def _end_after(candidate: str, characters: int) -> int:
    """The index in `candidate` after its first `characters` non-space characters."""
    seen = 0
    for index, char in enumerate(candidate):
        if char != " ":
            seen += 1
            if seen == characters:
                return index + 1
    return 0


def _ssns(text: str) -> Iterator[Finding]:
    for match in _SSN.finditer(text):
        yield _finding("us_ssn", *match.span(), "high")


def _addresses(text: str) -> Iterator[Finding]:
    for match in _ADDRESS.finditer(text):
        yield _finding("address", *match.span())
    for match in _CITY_ZIP.finditer(text):
        yield _finding("address", *match.span())
    for match in _ADDRESS_EU.finditer(text):
        yield _finding("address", *match.span())


def _phones(text: str) -> Iterator[Finding]:
    """Valid numbers: any written with a country code, US numbers written as phone numbers, and
    national numbers of the other common regions where the words just before say it is one."""
    for index, region in enumerate(_PHONE_REGIONS):
        if index and not _PHONE_CUE.search(text):
            break
        matcher = phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID)
        for match in matcher:
            raw = match.raw_string
            digits = sum(char.isdigit() for char in raw)
            cued = bool(_PHONE_CUE.search(text[max(match.start - 40, 0) : match.start]))
            if digits < 9 or "/" in raw or "," in raw or raw.count(".") > 2:
                continue  # figures in a table (`0.97 / 1.00`), dates, versions
            if raw.startswith("+") or cued or (index == 0 and _formatted(raw)):
                yield _finding("phone", match.start, match.end)


def _formatted(raw: str) -> bool:
    """Written as a phone number, in three groups or more (`415-555-2671`, `(415) 555 2671`),
    not a run of digits (an id, a timestamp) nor a decimal (`1234.5454545`)."""
    return len(re.findall(r"\d+", raw)) >= 3


def _people(text: str) -> Iterator[Finding]:
    for pattern in (_PERSON, _ACTOR):
        for match in pattern.finditer(text):
            length = _name_length(match["name"])
            if pattern is _ACTOR and length != len(match["name"]):
                continue  # the verb's subject is the whole phrase, not a name in it
            if length:
                yield _finding("person", match.start("name"), match.start("name") + length)


def _name_length(candidate: str) -> int:
    """How much of `candidate` is a person's name: its words while they are name words (an
    initial or a particle may sit between), at least two of them; 0 when it is not a name."""
    end, names = 0, 0
    position = 0
    for word in candidate.split(" "):
        bare = word.rstrip(".")
        if re.fullmatch(_PARTICLE, word) or (len(bare) == 1 and bare.isupper()):
            position += len(word) + 1
            continue
        if not _name_word(word):
            break
        names += 1
        position += len(word)
        end = position
        position += 1
    return end if names >= 2 else 0


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name: a capital, then small letters (`O'Brien`,
    `Jean-Luc`), and not a word of code or prose (`Default`, `Value`)."""
    parts = re.split("['\u2019\\-]", word)
    return word not in _NOT_NAMES and all(
        part[:1].isupper() and (part[1:].islower() or not part[1:]) for part in parts if part
    )
