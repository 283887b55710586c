"""The kö as a table: place, kod, anmäld, days waited, grounds (deciding one first), kön
and åldersgrupp, kommun, status. The order is the kö's order; it is not re-sorted here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from po_desk.services.ko_service import KoRow
from po_desk.ui.row_table_model import RowTableModel

PLATS, KOD, ANMALD, VANTAT, KON_ALDER, KOMMUN, STATUS, GRUNDER = range(8)
HEADERS = (
    "Plats",
    "Kod",
    "Anmäld",
    "Väntat (dagar)",
    "Kön/ålder",
    "Kommun",
    "Status",
    "Grunder (avgörande först)",
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class KoTableModel(RowTableModel[KoRow]):
    HEADERS = HEADERS

    def cell(self, row: KoRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.why
        if role == ID_ROLE:
            return row.anmalan.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PLATS, VANTAT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(row: KoRow, column: int) -> str:
        values = (
            "" if row.plats is None else str(row.plats),
            row.anmalan.kod,
            row.anmalan.anmald.isoformat(),
            str(row.vantat),
            row.kon_alder,
            row.kommun,
            row.status,
            row.grunder,
        )
        return values[column]
