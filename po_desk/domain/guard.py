"""The anonymisation guard: finds what could identify a client in free text.

Hard hits (`block`) may never be saved: personnummer, samordningsnummer, e-mail addresses
and Swedish phone numbers. Warnings (`warn`) need the user's confirmation: numbers shaped
like an ID that fail its checks, street addresses, postnummer with postort and likely
personal names. Dates, diarienummer, SFS numbers, amounts and uppdrag codes are left alone.
Callers may log the kind of a finding, never the text it covers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

from po_desk.domain.guard_text import fold
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

# Numbers must stand apart from other digits (not from letters: `pnr850101-1236` counts):
# no digit, and no digit joined by a separator, on either side.
_APART_BEFORE = r"(?<!\d)(?<!\d[-+/.:_])"
_APART_AFTER = r"(?!\d)(?![-+/.:_]\d)"
# Between the birth date and the last four: `-`, `+`, `--`, `/`, `.`, `_`, `:`, with a
# space either side, or a space alone (every dash and space class is folded first).
_TAIL_SEPARATOR = r"[ ]?(?:--?|\+|/|\.|_|:)[ ]?"
_ID_COMPACT = re.compile(
    _APART_BEFORE
    + rf"(?P<birth>\d{{8}}|\d{{6}})(?P<sep>{_TAIL_SEPARATOR}|[ ])?(?P<tail>\d{{4}})"
    + _APART_AFTER
)
# The dashed date form `1985-01-01-1236` (or dots, slashes, spaces inside the date).
_ID_DATED = re.compile(
    _APART_BEFORE
    + r"(?P<year>\d{4}|\d{2})(?P<datesep>[-./ ])(?P<month>\d{2})(?P=datesep)(?P<day>\d{2})"
    + rf"(?P<sep>{_TAIL_SEPARATOR})(?P<tail>\d{{4}})"
    + _APART_AFTER
)
_EMAIL_AT = r"(?:[ ]?@[ ]?|[ ]?[(\[{<][ ]?(?:at|snabel-?a)[ ]?[)\]}>][ ]?|[ ](?:at|snabel-?a)[ ])"
_EMAIL_DOT = r"(?:\.|[ ]?[(\[{<][ ]?(?:dot|punkt)[ ]?[)\]}>][ ]?|[ ](?:dot|punkt)[ ])"
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_EMAIL_AT}[\w-]+(?:{_EMAIL_DOT}[\w-]+)*?{_EMAIL_DOT}"
    r"[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_PHONE_GROUPS = r"(?:(?:[ ]?--?[ ]?|[ ]|[./])?\d{1,4}){1,5}"
_PHONE_INTERNATIONAL = re.compile(
    _APART_BEFORE
    + r"(?<![\w+])(?:\+|00)46[ -]?(?:\(0\)[ ]?)?\(?\d{1,3}\)?"
    + _PHONE_GROUPS
    + _APART_AFTER
)
# Apart also from a digit and a space: `2 050 000 000 kr` is an amount.
_PHONE_DOMESTIC = re.compile(
    _APART_BEFORE
    + r"(?<!\d[ ,])(?P<area>\(0[1-9]\d{0,2}\)|0[1-9]\d{0,2})"
    + _PHONE_GROUPS
    + _APART_AFTER
)
# Not phone numbers although shaped like one: what begins with a clock-time range
# (`0830-1615`, `08.30 – 10.00 20 personer`) and day-month-year dates (`01.02.2025`).
_TIME_RANGE = re.compile(
    r"\(?(?P<h1>\d{2})[.:]?(?P<m1>\d{2})\)?[ ]?--?[ ]?(?P<h2>\d{2})[.:]?(?P<m2>\d{2})(?!\d)"
)
_DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})(?P<s>[./-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})")
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
    return bool(luhn.is_valid(digits))


def _birth_date_valid(number: str) -> bool:
    """True when python-stdnum reads a real birth date from `number` (YYMMDD-NNNN or
    YYYYMMDD-NNNN)."""
    try:
        personnummer.get_birth_date(number)
    except ValidationError:
        return False
    return True


# Twelve-digit forms: born in the 1800s, 1900s or 2000s.
_CENTURIES = ("18", "19", "20")


def _id_kind(birth: str, tail: str) -> str | None:
    """'personnummer' or 'samordningsnummer' when the birth part is a real date.

    The date is read by python-stdnum. A ten-digit number is given the `-` separator, under
    which stdnum places it in the last hundred years; a month-day real in the other century
    is real in that one too. stdnum does not accept samordningsnummer (day + 60), so their
    birth day is moved back by 60 first.
    """
    if len(birth) == 8 and birth[:2] not in _CENTURIES:
        return None
    if _birth_date_valid(f"{birth}-{tail}"):
        return "personnummer"
    day = int(birth[-2:])
    if 61 <= day <= 91 and _birth_date_valid(f"{birth[:-2]}{day - 60:02d}-{tail}"):
        return "samordningsnummer"
    return None


def _blocked_kind(birth: str, tail: str) -> str | None:
    """The kind of a valid ID number: python-stdnum's personnummer check (date and Luhn
    check digit), or for a samordningsnummer the same checks on the shifted day."""
    if len(birth) == 8 and birth[:2] not in _CENTURIES:
        return None
    if personnummer.is_valid(f"{birth}-{tail}"):
        return "personnummer"
    kind = _id_kind(birth, tail)
    return kind if kind == "samordningsnummer" and luhn_valid(birth[-6:] + tail) else None


def _id_candidates(text: str) -> list[tuple[re.Match[str], str, str]]:
    candidates = [(m, m.group("birth"), m.group("sep") or "") for m in _ID_COMPACT.finditer(text)]
    for match in _ID_DATED.finditer(text):
        birth = match.group("year") + match.group("month") + match.group("day")
        candidates.append((match, birth, match.group("sep")))
    return candidates


def _id_numbers(text: str) -> list[Finding]:
    findings = []
    for match, birth, separator in _id_candidates(text):
        tail = match.group("tail")
        blocked = _blocked_kind(birth, tail)
        if blocked is not None:
            findings.append(Finding(blocked, Severity.BLOCK, match.start(), match.end()))
        elif _id_kind(birth, tail) is not None or separator.strip() in ("-", "+", "--"):
            # A real date with a bad check digit, or the classic YYMMDD-NNNN shape:
            # probably a mistyped or partial ID number.
            findings.append(Finding("id_nummer", Severity.WARN, match.start(), match.end()))
    return findings


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _starts_with_time_range(text: str) -> bool:
    match = _TIME_RANGE.match(text)
    return match is not None and all(
        int(match.group(hour)) < 24 and int(match.group(minute)) < 60
        for hour, minute in (("h1", "m1"), ("h2", "m2"))
    )


def _is_date(text: str) -> bool:
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return False
    year = int(match.group("y"))
    try:
        date(year if year > 99 else 2000 + year, int(match.group("m")), int(match.group("d")))
    except ValueError:
        return False
    return True


# Non-geographic service numbers (020 free numbers, 0770/0771 riksnummer, 0900/0939/0944
# premium numbers) belong to authorities and companies, never to a private person:
# `Försäkringskassan 0771-524 524` identifies no client.
_SERVICE_PREFIXES = ("020", "0770", "0771", "0900", "0939", "0944")


def _domestic_number_plausible(digits: str) -> bool:
    """Mobile numbers (07x) have ten digits, Stockholm (08) nine or ten, others eight to
    ten; service numbers are not a person's."""
    if digits.startswith(_SERVICE_PREFIXES):
        return False
    if digits.startswith("07"):
        return len(digits) == 10
    if digits.startswith("08"):
        return 9 <= len(digits) <= 10
    return 8 <= len(digits) <= 10


