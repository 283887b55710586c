"""Intagningsstopp: periods when the verksamhet takes no one in from the kö."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Intagningsstopp:
    fran: date
    till: date | None = None  # None while the stop is in force until further notice
    orsak: str = ""
    id: str | None = None
    # The row version the user loaded (None: not checked); see errors.ConflictError.
    version: int | None = field(default=None, compare=False)

    def in_force(self, day: date) -> bool:
        return self.fran <= day and (self.till is None or self.till >= day)


def in_force(periods: list[Intagningsstopp], day: date) -> Intagningsstopp | None:
    active = [p for p in periods if p.in_force(day)]
    return max(active, key=lambda p: p.fran) if active else None


def days_in_year(periods: list[Intagningsstopp], year: int, today: date | None = None) -> int:
    """Days of the year covered by any stop (overlaps counted once); an open stop counts
    up to `today` when given, else to the end of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    covered: set[date] = set()
    for period in periods:
        end = period.till or (min(today, last) if today else last)
        start, stop = max(period.fran, first), min(end, last)
        day = start
        while day <= stop:
            covered.add(day)
            day += timedelta(days=1)
    return len(covered)


def validate(period: Intagningsstopp) -> list[str]:
    problems = []
    if period.till is not None and period.till < period.fran:
        problems.append("Intagningsstoppet kan inte sluta före det börjar.")
    if not period.orsak.strip():
        problems.append("Ange orsak till intagningsstoppet.")
    return problems
