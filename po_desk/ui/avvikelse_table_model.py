"""Avvikelser as a table: date, aktör, nivå, kategorier, status, the start of the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from po_desk.domain import categories
from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.ui.row_table_model import RowTableModel

DATUM, AKTOR, NIVA, KATEGORIER, STATUS, BESKRIVNING = range(6)
HEADERS = ("Datum", "Aktör", "Nivå", "Kategorier", "Status", "Beskrivning")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole


class AvvikelseTableModel(RowTableModel[Avvikelse]):
    HEADERS = HEADERS

    def cell(self, item: Avvikelse, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == BESKRIVNING:
            return item.beskrivning
        if role == Qt.ItemDataRole.ToolTipRole and column in (AKTOR, KATEGORIER):
            return self._display(item, column)
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
