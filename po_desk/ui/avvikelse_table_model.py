"""Avvikelser as a table: date, aktör, nivå, kategorier, status, the start of the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from po_desk.domain import categories
from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse

DATUM, AKTOR, NIVA, KATEGORIER, STATUS, BESKRIVNING = range(6)
HEADERS = ("Datum", "Aktör", "Nivå", "Kategorier", "Status", "Beskrivning")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole


class AvvikelseTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Avvikelse] = []

    def set_rows(self, rows: list[Avvikelse]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> Avvikelse:
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
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._display(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == BESKRIVNING:
            return item.beskrivning
        if role == ID_ROLE:
            return item.id
        return None

    @staticmethod
    def _display(item: Avvikelse, column: int) -> str:
        if column == DATUM:
            return item.datum.isoformat()
        if column == AKTOR:
            return categories.name_of(categories.AKTORER, item.aktor)
        if column == NIVA:
            return categories.name_of(categories.NIVAER, item.niva)
        if column == KATEGORIER:
            return ", ".join(
                categories.name_of(categories.BRISTKATEGORIER, c) for c in item.kategorier
            )
        if column == STATUS:
            return STATUS_LABELS.get(item.status, item.status)
        first_line = item.beskrivning.splitlines()[0] if item.beskrivning else ""
        return first_line if len(first_line) <= 90 else first_line[:87] + "…"
