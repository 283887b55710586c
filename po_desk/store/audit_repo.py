"""Reading the audit log: who changed which kind of row when (never what)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update

from po_desk.store import models
from po_desk.store.store import Store


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    table_name: str
    row_id: str


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(self, since: datetime | None = None, actor: str | None = None) -> list[AuditRow]:
        statement = select(models.AuditEntry).order_by(models.AuditEntry.at.desc())
        if since is not None:
            statement = statement.where(models.AuditEntry.at >= since)
        if actor:
            statement = statement.where(models.AuditEntry.actor == actor)
        with self._store.session() as session:
            return [
                AuditRow(e.at, e.actor, e.action, e.table_name, e.row_id)
                for e in session.scalars(statement)
            ]

    def actors(self) -> list[str]:
        with self._store.session() as session:
            return sorted(set(session.scalars(select(models.AuditEntry.actor).distinct())))

    def entry_keys(self) -> list[tuple[str, str, str]]:
        """(entry id, row id, action) of every entry, oldest first."""
        statement = select(
            models.AuditEntry.id, models.AuditEntry.row_id, models.AuditEntry.action
        ).order_by(models.AuditEntry.at)
        with self._store.session() as session:
            return [
                (entry_id, row_id, action)
                for entry_id, row_id, action in session.execute(statement)
            ]

    def set_times(self, times: dict[str, datetime]) -> None:
        """Sets when entries happened (for the demo store, made in one go but told as
        years of work); one transaction."""
        table = cast(Table, models.AuditEntry.__table__)
        statement = (
            update(table).where(table.c.id == bindparam("entry_id")).values(at=bindparam("moment"))
        )
        rows = [{"entry_id": entry_id, "moment": moment} for entry_id, moment in times.items()]
        with self._store.transaction() as session:
            if rows:  # one executemany (issue 17), not one ORM update per entry
                session.execute(statement, rows)

    def record(self, action: str, table_name: str, row_id: str) -> None:
        with self._store.transaction() as session:
            session.add(
                models.AuditEntry(
                    actor=self._store.actor, action=action, table_name=table_name, row_id=row_id
                )
            )
