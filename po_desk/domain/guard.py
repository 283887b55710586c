"""The anonymisation guard: finds what could identify a client in free text.

Hard hits (`block`) may never be saved: personnummer, samordningsnummer, e-mail addresses
and Swedish phone numbers. Warnings (`warn`) need the user's confirmation: numbers shaped
like an ID that fail its checks, street addresses, postnummer with postort and likely
personal names. Dates, diarienummer, SFS numbers, amounts and uppdrag codes are left alone.
Callers may log the kind of a finding, never the text it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from po_desk.domain.person_names import COMMON_FIRST_NAMES, PLACE_NAMES, SURNAME_ENDINGS


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    start: int
    end: int


KIND_LABELS: dict[str, str] = {
    "personnummer": "personnummer",
    "samordningsnummer": "samordningsnummer",
    "epost": "e-postadress",
    "telefon": "telefonnummer",
    "id_nummer": "nummer som liknar ett personnummer",
    "adress": "gatuadress",
    "postadress": "postnummer och postort",
    "namn": "möjligt personnamn",
}

_ID_NUMBER = re.compile(
    r"(?<![\d\w])(?P<birth>(?:19|20)?\d{6})(?P<sep>[-+ ]?)(?P<tail>\d{4})(?![\d\w])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\d\w+])(?:\+46|0046)[\s-]?(?:\(0\)\s?)?\d{1,3}(?:[\s-]?\d{2,4}){1,4}(?![\d])"
)
_PHONE_DOMESTIC = re.compile(r"(?<![\d\w\-/:.,+])0\d{1,3}(?:[\s-]?\d{2,3}){1,4}(?![\d\-/:]|[.,]\d)")
_STREET_SUFFIXES = (
    "gatan|gata|vägen|väg|gränd|gränden|torget|torg|plan|allé|allén|stigen|backen|leden|"
    "esplanaden|kajen|platsen|promenaden|stråket"
)
_STREET_ADDRESS = re.compile(
    rf"\b[A-Za-zÅÄÖåäöÉé]+(?:{_STREET_SUFFIXES})\s+\d{{1,4}}\s?[A-Za-z]?\b", re.IGNORECASE
)
_POSTAL_ADDRESS = re.compile(r"(?<![\d\w])\d{3}\s?\d{2}\s+[A-ZÅÄÖ][a-zåäöé]{2,}")
_CAPITALISED_WORD = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?\b")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _birth_date_kind(birth: str) -> str | None:
    """'personnummer' or 'samordningsnummer' when the birth part is a real date."""
    if len(birth) == 8:
        centuries = [int(birth[:2]) * 100]
        birth = birth[2:]
    else:
        centuries = [1900, 2000]
    year_in_century, month, day = int(birth[:2]), int(birth[2:4]), int(birth[4:6])
    for century in centuries:
        year = century + year_in_century
        if _real_date(year, month, day):
            return "personnummer"
        if day > 60 and _real_date(year, month, day - 60):
            return "samordningsnummer"
    return None


def _id_numbers(text: str) -> list[Finding]:
    findings = []
    for match in _ID_NUMBER.finditer(text):
        birth, separator, tail = match.group("birth"), match.group("sep"), match.group("tail")
        kind = _birth_date_kind(birth)
        ten_digits = birth[-6:] + tail
        if kind is not None and luhn_valid(ten_digits):
            findings.append(Finding(kind, Severity.BLOCK, match.start(), match.end()))
        elif kind is not None or (separator in "-+" and separator):
            # A real date with a bad check digit, or the classic YYMMDD-NNNN shape:
            # probably a mistyped or partial ID number.
            findings.append(Finding("id_nummer", Severity.WARN, match.start(), match.end()))
    return findings


def _digit_count(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _phones(text: str) -> list[Finding]:
    findings = []
    for match in _PHONE_INTERNATIONAL.finditer(text):
        if 9 <= _digit_count(match.group()) <= 13:
            findings.append(Finding("telefon", Severity.BLOCK, match.start(), match.end()))
    for match in _PHONE_DOMESTIC.finditer(text):
        if 8 <= _digit_count(match.group()) <= 10:
            findings.append(Finding("telefon", Severity.BLOCK, match.start(), match.end()))
    return findings


def _pattern_findings(pattern: re.Pattern[str], kind: str, severity: Severity, text: str):
    return [Finding(kind, severity, m.start(), m.end()) for m in pattern.finditer(text)]


def _names(text: str) -> list[Finding]:
    findings = []
    for match in _CAPITALISED_WORD.finditer(text):
        word = match.group()
        if word in PLACE_NAMES:
            continue
        first_part = word.split("-")[0]
        is_first_name = first_part in COMMON_FIRST_NAMES
        is_surname = word.lower().endswith(SURNAME_ENDINGS) and len(word) > 5
        if is_first_name or is_surname:
            findings.append(Finding("namn", Severity.WARN, match.start(), match.end()))
    return findings


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keeps the most serious finding where several cover the same characters."""
    ranked = sorted(findings, key=lambda f: (f.severity != Severity.BLOCK, f.start, -f.end))
    kept: list[Finding] = []
    for finding in ranked:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


def scan(text: str) -> list[Finding]:
    """All findings in a free text, ordered by position, without overlaps."""
    if not text:
        return []
    findings = (
        _id_numbers(text)
        + _pattern_findings(_EMAIL, "epost", Severity.BLOCK, text)
        + _phones(text)
        + _pattern_findings(_STREET_ADDRESS, "adress", Severity.WARN, text)
        + _pattern_findings(_POSTAL_ADDRESS, "postadress", Severity.WARN, text)
        + _names(text)
    )
    return _without_overlaps(findings)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == Severity.BLOCK]


def describe(findings: list[Finding]) -> str:
    """A Swedish summary naming the kinds found, never the text itself."""
    kinds: list[str] = []
    for finding in findings:
        label = KIND_LABELS.get(finding.kind, finding.kind)
        if label not in kinds:
            kinds.append(label)
    return ", ".join(kinds)
