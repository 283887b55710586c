"""The anonymised uppdrag: its fields, its validation rules and derived values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from po_desk.domain import categories
from po_desk.domain.categories import CategoryKind

MINIMUM_AGE = 18
OLDEST_PLAUSIBLE_AGE = 110

AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("18-29", 18, 29),
    ("30-49", 30, 49),
    ("50-64", 50, 64),
    ("65+", 65, None),
)

# ASCII digits only: `\d` would also take fullwidth and Arabic-Indic digits.
KOD_PATTERN = re.compile(r"^([A-Z]?)([0-9]{4})-([0-9]{3,})$")
# What a code from outside (an import or merge file) may look like before it is normalised.
KOD_INPUT = re.compile(r"^([A-Z]?)([0-9]{4})-([0-9]{1,5})$")
FIRST_KOD_YEAR = 1995  # personligt ombud began as a trial in 1995
MAX_KOD_NUMBER = 9999
# The earliest date an uppdrag or anmälan can plausibly carry.
EARLIEST_DATE = date(FIRST_KOD_YEAR, 1, 1)


@dataclass(frozen=True)
class BarnAndring:
    """Hemmavarande barn changed during the uppdrag: `barn` from `fran` on."""

    fran: date
    barn: str


@dataclass
class Uppdrag:
    """One continuous engagement with one person; holds no name and no personnummer."""

    kon: str
    fodelsear: int
    kommun_id: str
    start: date
    kontaktorsaker: tuple[str, ...]
    barn: str = "nej"
    ombud_id: str | None = None
    anmald: date | None = None
    slut: date | None = None
    avslutsorsak: str | None = None
    hanvisad_fran: str | None = None
    prioritetsgrunder: tuple[str, ...] = ()
    anteckning: str | None = None
    kod: str = ""
    id: str | None = None
    # The person (klient) this period belongs to; None for a new person.
    klient_id: str | None = None
    # Återkommande klient: the kod of an earlier uppdrag of the same person (input only).
    tidigare_kod: str | None = None
    # Dated changes of `barn` (the value at start) during the period, oldest first.
    barn_andringar: tuple[BarnAndring, ...] = ()
    updated_at: str | None = field(default=None, compare=False)
    # The row version the user loaded (None: new, or saved without a check); a save
    # whose version is no longer the stored one is a ConflictError.
    version: int | None = field(default=None, compare=False)

    @property
    def is_active(self) -> bool:
        return self.slut is None


def barn_on(uppdrag: Uppdrag, day: date) -> str:
    """Hemmavarande barn in force on `day`."""
    value = uppdrag.barn
    for change in uppdrag.barn_andringar:
        if change.fran <= day:
            value = change.barn
    return value


def barn_during(uppdrag: Uppdrag, first: date, last: date) -> bool:
    """Had hemmavarande barn (helt or delvis) on some day of `first`–`last` within the
    uppdrag: a past year counts the barn in force then."""
    start = max(uppdrag.start, first)
    end = min(uppdrag.slut or last, last)
    if end < start:
        return False
    values = [barn_on(uppdrag, start)]
    values += [c.barn for c in uppdrag.barn_andringar if start < c.fran <= end]
    return any(value in ("helt", "delvis") for value in values)


def with_barn(uppdrag: Uppdrag, fran: date, barn: str) -> Uppdrag:
    """The uppdrag with barn changed from `fran` (from the start: the value at start)."""
    if fran <= uppdrag.start:
        kept = tuple(c for c in uppdrag.barn_andringar if c.fran > uppdrag.start)
        return replace(uppdrag, barn=barn, barn_andringar=kept)
    kept = tuple(c for c in uppdrag.barn_andringar if c.fran != fran)
    changes = tuple(sorted((*kept, BarnAndring(fran, barn)), key=lambda c: c.fran))
    return replace(uppdrag, barn_andringar=changes)


def active_during(uppdrag: Uppdrag, year: int) -> bool:
    """Active in the year: started by 31 Dec, not ended before 1 Jan (DESIGN §4)."""
    return uppdrag.start.year <= year and (uppdrag.slut is None or uppdrag.slut.year >= year)


def person_key(uppdrag: Uppdrag) -> str:
    """Who the uppdrag is for: its klient, or the uppdrag itself when not yet linked."""
    return uppdrag.klient_id or uppdrag.id or uppdrag.kod or str(id(uppdrag))


def link_problems(new: Uppdrag, others: list[Uppdrag]) -> list[str]:
    """The rules for one period of a person with other uppdrag (`others`, the klient's
    other periods): the same kön and födelseår, and no two periods at the same time.
    History is never rewritten: a person who comes back gets a period after the last."""
    problems = []
    if others:
        person = others[-1]
        if (new.kon, new.fodelsear) != (person.kon, person.fodelsear):
            problems.append(
                "Kön och födelseår ska vara desamma som i klientens tidigare uppdrag "
                f"({person.kod}: {person.kon}, {person.fodelsear})."
            )
    for other in others:
        if other.start <= (new.slut or date.max) and (other.slut or date.max) >= new.start:
            if other.slut is None:
                problems.append(f"Klientens uppdrag {other.kod} pågår; avsluta det först.")
            else:
                problems.append(
                    f"Uppdraget överlappar klientens uppdrag {other.kod} "
                    f"({other.start.isoformat()}–{other.slut.isoformat()}); "
                    "en klient har ett uppdrag i taget."
                )
    return problems


def age_in_year(fodelsear: int, year: int) -> int:
    return year - fodelsear


def age_group(age: int) -> str | None:
    """The report's åldersgrupp for an age, or None below 18."""
    for label, low, high in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return label
    return None


