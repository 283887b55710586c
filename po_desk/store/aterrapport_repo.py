"""The återrapport's own rows: manual fields and the fastställd document per year."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from po_desk.domain.aterrapport_document import Aterrapport, WrittenReturn
from po_desk.domain.aterrapport_svar import LoadedManual
from po_desk.domain.errors import PartsChanged
from po_desk.store import models, tables
from po_desk.store.conflicts import last_change
from po_desk.store.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class SavedReturn:
    ar: int
    manuellt: dict[str, str]
    faststalld: WrittenReturn | None  # of the schema version it was written to
    faststalld_at: datetime | None
    faststalld_av: str | None


class AterrapportRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, year: int) -> SavedReturn:
        aterrapport = tables.aterrapport
        with self._store.reading() as connection:
            row = connection.execute(
                select(aterrapport).where(aterrapport.c.ar == year)
            ).one_or_none()
            if row is None:
                return SavedReturn(year, {}, None, None, None)
            return SavedReturn(
                year,
                json.loads(row.manuellt or "{}"),
                json.loads(row.faststalld) if row.faststalld else None,
                row.faststalld_at,
                row.faststalld_av,
            )

    def _row(self, session: Session, year: int) -> models.Aterrapport:
        row = session.scalar(select(models.Aterrapport).where(models.Aterrapport.ar == year))
        if row is None:
            row = models.Aterrapport(ar=year, manuellt="{}")
            session.add(row)
        return row

    def update_manual(
        self, year: int, changes: dict[str, str], loaded: LoadedManual | None = None
    ) -> None:
        """Sets `changes` among the year's manual fields, keeping the others, read and
        written in one transaction: two people saving different parts of the return at
        once (on a server) both keep theirs. `loaded`: the parts as the user's form showed
        them (None: not checked); a ConflictError naming who saved the row last, and
        when, if a part in `changes` was changed by someone else since."""
        with self._store.transaction() as session:
            row = self._row(session, year)
            stored = json.loads(row.manuellt or "{}")
            overwritten = loaded.overwritten(stored, changes) if loaded is not None else []
            if overwritten and row.id is not None:
                actor, at = last_change(session, row.id)
                raise PartsChanged(
                    "Återrapportens uppgifter", actor, at, row.version, tuple(overwritten)
                )
            manuellt = {**stored, **changes}
            row.manuellt = json.dumps(manuellt, ensure_ascii=False)

    def freeze(self, year: int, document: Aterrapport, actor: str, at: datetime) -> None:
        with self._store.transaction() as session:
            row = self._row(session, year)
            row.faststalld = json.dumps(document, ensure_ascii=False, sort_keys=True)
            row.faststalld_at = at
            row.faststalld_av = actor

    def unfreeze(self, year: int) -> None:
        with self._store.transaction() as session:
            row = self._row(session, year)
            row.faststalld, row.faststalld_at, row.faststalld_av = None, None, None