def _international_plausible(number: str) -> bool:
    return 9 <= len(_digits(number)) <= 13


def _domestic_plausible(number: str) -> bool:
    if _starts_with_time_range(number) or _is_date(number):
        return False
    return _domestic_number_plausible(_digits(number))


_GROUP_END = re.compile(r"\d\)?(?!\d)")


def _phone_length(number: str, plausible: Callable[[str], bool]) -> int | None:
    """The length of the longest plausible phone number at the start of a match, cut at a
    group of digits: `070-123 45 67 12 gånger` holds `070-123 45 67`."""
    for end in reversed([m.end() for m in _GROUP_END.finditer(number)]):
        if plausible(number[:end]):
            return end
    return None


def _phones(text: str) -> list[Finding]:
    findings = []
    for pattern, plausible in (
        (_PHONE_INTERNATIONAL, _international_plausible),
        (_PHONE_DOMESTIC, _domestic_plausible),
    ):
        for match in pattern.finditer(text):
            length = _phone_length(match.group(), plausible)
            if length is not None:
                start = match.start()
                findings.append(Finding("telefon", Severity.BLOCK, start, start + length))
    return findings


def _pattern_findings(
    pattern: re.Pattern[str], kind: str, severity: Severity, text: str
) -> list[Finding]:
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
    """All findings in a free text, ordered by position, without overlaps.

    The patterns run on the folded text (see guard_text); the spans point into `text`.
    """
    if not text:
        return []
    folded = fold(text)
    findings = _scan_folded(folded.text)
    return [Finding(f.kind, f.severity, *folded.span(f.start, f.end)) for f in findings]


def _scan_folded(text: str) -> list[Finding]:
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


_ANY_DIGIT = re.compile(r"\d")


def scan_blocking(text: str) -> list[Finding]:
    """The hard findings only: the same as `blocking(scan(text))` (a hard finding always
    wins an overlap with a warning), without the warning patterns, for readers that refuse
    rather than ask (a compilation reads hundreds of thousands of texts)."""
    if not text:
        return []
    folded = fold(text)
    hard = _pattern_findings(_EMAIL, "epost", Severity.BLOCK, folded.text)
    if _ANY_DIGIT.search(folded.text):  # ID and phone numbers are digits (after folding)
        hard += blocking(_id_numbers(folded.text) + _phones(folded.text))
    kept = _without_overlaps(hard)
    return [Finding(f.kind, f.severity, *folded.span(f.start, f.end)) for f in kept]


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