# The fixed code lists the rules check every record against (sets: an import checks
# ten thousand records).
_KON_CODES = frozenset(categories.codes(categories.KON))
_KONTAKTORSAK_CODES = frozenset(categories.codes(categories.KONTAKTORSAKER))
_BARN_CODES = frozenset(categories.codes(categories.BARN))


def person_problems(
    kon: str,
    fodelsear: int,
    kommun_id: str,
    kontaktorsaker: tuple[str, ...],
    year_of_age: int,
    kommun_ids: set[str],
    today: date,
) -> list[str]:
    """The rules an uppdrag and a kö-anmälan share: who the person is, in counted facts."""
    errors: list[str] = []
    if kon not in _KON_CODES:
        errors.append("Välj kön: kvinna, man eller annan.")
    oldest = today.year - OLDEST_PLAUSIBLE_AGE
    if not oldest <= fodelsear <= today.year:
        errors.append(f"Födelseår måste vara ett årtal mellan {oldest} och {today.year}.")
    elif age_in_year(fodelsear, year_of_age) < MINIMUM_AGE:
        errors.append("Personen måste vara 18 år eller äldre.")
    if kommun_id not in kommun_ids:
        errors.append("Välj en av verksamhetens kommuner.")
    if not kontaktorsaker:
        errors.append("Välj minst en kontaktorsak.")
    if not _KONTAKTORSAK_CODES.issuperset(kontaktorsaker):
        errors.append("Okänd kontaktorsak.")
    return errors


def category_codes(
    uppdrag: Uppdrag | None,
) -> tuple[tuple[CategoryKind, tuple[str | None, ...], date | None], ...]:
    """The uppdrag's codes per category kind with the day each is chosen for: the start,
    the slut for the avslutsorsak (none for no uppdrag)."""
    if uppdrag is None:
        return ()
    start = uppdrag.start
    return (
        (CategoryKind.KONTAKTORSAK, uppdrag.kontaktorsaker, start),
        (CategoryKind.PRIORITETSGRUND, uppdrag.prioritetsgrunder, start),
        (CategoryKind.HANVISAD_FRAN, (uppdrag.hanvisad_fran,), start),
        (CategoryKind.AVSLUTSORSAK, (uppdrag.avslutsorsak,), uppdrag.slut or start),
    )


