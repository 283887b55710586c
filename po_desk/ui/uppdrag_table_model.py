"""The uppdrag register as a table: one row per uppdrag, sortable on raw values."""

from __future__ import annotations

from datetime import date

from po_desk.domain import categories
from po_desk.services.uppdrag_service import UppdragRow
from po_desk.ui.table_model import Column, TableModel


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


COLUMNS: tuple[Column[UppdragRow], ...] = (
    Column("Kod", lambda r: r.uppdrag.kod),
    Column("Kön", lambda r: categories.name_of(categories.KON, r.uppdrag.kon)),
    Column("Födelseår", lambda r: str(r.uppdrag.fodelsear), sort_key=lambda r: r.uppdrag.fodelsear),
    Column("Kommun", lambda r: r.kommun),
    Column("Ombud", lambda r: r.ombud),
    Column("Anmäld", lambda r: _date(r.uppdrag.anmald), sort_key=lambda r: r.uppdrag.anmald),
    Column("Start", lambda r: r.uppdrag.start.isoformat(), sort_key=lambda r: r.uppdrag.start),
    Column("Slut", lambda r: _date(r.uppdrag.slut), sort_key=lambda r: r.uppdrag.slut),
    Column("Status", lambda r: "Aktivt" if r.uppdrag.is_active else "Avslutat"),
    Column("Kontaktorsaker", lambda r: r.kontaktorsaker, tooltip=lambda r: r.kontaktorsaker),
)
START = "Start"


class UppdragTableModel(TableModel[UppdragRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda row: row.uppdrag.id)
