"""Väntetider (DESIGN §4): the kö figures of a year and the figures of today.

An uppdrag counts as started through the kö when it has an anmäld date; its väntetid is
start − anmäld in days. Anmälningar that never became an uppdrag (still waiting,
återtagna, ej aktuella) count for whether there was a kö and who waited on 31 December.

"Hade kö" is the enhetschef's answer; the records only propose it: yes when a wait that
touched the year had lasted more than the threshold (default 30 days) by its end or by
31 December, or when an intagningsstopp was in force in the year.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
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


DEFAULT_THRESHOLD_DAYS = 30
# The reasons for a kö the enhetschef can give (the national report counts them).
KO_ORSAKER: tuple[tuple[str, str], ...] = (
    ("fler_sokande", "Fler sökande än ombud"),
    ("sjukfranvaro", "Sjukfrånvaro"),
    ("vakanser", "Vakanser"),
    ("annan", "Annan"),
)
# Where the enhetschef's kö answer is kept among the year's saved answers.
ANSWER_KEY = "hade_ko"
REASONS_KEY = "ko_orsaker"


@dataclass(frozen=True)
class KoAnswer:
    """The enhetschef's answer: None = not answered (the proposal stands)."""

    hade_ko: bool | None = None
    orsaker: tuple[str, ...] = ()


def answer_from(saved: dict[str, str]) -> KoAnswer:
    known = [code for code, _ in KO_ORSAKER]
    value = saved.get(ANSWER_KEY, "")
    reasons = {r for r in saved.get(REASONS_KEY, "").split(",") if r}
    return KoAnswer(
        hade_ko={"ja": True, "nej": False}.get(value),
        orsaker=tuple(code for code in known if code in reasons),
    )


def answer_to(answer: KoAnswer) -> dict[str, str]:
    value = "" if answer.hade_ko is None else ("ja" if answer.hade_ko else "nej")
    return {ANSWER_KEY: value, REASONS_KEY: ",".join(answer.orsaker)}


def answer_problems(answer: KoAnswer, proposal: bool) -> list[str]:
    problems = []
    if set(answer.orsaker) - {code for code, _ in KO_ORSAKER}:
        problems.append("Okänd orsak till kö.")
    answered = proposal if answer.hade_ko is None else answer.hade_ko
    if answer.orsaker and not answered:
        problems.append("Orsaker till kö anges bara när verksamheten hade kö.")
    return problems


@dataclass(frozen=True)
class KoBasis:
    """Why the records propose "hade kö" or not."""

    troskel_dagar: int
    over_troskel: int  # waits touching the year that lasted more than the threshold
    langsta_dagar: int | None  # the longest of those waits (by its end or 31 December)
    intagningsstopp_dagar: int

    @property
    def proposal(self) -> bool:
        return self.over_troskel > 0 or self.intagningsstopp_dagar > 0


@dataclass(frozen=True)
class KommunKoFigures:
    startade_fran_ko: WaitSummary
    vantande_31_dec: int
    vantande_langst_dagar: int | None


@dataclass(frozen=True)
class YearKoFigures:
    year: int
    hade_ko: bool  # the proposal from the records; the return carries the answer
    vantande_31_dec: int
    startade_fran_ko: WaitSummary
    fordelning: dict[str, int]
    intagningsstopp_dagar: int
    basis: KoBasis | None = None
    vantande_langst_dagar: int | None = None  # longest wait so far of those waiting 31 Dec
    per_kommun: dict[str, KommunKoFigures] | None = None  # by kommun id


@dataclass(frozen=True)
class CurrentKoFigures:
    vantande: int
    median_vantat: float | None
    langst_vantat: int | None
    startade_12_man: WaitSummary
    per_grund: dict[str, int]  # waiting by deciding ground in rank order; "" for none met


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


def _waits(
    anmalningar: list[Anmalan], uppdrag: list[Uppdrag]
) -> Iterator[tuple[date, date | None, str]]:
    """(anmäld, end or None, kommun id) for every wait, each person once."""
    for anmalan in anmalningar:
        if anmalan.status != KoStatus.PABORJAD:  # påbörjade are counted via their uppdrag
            yield anmalan.anmald, anmalan.wait_end(), anmalan.kommun_id
    for item in uppdrag:
        if item.anmald is not None:
            yield item.anmald, item.start, item.kommun_id


