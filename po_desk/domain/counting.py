"""Counting rules of DESIGN §4 over uppdrag (the parts the Översikt shows so far)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from po_desk.domain.uppdrag import Uppdrag, active_during


@dataclass(frozen=True)
class YearFigures:
    year: int
    klienter: int
    nya: int
    avslutade: int
    kvarstaende: int
    per_kon: dict[str, int]


def year_figures(items: list[Uppdrag], year: int) -> YearFigures:
    during = [u for u in items if active_during(u, year)]
    nya = sum(1 for u in during if u.start.year == year)
    avslutade = sum(1 for u in during if u.slut is not None and u.slut.year == year)
    per_kon = Counter(u.kon for u in during)
    return YearFigures(
        year=year,
        klienter=len(during),
        nya=nya,
        avslutade=avslutade,
        kvarstaende=len(during) - avslutade,
        per_kon={kon: per_kon.get(kon, 0) for kon in ("kvinna", "man", "annan")},
    )


def is_active_on(uppdrag: Uppdrag, day: date) -> bool:
    return uppdrag.start <= day and (uppdrag.slut is None or uppdrag.slut >= day)


def active_on(items: list[Uppdrag], day: date) -> int:
    return sum(1 for u in items if is_active_on(u, day))


def active_by(items: list[Uppdrag], day: date, key: str) -> dict[str, int]:
    """Active uppdrag on `day` counted by an attribute such as `ombud_id` or `kommun_id`."""
    counts: Counter[str] = Counter()
    for u in items:
        if is_active_on(u, day):
            counts[getattr(u, key) or ""] += 1
    return dict(counts)
