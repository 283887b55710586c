"""Väntetider (DESIGN §4): the kö figures of a year and the figures of today.

An uppdrag counts as started through the kö when it has an anmäld date; its väntetid is
start − anmäld in days. Anmälningar that never became an uppdrag (still waiting,
återtagna, ej aktuella) count for whether there was a kö and who waited on 31 December.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from po_desk.domain import intagningsstopp
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, KoStatus, deciding_ground
from po_desk.domain.uppdrag import Uppdrag

BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    ("181-365", 181, 365),
    (">365", 366, None),
)


@dataclass(frozen=True)
class WaitSummary:
    antal: int
    min: int | None
    median: float | None
    max: int | None


@dataclass(frozen=True)
class YearKoFigures:
    year: int
    hade_ko: bool
    vantande_31_dec: int
    startade_fran_ko: WaitSummary
    fordelning: dict[str, int]
    intagningsstopp_dagar: int


@dataclass(frozen=True)
class CurrentKoFigures:
    vantande: int
    median_vantat: float | None
    langst_vantat: int | None
    startade_12_man: WaitSummary
    per_grund: dict[str, int]  # waiting by deciding ground; "" for none met


def bin_of(days: int) -> str:
    for label, low, high in BINS:
        if days >= low and (high is None or days <= high):
            return label
    return BINS[0][0]


def summarise(days: list[int]) -> WaitSummary:
    if not days:
        return WaitSummary(0, None, None, None)
    median = statistics.median(days)
    return WaitSummary(len(days), min(days), float(median), max(days))


def waiting_time(uppdrag: Uppdrag) -> int | None:
    if uppdrag.anmald is None:
        return None
    return max(0, (uppdrag.start - uppdrag.anmald).days)


def _wait_intervals(anmalningar: list[Anmalan], uppdrag: list[Uppdrag]):
    """(anmäld, end or None) for every wait, each person once."""
    for anmalan in anmalningar:
        if anmalan.status != KoStatus.PABORJAD:  # påbörjade are counted via their uppdrag
            yield anmalan.anmald, anmalan.wait_end()
    for item in uppdrag:
        if item.anmald is not None:
            yield item.anmald, item.start


def waiting_on(anmalningar: list[Anmalan], uppdrag: list[Uppdrag], day: date) -> int:
    """How many people were in the kö at the end of `day`."""
    return sum(
        1
        for anmald, end in _wait_intervals(anmalningar, uppdrag)
        if anmald <= day and (end is None or end > day)
    )


def year_figures(
    anmalningar: list[Anmalan],
    uppdrag: list[Uppdrag],
    stopp: list[Intagningsstopp],
    year: int,
) -> YearKoFigures:
    first, last = date(year, 1, 1), date(year, 12, 31)
    hade_ko = any(
        anmald <= last and (end is None or end > first)
        for anmald, end in _wait_intervals(anmalningar, uppdrag)
        if end is None or end > anmald  # started the same day: no wait
    )
    days = [w for u in uppdrag if u.start.year == year and (w := waiting_time(u)) is not None]
    bins = Counter(bin_of(d) for d in days)
    return YearKoFigures(
        year=year,
        hade_ko=hade_ko,
        vantande_31_dec=waiting_on(anmalningar, uppdrag, last),
        startade_fran_ko=summarise(days),
        fordelning={label: bins.get(label, 0) for label, _, _ in BINS},
        intagningsstopp_dagar=intagningsstopp.days_in_year(stopp, year),
    )


def current_figures(
    anmalningar: list[Anmalan],
    uppdrag: list[Uppdrag],
    order: tuple[str, ...],
    today: date,
) -> CurrentKoFigures:
    waiting = [a for a in anmalningar if a.is_waiting and a.anmald <= today]
    waited = [a.days_waited(today) for a in waiting]
    since = today - timedelta(days=365)
    started = [
        w for u in uppdrag if since < u.start <= today and (w := waiting_time(u)) is not None
    ]
    per_grund = Counter(deciding_ground(a, order, today) or "" for a in waiting)
    return CurrentKoFigures(
        vantande=len(waiting),
        median_vantat=float(statistics.median(waited)) if waited else None,
        langst_vantat=max(waited) if waited else None,
        startade_12_man=summarise(started),
        per_grund=dict(per_grund),
    )
