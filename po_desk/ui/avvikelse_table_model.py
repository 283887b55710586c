"""Avvikelser as a table: date, aktör, nivå, kategorier, status, the start of the text."""

from __future__ import annotations

from po_desk.domain import categories
from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.ui.table_model import Column, TableModel


def _aktor(item: Avvikelse) -> str:
    return categories.name_of(categories.AKTORER, item.aktor)


def _kategorier(item: Avvikelse) -> str:
    return ", ".join(categories.name_of(categories.BRISTKATEGORIER, c) for c in item.kategorier)


def _first_line(item: Avvikelse) -> str:
    first_line = item.beskrivning.splitlines()[0] if item.beskrivning else ""
    return first_line if len(first_line) <= 90 else first_line[:87] + "…"


COLUMNS: tuple[Column[Avvikelse], ...] = (
    Column("Datum", lambda a: a.datum.isoformat(), sort_key=lambda a: a.datum, fit=True),
    Column("Aktör", _aktor, tooltip=_aktor),
    Column("Nivå", lambda a: categories.name_of(categories.NIVAER, a.niva), fit=True),
    Column("Kategorier", _kategorier, tooltip=_kategorier),
    Column("Status", lambda a: STATUS_LABELS.get(a.status, a.status), fit=True),
    Column("Beskrivning", _first_line, tooltip=lambda a: a.beskrivning),
)


class AvvikelseTableModel(TableModel[Avvikelse]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda item: item.id)
