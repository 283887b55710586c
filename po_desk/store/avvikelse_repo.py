"""Reading and writing avvikelser."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from po_desk.domain import categories
from po_desk.domain.avvikelse import Avvikelse
from po_desk.store import models
from po_desk.store.bulk import CHUNK, preload
from po_desk.store.links import codes_of, load_with_codes, replace_codes
from po_desk.store.store import Store


def from_values(row: Any, kategorier: tuple[str, ...], atgarder: tuple[str, ...]) -> Avvikelse:
    return Avvikelse(
        id=row.id,
        datum=row.datum,
        ombud_id=row.ombud_id,
        aktor=row.aktor,
        niva=row.niva,
        kategorier=kategorier,
        beskrivning=row.beskrivning,
        konsekvens=row.konsekvens,
        atgarder=atgarder,
        uppdrag_kod=row.uppdrag_kod,
        status=row.status,
        mote_id=row.mote_id,
        aterkoppling=row.aterkoppling,
        aterkoppling_datum=row.aterkoppling_datum,
        updated_at=row.updated_at.isoformat() if row.updated_at else None,
    )


def _apply(row: models.Avvikelse, item: Avvikelse) -> None:
    row.datum, row.ombud_id, row.aktor, row.niva = item.datum, item.ombud_id, item.aktor, item.niva
    row.beskrivning, row.konsekvens = item.beskrivning, item.konsekvens
    row.uppdrag_kod = item.uppdrag_kod or None
    row.status, row.mote_id = item.status, item.mote_id
    row.aterkoppling, row.aterkoppling_datum = item.aterkoppling, item.aterkoppling_datum
    replace_codes(row, "kategorier", item.kategorier, models.AvvikelseKategori)
    replace_codes(row, "atgarder", item.atgarder, models.AvvikelseAtgard)


def _load(session: Session, where: ColumnElement[bool] | None = None) -> list[Avvikelse]:
    return load_with_codes(
        session,
        models.Avvikelse,
        (
            (models.AvvikelseKategori, categories.BRISTKATEGORIER),
            (models.AvvikelseAtgard, categories.ATGARDER),
        ),
        "avvikelse_id",
        from_values,
        where,
        (models.Avvikelse.datum.desc(), models.Avvikelse.created_at.desc()),
    )


def _row_for(session: Session, item: Avvikelse) -> models.Avvikelse:
    if item.id is None:
        return models.Avvikelse()
    return session.get_one(models.Avvikelse, item.id)


class AvvikelseRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_all(self) -> list[Avvikelse]:
        with self._store.session() as session:
            return _load(session)

    def between(self, first: date, last: date) -> list[Avvikelse]:
        with self._store.session() as session:
            return _load(session, models.Avvikelse.datum.between(first, last))

    def get(self, avvikelse_id: str) -> Avvikelse | None:
        with self._store.session() as session:
            row = session.get(models.Avvikelse, avvikelse_id)
            if row is None:
                return None
            return from_values(
                row,
                codes_of(row.kategorier, categories.BRISTKATEGORIER),
                codes_of(row.atgarder, categories.ATGARDER),
            )

    def many(self, ids: list[str]) -> list[Avvikelse]:
        """The avvikelser with `ids` that exist, read in one go."""
        wanted = sorted(set(ids))
        with self._store.session() as session:
            return [
                item
                for first in range(0, len(wanted), CHUNK)
                for item in _load(session, models.Avvikelse.id.in_(wanted[first : first + CHUNK]))
            ]

    def save(self, item: Avvikelse) -> Avvikelse:
        with self._store.transaction() as session:
            row = (
                models.Avvikelse()
                if item.id is None
                else session.get_one(models.Avvikelse, item.id)
            )
            _apply(row, item)
            session.add(row)
            session.flush()
            saved_id = row.id
        return self.get(saved_id)  # type: ignore[return-value]

    def save_many(self, items: list[Avvikelse]) -> None:
        """Saves new and changed avvikelser in one transaction (demo data, raising many at
        a meeting)."""
        with self._store.transaction() as session:
            _held = preload(session, models.Avvikelse, (item.id for item in items))
            for item in items:
                row = _row_for(session, item)
                _apply(row, item)
                session.add(row)