def validate(uppdrag: Uppdrag, kommun_ids: set[str], today: date) -> list[str]:
    """Every rule an uppdrag must meet before it is saved, as Swedish messages."""
    errors = person_problems(
        uppdrag.kon,
        uppdrag.fodelsear,
        uppdrag.kommun_id,
        uppdrag.kontaktorsaker,
        uppdrag.start.year,
        kommun_ids,
        today,
    )
    barn_values = [uppdrag.barn, *(c.barn for c in uppdrag.barn_andringar)]
    if any(value not in _BARN_CODES for value in barn_values):
        errors.append("Ange om det finns hemmavarande barn: nej, ja helt eller ja delvis.")
    for change in uppdrag.barn_andringar:
        if change.fran <= uppdrag.start or change.fran > (uppdrag.slut or today):
            errors.append("En ändring av hemmavarande barn ska ligga inom uppdraget.")
            break
    if uppdrag.start > today:
        errors.append("Startdatum kan inte ligga i framtiden.")
    if uppdrag.anmald is not None and uppdrag.anmald > uppdrag.start:
        errors.append("Anmäld kan inte vara efter start.")
    if uppdrag.slut is not None:
        if uppdrag.slut < uppdrag.start:
            errors.append("Slutdatum kan inte vara före startdatum.")
        if uppdrag.slut > today:
            errors.append("Slutdatum kan inte ligga i framtiden.")
    elif uppdrag.avslutsorsak:
        errors.append("Avslutsorsak anges bara när uppdraget har ett slutdatum.")
    for label, day in (("Startdatum", uppdrag.start), ("Anmäld", uppdrag.anmald),
                       ("Slutdatum", uppdrag.slut)):  # fmt: skip
        if day is not None and day < EARLIEST_DATE:
            errors.append(f"{label} {day.isoformat()} ligger före {EARLIEST_DATE.year}.")
    # Codes are given by the program; codes from outside (import, merge) must also pass
    # `kod_problems`. Here only the shape, so a row imported before that rule stays editable.
    kod_match = KOD_PATTERN.match(uppdrag.kod) if uppdrag.kod else None
    if uppdrag.kod and (kod_match is None or kod_match.group(1)):
        errors.append("Koden ska ha formen ÅÅÅÅ-NNN, till exempel 2025-017.")
    return errors


def normalise_kod(text: str, prefix: str, today: date) -> str | None:
    """The one canonical form of a code given from outside (`2025-0500` → `2025-500`), or
    None when it is not a plausible code: ASCII digits, a year from 1995 to this year, and
    a number from 1 to 9999."""
    match = KOD_INPUT.match(text.strip())
    if match is None or match.group(1) != prefix:
        return None
    year, number = int(match.group(2)), int(match.group(3))
    if not FIRST_KOD_YEAR <= year <= today.year or not 1 <= number <= MAX_KOD_NUMBER:
        return None
    return format_kod(year, number, prefix)


def kod_problems(kod: str, prefix: str, today: date) -> list[str]:
    """The code rule for every code that comes from outside: canonical and plausible."""
    if normalise_kod(kod, prefix, today) == kod:
        return []
    example = f"{prefix}{today.year}-017"
    return [
        f"Koden ska ha formen {prefix}ÅÅÅÅ-NNN med ett år från {FIRST_KOD_YEAR} till "
        f"{today.year} och ett nummer upp till {MAX_KOD_NUMBER}, till exempel {example}."
    ]


def highest_numbers(existing: Iterable[str], prefix: str = "") -> dict[int, int]:
    """The highest number in use per year among codes with `prefix`."""
    highest: dict[int, int] = {}
    for kod in existing:
        match = KOD_PATTERN.match(kod)
        if match and match.group(1) == prefix:
            year, number = int(match.group(2)), int(match.group(3))
            highest[year] = max(highest.get(year, 0), number)
    return highest


def format_kod(year: int, number: int, prefix: str = "") -> str:
    return f"{prefix}{year}-{number:03d}"


def next_kod(year: int, existing: Iterable[str], prefix: str = "") -> str:
    """The next free code of a year: `ÅÅÅÅ-NNN` (kö-anmälningar `KÅÅÅÅ-NNN`), numbered
    after the highest in use."""
    return format_kod(year, highest_numbers(existing, prefix).get(year, 0) + 1, prefix)


class CodeSequence:
    """Hands out new codes quickly when many rows are added in one go."""

    def __init__(self, existing: Iterable[str], prefix: str = "") -> None:
        self._prefix = prefix
        self._highest = highest_numbers(existing, prefix)

    def take(self, year: int) -> str:
        self._highest[year] = self._highest.get(year, 0) + 1
        return format_kod(year, self._highest[year], self._prefix)

    def note(self, kod: str) -> None:
        """Counts a code given explicitly, so later ones come after it."""
        for year, number in highest_numbers([kod], self._prefix).items():
            self._highest[year] = max(self._highest.get(year, 0), number)
