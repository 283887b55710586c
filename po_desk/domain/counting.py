"""The counting rules of DESIGN §4, in one place: who was active, new, ended and
remaining in a period. The return, the underlag and the Översikt all count through here.

A klient is a person; an uppdrag is one period of support. Persons are counted, not
uppdrag: two periods of one person in a year count once.
- active in a period: an uppdrag with start ≤ last day and slut empty or ≥ first day;
- ny: active in the period, with no uppdrag active in the period before (for a year Y:
  in Y−1);
- avslutad: active in the period, with no uppdrag still open after its last day;
- kvarstående: active with an uppdrag still open after the last day (an uppdrag that ended
  on 31 December ended in that year, as the returns have always counted it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from po_desk.domain.uppdrag import Uppdrag, person_key

KON_CODES = ("kvinna", "man", "annan")


def overlaps(uppdrag: Uppdrag, first: date, last: date) -> bool:
    return uppdrag.start <= last and (uppdrag.slut is None or uppdrag.slut >= first)


def open_after(uppdrag: Uppdrag, day: date) -> bool:
    """Started by `day` and not ended by it: continues after `day`."""
    return uppdrag.start <= day and (uppdrag.slut is None or uppdrag.slut > day)


def is_active_on(uppdrag: Uppdrag, day: date) -> bool:
    return uppdrag.start <= day and (uppdrag.slut is None or uppdrag.slut >= day)


def by_person(items: list[Uppdrag]) -> dict[str, list[Uppdrag]]:
    """Every person's uppdrag, oldest first."""
    grouped: dict[str, list[Uppdrag]] = defaultdict(list)
    for item in sorted(items, key=lambda u: u.start):
        grouped[person_key(item)].append(item)
    return dict(grouped)


@dataclass(frozen=True)
class Person:
    """One klient as counted in a period: the periods active in it, the latest last."""

    key: str
    periods: tuple[Uppdrag, ...]

    @property
    def latest(self) -> Uppdrag:
        return self.periods[-1]

    @property
    def kon(self) -> str:
        return self.latest.kon

    @property
    def fodelsear(self) -> int:
        return self.latest.fodelsear


@dataclass(frozen=True)
class PeriodCount:
    """The persons of a period, sorted into the groups the reports count."""

    first: date
    last: date
    active: tuple[Person, ...]
    nya: tuple[Person, ...]
    avslutade: tuple[Person, ...]
    kvarstaende: tuple[Person, ...]

    def started_in_period(self, person: Person) -> tuple[Uppdrag, ...]:
        return tuple(u for u in person.periods if self.first <= u.start <= self.last)


def count_period(
    items: list[Uppdrag], first: date, last: date, previous: tuple[date, date] | None = None
) -> PeriodCount:
    """Counts persons over `first`–`last`; `previous` is the period a ny had no uppdrag
    in (by default the same number of days just before)."""
    if previous is None:
        previous = (first - (last - first) - timedelta(days=1), first - timedelta(days=1))
    active, nya, avslutade, kvarstaende = [], [], [], []
    for key, periods in by_person(items).items():
        in_period = tuple(u for u in periods if overlaps(u, first, last))
        if not in_period:
            continue
        person = Person(key, in_period)
        active.append(person)
        if not any(overlaps(u, *previous) for u in periods):
            nya.append(person)
        if any(open_after(u, last) for u in periods):
            kvarstaende.append(person)
        else:
            avslutade.append(person)
    return PeriodCount(first, last, tuple(active), tuple(nya), tuple(avslutade), tuple(kvarstaende))


def count_year(items: list[Uppdrag], year: int) -> PeriodCount:
    """DESIGN §4 for year Y; needs every uppdrag active in Y−1 or later."""
    return count_period(
        items, date(year, 1, 1), date(year, 12, 31), (date(year - 1, 1, 1), date(year - 1, 12, 31))
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    klienter: int
    nya: int
    avslutade: int
    kvarstaende: int
    per_kon: dict[str, int]


def year_figures(items: list[Uppdrag], year: int) -> YearFigures:
    counted = count_year(items, year)
    per_kon = Counter(p.kon for p in counted.active)
    return YearFigures(
        year=year,
        klienter=len(counted.active),
        nya=len(counted.nya),
        avslutade=len(counted.avslutade),
        kvarstaende=len(counted.kvarstaende),
        per_kon={kon: per_kon.get(kon, 0) for kon in KON_CODES},
    )


def active_persons_on(items: list[Uppdrag], day: date) -> list[Uppdrag]:
    """The uppdrag active on `day`, one per person (a person has one at a time)."""
    found: dict[str, Uppdrag] = {}
    for item in items:
        if is_active_on(item, day):
            found[person_key(item)] = item
    return list(found.values())


def active_on(items: list[Uppdrag], day: date) -> int:
    return len(active_persons_on(items, day))


def active_by(items: list[Uppdrag], day: date, key: str) -> dict[str, int]:
    """Persons active on `day` counted by an attribute such as `ombud_id` or `kommun_id`."""
    counts: Counter[str] = Counter()
    for u in active_persons_on(items, day):
        counts[getattr(u, key) or ""] += 1
    return dict(counts)
