"""Avvikelser as a table: date, aktör, nivå, kategorier, status, the start of the text."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from po_desk.domain import categories
from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.domain.categories import Category, CategoryKind
from po_desk.ui.table_model import Column, TableModel

# The names shown until the view gives the store's catalogue (set_references).
DEFAULT_REFERENCES: Mapping[CategoryKind, tuple[Category, ...]] = MappingProxyType(
    {
        CategoryKind.AKTOR: categories.AKTORER,
        CategoryKind.NIVA: categories.NIVAER,
        CategoryKind.BRISTKATEGORI: categories.BRISTKATEGORIER,
    }
)


def _first_line(item: Avvikelse) -> str:
    first_line = item.beskrivning.splitlines()[0] if item.beskrivning else ""
    return first_line if len(first_line) <= 90 else first_line[:87] + "…"


class AvvikelseTableModel(TableModel[Avvikelse]):
    def __init__(self) -> None:
        super().__init__(self._columns(), key=lambda item: item.id)
        self.references: Mapping[CategoryKind, tuple[Category, ...]] = DEFAULT_REFERENCES

    def set_references(self, references: Mapping[CategoryKind, tuple[Category, ...]]) -> None:
        """The store's entries with today's names; set before `set_rows`."""
        self.references = references

    def _name(self, kind: CategoryKind, code: str) -> str:
        return categories.name_of(self.references[kind], code)

    def _columns(self) -> tuple[Column[Avvikelse], ...]:
        def aktor(item: Avvikelse) -> str:
            return self._name(CategoryKind.AKTOR, item.aktor)

        def kategorier(item: Avvikelse) -> str:
            return ", ".join(self._name(CategoryKind.BRISTKATEGORI, c) for c in item.kategorier)

        return (
            Column("Datum", lambda a: a.datum.isoformat(), sort_key=lambda a: a.datum, fit=True),
            Column("Aktör", aktor, tooltip=aktor),
            Column("Nivå", lambda a: self._name(CategoryKind.NIVA, a.niva), fit=True),
            Column("Kategorier", kategorier, tooltip=kategorier),
            Column("Status", lambda a: STATUS_LABELS.get(a.status, a.status), fit=True),
            Column("Beskrivning", _first_line, tooltip=lambda a: a.beskrivning),
        )
