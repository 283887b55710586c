"""Filtering the uppdrag register the way the list view offers it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from po_desk.domain.uppdrag import Uppdrag, active_during


class Status(StrEnum):
    AKTIVA = "aktiva"
    AVSLUTADE = "avslutade"
    ALLA = "alla"


@dataclass(frozen=True)
class UppdragFilter:
    status: Status = Status.AKTIVA
    ombud_id: str | None = None
    kommun_id: str | None = None
    year: int | None = None  # uppdrag active at some time during the year
    kod_search: str = ""

    def matches(self, uppdrag: Uppdrag) -> bool:
        if self.status == Status.AKTIVA and not uppdrag.is_active:
            return False
        if self.status == Status.AVSLUTADE and uppdrag.is_active:
            return False
        if self.ombud_id is not None and uppdrag.ombud_id != self.ombud_id:
            return False
        if self.kommun_id is not None and uppdrag.kommun_id != self.kommun_id:
            return False
        if self.year is not None and not active_during(uppdrag, self.year):
            return False
        return self.kod_search.strip() in uppdrag.kod


def apply(items: list[Uppdrag], criteria: UppdragFilter) -> list[Uppdrag]:
    return [item for item in items if criteria.matches(item)]


def years(items: list[Uppdrag], this_year: int) -> list[int]:
    """The years the register's year filter offers: every start year and this year,
    newest first."""
    return sorted({u.start.year for u in items} | {this_year}, reverse=True)
