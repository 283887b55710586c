"""The ändringslogg as a table, fetched a page at a time as the user scrolls."""

from __future__ import annotations

from po_desk.services.audit_service import LogRow, local_time
from po_desk.ui.table_model import Column, LazyTableModel

COLUMNS: tuple[Column[LogRow], ...] = (
    Column("Tid", lambda r: local_time(r.at), fit=True),
    Column("Användare", lambda r: r.actor, fit=True),
    Column("Ändring", lambda r: r.action, fit=True),
    Column("Vad", lambda r: r.what, fit=True),
    Column("Rad-id", lambda r: r.row_id),
)
PAGE_SIZE = 200


class AuditTableModel(LazyTableModel[LogRow]):
    def __init__(self, page_size: int = PAGE_SIZE) -> None:
        super().__init__(COLUMNS, key=lambda row: row.id, page_size=page_size)