def _wait_intervals(
    anmalningar: list[Anmalan], uppdrag: list[Uppdrag]
) -> Iterator[tuple[date, date | None]]:
    """(anmäld, end or None) for every wait, each person once."""
    for anmald, end, _kommun in _waits(anmalningar, uppdrag):
        yield anmald, end


def waiting_on(anmalningar: list[Anmalan], uppdrag: list[Uppdrag], day: date) -> int:
    """How many people were in the kö at the end of `day`."""
    return sum(
        1
        for anmald, end in _wait_intervals(anmalningar, uppdrag)
        if anmald <= day and (end is None or end > day)
    )


def wait_in_year(anmald: date, end: date | None, year: int) -> int | None:
    """How long a wait had lasted by its end or by 31 December of `year`, whichever comes
    first; None when the wait does not touch the year. A wait that ends on 1 January
    touches the year (the uppdrag starts in it)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if anmald > last or (end is not None and end < first):
        return None
    return max(0, (min(end or last, last) - anmald).days)


def ko_basis(
    anmalningar: list[Anmalan],
    uppdrag: list[Uppdrag],
    stopp: list[Intagningsstopp],
    year: int,
    threshold: int = DEFAULT_THRESHOLD_DAYS,
) -> KoBasis:
    waits = [
        w
        for anmald, end in _wait_intervals(anmalningar, uppdrag)
        if (w := wait_in_year(anmald, end, year)) is not None
    ]
    return KoBasis(
        troskel_dagar=threshold,
        over_troskel=sum(1 for w in waits if w > threshold),
        langsta_dagar=max(waits) if waits else None,
        intagningsstopp_dagar=intagningsstopp.days_in_year(stopp, year),
    )


def _waiting_at_end(
    anmalningar: list[Anmalan], uppdrag: list[Uppdrag], year: int
) -> Iterator[tuple[str, int]]:
    """(kommun id, days waited so far) for everyone in the kö at the end of 31 December."""
    last = date(year, 12, 31)
    for anmald, end, kommun in _waits(anmalningar, uppdrag):
        if anmald <= last and (end is None or end > last):
            yield kommun, (last - anmald).days


def year_figures(
    anmalningar: list[Anmalan],
    uppdrag: list[Uppdrag],
    stopp: list[Intagningsstopp],
    year: int,
    threshold: int = DEFAULT_THRESHOLD_DAYS,
) -> YearKoFigures:
    basis = ko_basis(anmalningar, uppdrag, stopp, year, threshold)
    started = [
        (u.kommun_id, w)
        for u in uppdrag
        if u.start.year == year and (w := waiting_time(u)) is not None
    ]
    days = [w for _kommun, w in started]
    bins = Counter(bin_of(d) for d in days)
    waiting = list(_waiting_at_end(anmalningar, uppdrag, year))
    per_kommun: dict[str, KommunKoFigures] = {}
    for kommun in sorted({k for k, _ in started} | {k for k, _ in waiting}):
        here = [w for k, w in waiting if k == kommun]
        per_kommun[kommun] = KommunKoFigures(
            startade_fran_ko=summarise([w for k, w in started if k == kommun]),
            vantande_31_dec=len(here),
            vantande_langst_dagar=max(here) if here else None,
        )
    return YearKoFigures(
        year=year,
        hade_ko=basis.proposal,
        vantande_31_dec=len(waiting),
        startade_fran_ko=summarise(days),
        fordelning={label: bins.get(label, 0) for label, _, _ in BINS},
        intagningsstopp_dagar=basis.intagningsstopp_dagar,
        basis=basis,
        vantande_langst_dagar=max((w for _k, w in waiting), default=None),
        per_kommun=per_kommun,
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
        # In the order's rank, "none met" and grounds no longer in the order last.
        per_grund=dict(
            sorted(per_grund.items(), key=lambda p: order.index(p[0]) if p[0] in order else 99)
        ),
    )
