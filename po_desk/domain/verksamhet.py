"""The verksamhet, its kommuner and its ombud (staff, never clients)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from po_desk.domain import categories


@dataclass(frozen=True)
class Kommun:
    id: str
    namn: str


@dataclass
class Verksamhet:
    namn: str
    lan: str
    start_ar: int
    huvudman: str = ""
    kommuner: list[Kommun] = field(default_factory=list)
    id: str | None = None


@dataclass
class Ombud:
    namn: str
    kon: str
    tjanstgoringsgrad: float
    fran: date
    till: date | None = None
    id: str | None = None

    def active_on(self, day: date) -> bool:
        return self.fran <= day and (self.till is None or self.till >= day)


def validate_verksamhet(namn: str, lan: str, kommuner: list[str]) -> list[str]:
    problems = []
    if not namn.strip():
        problems.append("Ange verksamhetens namn.")
    if not lan.strip():
        problems.append("Ange län.")
    cleaned = [k.strip() for k in kommuner if k.strip()]
    if not cleaned:
        problems.append("Ange minst en kommun.")
    if len({k.casefold() for k in cleaned}) != len(cleaned):
        problems.append("Samma kommun är angiven flera gånger.")
    return problems


def validate_ombud(ombud: Ombud) -> list[str]:
    problems = []
    if not ombud.namn.strip():
        problems.append("Ange ombudets namn eller initialer.")
    if ombud.kon not in categories.codes(categories.KON):
        problems.append("Välj kön för ombudet.")
    if not 0 < ombud.tjanstgoringsgrad <= 1:
        problems.append("Tjänstgöringsgrad ska vara mellan 0 och 1, till exempel 0,75.")
    if ombud.till is not None and ombud.till < ombud.fran:
        problems.append("Slutdatum kan inte vara före startdatum.")
    return problems


LAN: tuple[str, ...] = (
    "Blekinge län",
    "Dalarnas län",
    "Gotlands län",
    "Gävleborgs län",
    "Hallands län",
    "Jämtlands län",
    "Jönköpings län",
    "Kalmar län",
    "Kronobergs län",
    "Norrbottens län",
    "Skåne län",
    "Stockholms län",
    "Södermanlands län",
    "Uppsala län",
    "Värmlands län",
    "Västerbottens län",
    "Västernorrlands län",
    "Västmanlands län",
    "Västra Götalands län",
    "Örebro län",
    "Östergötlands län",
)
