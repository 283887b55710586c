"""Avvikelser as a table: date, aktör, nivå, kategorier, status, the start of the text."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import Qt

from po_desk.domain import categories
from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.domain.categories import Category, CategoryKind
from po_desk.ui.row_table_model import RowTableModel

DATUM, AKTOR, NIVA, KATEGORIER, STATUS, BESKRIVNING = range(6)
HEADERS = ("Datum", "Aktör", "Nivå", "Kategorier", "Status", "Beskrivning")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole


class AvvikelseTableModel(RowTableModel[Avvikelse]):
    HEADERS = HEADERS
    # The names shown (the store's catalogue, set by the view; the defaults until then).
    references: Mapping[CategoryKind, tuple[Category, ...]] = MappingProxyType(
        {
            CategoryKind.AKTOR: categories.AKTORER,
            CategoryKind.NIVA: categories.NIVAER,
            CategoryKind.BRISTKATEGORI: categories.BRISTKATEGORIER,
        }
    )

    def set_references(self, references: dict[CategoryKind, tuple[Category, ...]]) -> None:
        self.references = references

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

    def _display(self, item: Avvikelse, column: int) -> str:
        if column == DATUM:
            return item.datum.isoformat()
        if column == AKTOR:
            return categories.name_of(self.references[CategoryKind.AKTOR], item.aktor)
        if column == NIVA:
            return categories.name_of(self.references[CategoryKind.NIVA], item.niva)
        if column == KATEGORIER:
            kategorier = self.references[CategoryKind.BRISTKATEGORI]
            return ", ".join(categories.name_of(kategorier, c) for c in item.kategorier)
        if column == STATUS:
            return STATUS_LABELS.get(item.status, item.status)
        first_line = item.beskrivning.splitlines()[0] if item.beskrivning else ""
        return first_line if len(first_line) <= 90 else first_line[:87] + "…"
