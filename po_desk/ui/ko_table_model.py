"""The kö as a table: place, kod, anmäld, days waited, grounds (deciding one first), kön
and åldersgrupp, kommun, status. The order is the kö's order; it is not re-sorted here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from po_desk.domain.ko import Anmalan

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


@dataclass(frozen=True)
class KoRow:
    """One line as shown; the view prepares the texts from the domain rules."""

    plats: int | None
    anmalan: Anmalan
    vantat: int
    grunder: str
    kon_alder: str
    kommun: str
    status: str
    why: str


class KoTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[KoRow] = []

    def set_rows(self, rows: list[KoRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> KoRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.why
        if role == ID_ROLE:
            return row.anmalan.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (PLATS, VANTAT):
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
