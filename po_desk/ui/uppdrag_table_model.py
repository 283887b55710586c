"""The uppdrag register as a table: one row per uppdrag, sortable on raw values."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from po_desk.domain import categories
from po_desk.domain.uppdrag import Uppdrag
from po_desk.ui.row_table_model import RowTableModel

KOD, KON, FODELSEAR, KOMMUN, OMBUD, ANMALD, START, SLUT, STATUS, ORSAKER = range(10)
HEADERS = (
    "Kod",
    "Kön",
    "Födelseår",
    "Kommun",
    "Ombud",
    "Anmäld",
    "Start",
    "Slut",
    "Status",
    "Kontaktorsaker",
)
SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class UppdragTableModel(RowTableModel[Uppdrag]):
    HEADERS = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._kommun_names: dict[str, str] = {}
        self._ombud_names: dict[str, str] = {}
        self._orsak_names: dict[str, str] = {c.code: c.name for c in categories.KONTAKTORSAKER}

    def set_names(
        self,
        kommun_names: dict[str, str],
        ombud_names: dict[str, str],
        orsak_names: dict[str, str] | None = None,
    ) -> None:
        """Names shown for ids and codes (the store's kontaktorsaker); set before
        `set_rows`."""
        self._kommun_names = kommun_names
        self._ombud_names = ombud_names
        self._orsak_names = orsak_names or {c.code: c.name for c in categories.KONTAKTORSAKER}

    def cell(self, uppdrag: Uppdrag, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(uppdrag, column)
        if role == SORT_ROLE:
            return self._sort_key(uppdrag, column)
        if role == ID_ROLE:
            return uppdrag.id
        if role == Qt.ItemDataRole.ToolTipRole and column == ORSAKER:
            return self._display(uppdrag, column)
        return None

    def _display(self, uppdrag: Uppdrag, column: int) -> str:
        if column == KOD:
            return uppdrag.kod
        if column == KON:
            return categories.name_of(categories.KON, uppdrag.kon)
        if column == FODELSEAR:
            return str(uppdrag.fodelsear)
        if column == KOMMUN:
            return self._kommun_names.get(uppdrag.kommun_id, "")
        if column == OMBUD:
            return self._ombud_names.get(uppdrag.ombud_id or "", "")
        if column == ANMALD:
            return uppdrag.anmald.isoformat() if uppdrag.anmald else ""
        if column == START:
            return uppdrag.start.isoformat()
        if column == SLUT:
            return uppdrag.slut.isoformat() if uppdrag.slut else ""
        if column == STATUS:
            return "Aktivt" if uppdrag.is_active else "Avslutat"
        return ", ".join(self._orsak_names.get(code, code) for code in uppdrag.kontaktorsaker)

    def _sort_key(self, uppdrag: Uppdrag, column: int) -> Any:
        if column == FODELSEAR:
            return uppdrag.fodelsear
        return self._display(uppdrag, column)
