"""The figures, periods and choices the views used to work out themselves (issue 16.1),
now given by the use cases: each checked here without a window."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from po_desk.domain import vantetid
from po_desk.domain.avvikelse import Avvikelse, AvvikelseFilter, AvvikelseStatus, Period
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.uppdrag_filter import Status, UppdragFilter
from po_desk.domain.verksamhet import Ombud
from po_desk.services.avvikelse_service import AvvikelseService
from po_desk.services.underlag_service import UnderlagService
from po_desk.services.uppdrag_service import UppdragService
from po_desk.services.workspace import Workspace

DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        (Period.SENASTE_12_MANADER, (date(2025, 3, 10), DAY)),
        (Period.I_AR, (date(2026, 1, 1), date(2026, 12, 31))),
        (Period.FORRA_ARET, (date(2025, 1, 1), date(2025, 12, 31))),
        (Period.ALLA, (None, None)),
    ],
)
def test_avvikelse_periods_seen_from_a_day(period: Period, bounds) -> None:
    assert AvvikelseService.period(period, DAY) == bounds


@pytest.mark.parametrize(
    ("status", "targets"),
    [
        (AvvikelseStatus.NY, (AvvikelseStatus.AVSLUTAD,)),
        (
            AvvikelseStatus.LYFT,
            (AvvikelseStatus.ATERKOPPLING, AvvikelseStatus.ATGARDAD, AvvikelseStatus.AVSLUTAD),
        ),
        (AvvikelseStatus.ATERKOPPLING, (AvvikelseStatus.ATGARDAD, AvvikelseStatus.AVSLUTAD)),
        (AvvikelseStatus.ATGARDAD, ()),
        (AvvikelseStatus.AVSLUTAD, ()),
    ],
)
def test_feedback_never_offers_lyft(status: str, targets: tuple[str, ...]) -> None:
    item = Avvikelse(DAY, "forsakringskassan", "handlaggare", ("vantetider",), "X", status=status)
    assert AvvikelseService.feedback_targets(item) == targets
    assert item.awaits_meeting is (status == AvvikelseStatus.NY)


def test_avvikelse_register_rows_and_counts(workspace: Workspace) -> None:
    today = date.today()
    base = Avvikelse(today - timedelta(days=3), "forsakringskassan", "handlaggare",
                     ("vantetider",), "Beslutet dröjde.")  # fmt: skip
    old = workspace.avvikelser.save(replace(base, datum=today - timedelta(days=400)))
    recent = workspace.avvikelser.save(base)
    fran, till = workspace.avvikelser.period(Period.SENASTE_12_MANADER, today)
    found = workspace.avvikelser.rows(AvvikelseFilter(fran=fran, till=till))
    assert ([a.id for a in found.rows], found.shown, found.total) == ([recent.id], 1, 2)
    snapshot = workspace.avvikelser.all()
    everything = workspace.avvikelser.rows(AvvikelseFilter(text="dröjde"), snapshot)
    assert sorted(a.id or "" for a in everything.rows) == sorted([old.id or "", recent.id or ""])


def test_uppdrag_register_rows_counts_and_years(workspace: Workspace) -> None:
    kommun = workspace.verksamhet.get().kommuner[0].id
    ended = workspace.uppdrag.save(
        Uppdrag("man", 1970, kommun, date(2023, 5, 1), ("ekonomi",), slut=date(2024, 2, 1),
                avslutsorsak="mal_uppnatt")
    )  # fmt: skip
    ongoing = workspace.uppdrag.save(
        Uppdrag("kvinna", 1980, kommun, date(2025, 2, 1), ("ekonomi",))
    )
    found = workspace.uppdrag.register(UppdragFilter(status=Status.AKTIVA))
    assert ([r.uppdrag.id for r in found.rows], found.shown, found.total) == ([ongoing.id], 1, 2)
    found = workspace.uppdrag.register(UppdragFilter(status=Status.ALLA, year=2023))
    assert [r.uppdrag.id for r in found.rows] == [ended.id]
    assert UppdragService.years(workspace.uppdrag.all(), DAY) == [2026, 2025, 2023]


def test_ombud_summary_counts_who_serves_on_the_day(workspace: Workspace) -> None:
    on = date.today()
    service = workspace.verksamhet
    service.save_ombud(Ombud("Anna", "kvinna", 1.0, on - timedelta(days=400)))
    # Leaving in the future: still serving today (the view counted only an empty slut).
    service.save_ombud(Ombud("Bo", "man", 0.5, on - timedelta(days=400), on + timedelta(days=30)))
    service.save_ombud(Ombud("Cia", "kvinna", 0.75, on - timedelta(days=400), on - timedelta(1)))
    service.save_ombud(Ombud("Dan", "man", 0.25, on + timedelta(days=10)))  # not begun
    summary = service.ombud_summary(on)
    assert (summary.aktiva, summary.heltidstjanster) == (2, pytest.approx(1.5))


def test_waiting_per_ground_comes_in_the_order_of_rank() -> None:
    def waiting(kod: str, grounds: tuple[str, ...]) -> Anmalan:
        return Anmalan(
            kod=kod, anmald=DAY - timedelta(days=5), kon="kvinna", fodelsear=1960,
            kommun_id="k", kontaktorsaker=("ekonomi",), prioritetsgrunder=grounds,
        )  # fmt: skip

    items = [waiting("K1", ()), waiting("K2", ("barn",)), waiting("K3", ("vrakning",)),
             waiting("K4", ("barn",))]  # fmt: skip
    figures = vantetid.current_figures(items, [], ("vrakning", "barn"), DAY)
    assert list(figures.per_grund.items()) == [("vrakning", 1), ("barn", 2), ("", 1)]


def test_only_a_waiting_anmalan_not_yet_offered_awaits_an_offer() -> None:
    base = Anmalan(kod="K1", anmald=DAY, kon="man", fodelsear=1960, kommun_id="k",
                   kontaktorsaker=("ekonomi",))  # fmt: skip
    assert base.awaits_offer
    assert not replace(base, status=KoStatus.ERBJUDEN).awaits_offer
    assert not replace(base, status=KoStatus.PABORJAD).awaits_offer


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 10), (date(2025, 7, 1), date(2025, 12, 31), date(2026, 3, 17))),
        (date(2026, 8, 31), (date(2026, 1, 1), date(2026, 6, 30), date(2026, 9, 7))),
    ],
)
def test_underlag_defaults_to_the_last_half_year_and_a_meeting_in_a_week(
    today: date, expected
) -> None:
    assert UnderlagService.default_dates(today) == expected


def test_aterrapport_years_back_to_the_start(workspace: Workspace) -> None:
    years, chosen = workspace.aterrapport.years(DAY)  # the test verksamhet started 2020
    assert (years, chosen) == ([2026, 2025, 2024, 2023, 2022, 2021, 2020], 2025)
    years, chosen = workspace.aterrapport.years(date(2020, 5, 1))
    assert (years, chosen) == ([2020, 2019], 2019)  # last year always offered


@pytest.mark.parametrize(
    ("fodelsear", "age", "group", "young"),
    [(2010, 16, None, False), (2008, 18, "18-29", True), (1997, 29, "18-29", True),
     (1996, 30, "30-49", False), (1950, 76, "65+", False)],
)  # fmt: skip
def test_age_hint(fodelsear: int, age: int, group: str | None, young: bool) -> None:
    hint = UppdragService.age_hint(fodelsear, 2026)
    assert (hint.age, hint.group, hint.young_adult) == (age, group, young)


def test_barn_choice_changes_the_history_only_when_changed() -> None:
    base = Uppdrag("kvinna", 1980, "k", date(2024, 1, 1), ("ekonomi",), barn="nej")
    edited = replace(base, fodelsear=1981)
    same = UppdragService.with_barn_choice(base, edited, "nej", date(2025, 6, 1), DAY)
    assert same is edited
    changed = UppdragService.with_barn_choice(base, edited, "helt", date(2025, 6, 1), DAY)
    assert UppdragService.barn_now(changed, DAY) == "helt"
    assert UppdragService.barn_now(changed, date(2025, 5, 31)) == "nej"
