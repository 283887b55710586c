"""Översikt: every figure the overview shows, computed here so the view only lays them out.

The view, the tests and the benchmark read the same `Oversikt`; the view formats numbers
and days and picks no rows itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from po_desk.domain.avvikelse import AvvikelseStatus
from po_desk.domain.counting import YearFigures, active_by, active_on, year_figures

__all__ = ["Oversikt", "OversiktService", "YearFigures"]  # the view's row type too
from po_desk.domain.formatting import days_text
from po_desk.domain.vantetid import CurrentKoFigures
from po_desk.services.aterrapport_service import AterrapportService
from po_desk.services.avvikelse_service import AvvikelseService
from po_desk.services.ko_service import KoService
from po_desk.services.uppdrag_service import UppdragService
from po_desk.services.verksamhet_service import VerksamhetService

NO_OMBUD = "Inget ombud valt"


def return_deadline(year: int) -> date:
    """The återrapport for `year` reaches the länsstyrelse by 15 January of the next year."""
    return date(year + 1, 1, 15)


@dataclass(frozen=True)
class AvvikelseFigures:
    nya_ej_lyfta: int
    vantar_aterkoppling: int
    aldsta_vantar_dagar: int | None
    registrerade_i_ar: int


@dataclass(frozen=True)
class Oversikt:
    day: date
    namn: str
    lan: str
    kommuner: tuple[str, ...]  # the kommuner served on `day`
    aktiva_i_dag: int
    years: tuple[YearFigures, ...]  # this year, then last year
    per_ombud: tuple[tuple[str, int], ...]  # (name, active uppdrag today), by name
    per_kommun: tuple[tuple[str, int], ...]
    ko: CurrentKoFigures
    intagningsstopp_fran: date | None
    avvikelser: AvvikelseFigures
    aterrapport_ar: int
    aterrapport_deadline: date
    aterrapport_text: str


def _named_counts(counts: dict[str, int], names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((names.get(key, "okänd"), count) for key, count in counts.items())))


class OversiktService:
    def __init__(
        self,
        uppdrag: UppdragService,
        verksamhet: VerksamhetService,
        ko: KoService,
        avvikelser: AvvikelseService,
        aterrapport: AterrapportService,
    ) -> None:
        self._uppdrag = uppdrag
        self._verksamhet = verksamhet
        self._ko = ko
        self._avvikelser = avvikelser
        self._aterrapport = aterrapport

    def oversikt(self, day: date | None = None) -> Oversikt:
        day = day or date.today()
        verksamhet = self._verksamhet.get()
        # This year's and last year's figures: a ny klient of last year is one with no
        # uppdrag the year before, so older, ended uppdrag cannot count.
        items = self._uppdrag.not_ended_before(date(day.year - 2, 1, 1))
        ombud_names = {o.id or "": o.namn for o in self._verksamhet.list_ombud()}
        ombud_names[""] = NO_OMBUD
        kommun_names = {k.id: k.namn for k in verksamhet.kommuner}
        stopp = self._ko.stopp_in_force(day)
        year = day.year - 1
        return Oversikt(
            day=day,
            namn=verksamhet.namn,
            lan=verksamhet.lan,
            kommuner=tuple(k.namn for k in verksamhet.kommuner if k.served_during(day, day)),
            aktiva_i_dag=active_on(items, day),
            years=(year_figures(items, day.year), year_figures(items, day.year - 1)),
            per_ombud=_named_counts(active_by(items, day, "ombud_id"), ombud_names),
            per_kommun=_named_counts(active_by(items, day, "kommun_id"), kommun_names),
            ko=self._ko.current_figures(day),
            intagningsstopp_fran=stopp.fran if stopp else None,
            avvikelser=self._avvikelse_figures(day),
            aterrapport_ar=year,
            aterrapport_deadline=return_deadline(year),
            aterrapport_text=self._aterrapport_text(year, day),
        )

    def _avvikelse_figures(self, day: date) -> AvvikelseFigures:
        items = self._avvikelser.all()
        waiting = [a for a in items if a.awaits_feedback]
        oldest = min((a.datum for a in waiting), default=None)
        return AvvikelseFigures(
            nya_ej_lyfta=sum(a.status == AvvikelseStatus.NY for a in items),
            vantar_aterkoppling=len(waiting),
            aldsta_vantar_dagar=(day - oldest).days if oldest else None,
            registrerade_i_ar=sum(a.datum.year == day.year for a in items),
        )

    def _aterrapport_text(self, year: int, day: date) -> str:
        saved = self._aterrapport.saved(year)
        deadline = return_deadline(year)
        if saved.faststalld is not None and saved.faststalld_at is not None:
            return (
                f"Återrapporten för {year} är fastställd "
                f"{saved.faststalld_at.date().isoformat()} av {saved.faststalld_av}."
            )
        if not self._aterrapport.covers(year):
            start = self._verksamhet.get().start_ar
            return (
                f"Registret började {start}. Den första återrapporten gäller {start} och "
                f"lämnas senast {return_deadline(start).isoformat()}."
            )
        if day <= deadline:
            return (
                f"Återrapporten för {year} ska lämnas till länsstyrelsen senast "
                f"{deadline.isoformat()} – {days_text((deadline - day).days)} kvar. "
                "Öppna Rapporter → Återrapport."
            )
        return (
            f"Återrapporten för {year} är inte fastställd (sista dag var "
            f"{deadline.isoformat()}). Öppna Rapporter → Återrapport."
        )
