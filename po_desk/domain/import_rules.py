"""Reading one row of an uppdrag import file (DESIGN §5): header names, value spellings,
prefixes of kontaktorsaker, dates. Pure: the file itself is read in services."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from po_desk.domain import categories
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.uppdrag import (
    EARLIEST_DATE,
    FIRST_KOD_YEAR,
    MAX_KOD_NUMBER,
    Uppdrag,
    normalise_kod,
)

REQUIRED = ("kon", "fodelsear", "kommun", "start", "barn", "kontaktorsaker")
OPTIONAL = ("kod", "anmald", "slut", "hanvisad_fran", "avslutsorsak", "tidigare_kod")
HEADER_ALIASES = {
    "kod": "kod",
    "kon": "kon",
    "fodelsear": "fodelsear",
    "kommun": "kommun",
    "anmald": "anmald",
    "anmalningsdatum": "anmald",
    "start": "start",
    "startdatum": "start",
    "slut": "slut",
    "slutdatum": "slut",
    "barn": "barn",
    "hemmavarandebarn": "barn",
    "kontaktorsaker": "kontaktorsaker",
    "kontaktorsak": "kontaktorsaker",
    "hanvisadfran": "hanvisad_fran",
    "avslutsorsak": "avslutsorsak",
    # Återkommande klient: the kod of an earlier uppdrag of the same person.
    "tidigarekod": "tidigare_kod",
}
# Compared after `fold`, so "Män", "MAN" and "man" are one spelling.
KON_SPELLINGS = {
    "kvinna": "kvinna", "k": "kvinna", "kvinnor": "kvinna",
    "man": "man", "m": "man",
    "annan": "annan", "a": "annan", "annat": "annan",
}  # fmt: skip
BARN_SPELLINGS = {
    "nej": "nej", "": "nej", "0": "nej",
    "helt": "helt", "ja helt": "helt", "ja, helt": "helt",
    "delvis": "delvis", "ja delvis": "delvis", "ja, delvis": "delvis",
}  # fmt: skip
SEPARATOR = "|"
# Only the ISO form with ASCII digits; `date.fromisoformat` alone also takes `20250115`
# and `2025-W03-1`, and `\d` takes digits of every script.
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
YEAR = re.compile(r"^[0-9]{4}$")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without diacritics or spaces: how headers and values are compared.
    Cached: an import folds the same few category names tens of thousands of times."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def header_key(name: str) -> str | None:
    return HEADER_ALIASES.get("".join(fold(name).replace("_", " ").split()))


def match_category(value: str, entries: tuple[Category, ...]) -> str | None:
    """The code a name, id or unambiguous prefix stands for; None when unknown or ambiguous."""
    wanted = fold(value)
    if not wanted:
        return None
    for entry in entries:
        if wanted in (fold(entry.name), fold(entry.code)):
            return entry.code
    hits = {e.code for e in entries if fold(e.name).startswith(wanted) or e.code.startswith(wanted)}
    return hits.pop() if len(hits) == 1 else None


def parse_date(value: object, label: str, problems: list[str]) -> date | None:
    """An ISO date written as text, or a real date cell of Excel; nothing else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            problems.append(f"{label} '{value}' har ett klockslag; ange bara datum")
            return None
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        try:
            if not ISO_DATE.match(text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            problems.append(f"{label} '{value}' är inget datum på formen ÅÅÅÅ-MM-DD")
            return None
    if day < EARLIEST_DATE:
        problems.append(f"{label} {day.isoformat()} ligger före {EARLIEST_DATE.year}")
        return None
    return day


def parse_year(value: object, problems: list[str]) -> int:
    """Four ASCII digits, or a whole number cell of Excel."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value).strip()
    if YEAR.match(text):
        return int(text)
    problems.append(f"födelseår '{text}' är inget årtal")
    return 0


@dataclass(frozen=True)
class ParsedRow:
    number: int
    uppdrag: Uppdrag | None
    problems: tuple[str, ...]


# The kontaktorsaker in the reference order (the positions worked out once, not per row).
_IN_KONTAKTORSAK_ORDER = categories.orderer(categories.KONTAKTORSAKER)


def parse_row(
    number: int,
    raw: dict[str, object],
    kommun_ids: dict[str, str],
    today: date | None = None,
    spellings: Mapping[CategoryKind, tuple[Category, ...]] | None = None,
) -> ParsedRow:
    """One file row (number as the spreadsheet shows it) into an Uppdrag, or its problems.
    `spellings`: the names the store's entries have had, per kind (the defaults without)."""
    today = today or date.today()
    spelled = dict(categories.DEFAULTS)
    spelled.update(spellings or {})
    problems: list[str] = []

    def text(key: str) -> str:
        value = raw.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    kon = KON_SPELLINGS.get(fold(text("kon")))
    if kon is None:
        problems.append(f"kön '{text('kon')}' ska vara kvinna, man eller annan")
    fodelsear = parse_year(raw.get("fodelsear"), problems)
    kommun_id = kommun_ids.get(fold(text("kommun")))
    if kommun_id is None:
        problems.append(f"kommunen '{text('kommun')}' är inte en av verksamhetens")
    barn = BARN_SPELLINGS.get(text("barn").casefold())
    if barn is None:
        problems.append(f"barn '{text('barn')}' ska vara nej, helt eller delvis")
    orsaker = []
    for part in text("kontaktorsaker").split(SEPARATOR):
        if not part.strip():
            continue
        code = match_category(part, spelled[CategoryKind.KONTAKTORSAK])
        if code is None:
            problems.append(f"kontaktorsaken '{part.strip()}' är okänd eller tvetydig")
        else:
            orsaker.append(code)
    optional_codes = {}
    for key, entries, label in (
        ("hanvisad_fran", spelled[CategoryKind.HANVISAD_FRAN], "hänvisad från"),
        ("avslutsorsak", spelled[CategoryKind.AVSLUTSORSAK], "avslutsorsak"),
    ):
        value = text(key)
        optional_codes[key] = match_category(value, entries) if value else None
        if value and optional_codes[key] is None:
            problems.append(f"{label} '{value}' är okänd")
    start = parse_date(raw.get("start"), "start", problems)
    if start is None and not any(p.startswith("start") for p in problems):
        problems.append("start saknas")
    anmald = parse_date(raw.get("anmald"), "anmäld", problems)
    slut = parse_date(raw.get("slut"), "slut", problems)
    kod = text("kod")
    if kod:
        canonical = normalise_kod(kod, "", today)
        if canonical is None:
            # The text is not repeated: a bad code may be a personnummer.
            problems.append(
                f"koden ska ha formen ÅÅÅÅ-NNN med ett år från {FIRST_KOD_YEAR} till "
                f"{today.year} och ett nummer upp till {MAX_KOD_NUMBER}"
            )
        kod = canonical or ""
    if problems or kon is None or start is None or kommun_id is None or barn is None:
        return ParsedRow(number, None, tuple(problems))
    uppdrag = Uppdrag(
        kod=kod,
        kon=kon,
        fodelsear=fodelsear,
        kommun_id=kommun_id,
        start=start,
        anmald=anmald,
        slut=slut,
        barn=barn,
        kontaktorsaker=_IN_KONTAKTORSAK_ORDER(orsaker),
        hanvisad_fran=optional_codes["hanvisad_fran"],
        avslutsorsak=optional_codes["avslutsorsak"],
        tidigare_kod=text("tidigare_kod") or None,
    )
    return ParsedRow(number, uppdrag, ())


def missing_headers(keys: set[str]) -> list[str]:
    return [key for key in REQUIRED if key not in keys]
