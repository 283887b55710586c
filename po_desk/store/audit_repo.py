"""Reading the audit log: who changed which kind of row when (never what)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select, update

from po_desk.store import models, tables
from po_desk.store.store import Store


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    table_name: str
    row_id: str
    id: str = ""


def _filtered(statement: Select[Any], since: datetime | None, actor: str | None) -> Select[Any]:
    if since is not None:
        statement = statement.where(models.AuditEntry.at >= since)
    if actor:
        statement = statement.where(models.AuditEntry.actor == actor)
    return statement


# Newest first; the id breaks ties so that a page boundary between equal times is exact.
NEWEST_FIRST = (models.AuditEntry.at.desc(), models.AuditEntry.id.desc())


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(self, since: datetime | None = None, actor: str | None = None) -> list[AuditRow]:
        return self.page(since, actor, None, None)

    def page(
        self,
        since: datetime | None,
        actor: str | None,
        after: tuple[datetime, str] | None,
        limit: int | None,
    ) -> list[AuditRow]:
        """Up to `limit` entries (None: all), newest first, older than the entry `after`
        (its time and id; None: from the newest). Keyset paging: one index range per page,
        however deep the user has scrolled."""
        entry = models.AuditEntry
        statement = _filtered(select(entry), since, actor).order_by(*NEWEST_FIRST)
        if after is not None:
            at, entry_id = after
            statement = statement.where(
                or_(entry.at < at, and_(entry.at == at, entry.id < entry_id))
            )
        if limit is not None:
            statement = statement.limit(limit)
        with self._store.session() as session:
            return [
                AuditRow(e.at, e.actor, e.action, e.table_name, e.row_id, e.id)
                for e in session.scalars(statement)
            ]

    def count(self, since: datetime | None = None, actor: str | None = None) -> int:
        statement = _filtered(select(func.count()).select_from(models.AuditEntry), since, actor)
        with self._store.session() as session:
            return int(session.scalar(statement) or 0)

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
        table = tables.audit_log
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
