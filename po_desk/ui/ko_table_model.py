"""The kö as a table: place, kod, anmäld, days waited, grounds (deciding one first), kön
and åldersgrupp, kommun, status. The order is the kö's order; it is not re-sorted here."""

from __future__ import annotations

from po_desk.services.ko_service import KoRow
from po_desk.ui.table_model import RIGHT, Column, TableModel


def _why(row: KoRow) -> str:
    return row.why


COLUMNS: tuple[Column[KoRow], ...] = (
    Column(
        "Plats", lambda r: "" if r.plats is None else str(r.plats), RIGHT, tooltip=_why, fit=True
    ),
    Column("Kod", lambda r: r.anmalan.kod, tooltip=_why, fit=True),
    Column("Anmäld", lambda r: r.anmalan.anmald.isoformat(), tooltip=_why, fit=True),
    Column("Väntat (dagar)", lambda r: str(r.vantat), RIGHT, tooltip=_why, fit=True),
    Column("Kön/ålder", lambda r: r.kon_alder, tooltip=_why, fit=True),
    Column("Kommun", lambda r: r.kommun, tooltip=_why, fit=True),
    Column("Status", lambda r: r.status, tooltip=_why, fit=True),
    Column("Grunder (avgörande först)", lambda r: r.grunder, tooltip=_why),
)
STATUS = next(i for i, column in enumerate(COLUMNS) if column.header == "Status")


class KoTableModel(TableModel[KoRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda row: row.anmalan.id)
