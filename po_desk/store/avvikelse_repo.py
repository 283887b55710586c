"""Reading and writing avvikelser."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection

from po_desk.domain import categories
from po_desk.domain.avvikelse import Avvikelse
from po_desk.store import bulk, models, tables
from po_desk.store.bulk import CHUNK, preload
from po_desk.store.conflicts import checked_row
from po_desk.store.links import codes_of, fields, load_with_codes, replace_codes
from po_desk.store.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WHAT = "Avvikelsen"
AVVIKELSE = tables.avvikelse.c


def from_values(
    row: Mapping[str, Any], kategorier: tuple[str, ...], atgarder: tuple[str, ...]
) -> Avvikelse:
    return Avvikelse(
        id=row["id"],
        datum=row["datum"],
        ombud_id=row["ombud_id"],
        aktor=row["aktor"],
        niva=row["niva"],
        kategorier=kategorier,
        beskrivning=row["beskrivning"],
        konsekvens=row["konsekvens"],
        atgarder=atgarder,
        uppdrag_kod=row["uppdrag_kod"],
        status=row["status"],
        mote_id=row["mote_id"],
        aterkoppling=row["aterkoppling"],
        aterkoppling_datum=row["aterkoppling_datum"],
        updated_at=row["updated_at"].isoformat() if row["updated_at"] else None,
        version=row["version"],
    )


def _apply(row: models.Avvikelse, item: Avvikelse) -> None:
    row.datum, row.ombud_id, row.aktor, row.niva = item.datum, item.ombud_id, item.aktor, item.niva
    row.beskrivning, row.konsekvens = item.beskrivning, item.konsekvens
    row.uppdrag_kod = item.uppdrag_kod or None
    row.status, row.mote_id = item.status, item.mote_id
    row.aterkoppling, row.aterkoppling_datum = item.aterkoppling, item.aterkoppling_datum
    replace_codes(row, "kategorier", item.kategorier, models.AvvikelseKategori)
    replace_codes(row, "atgarder", item.atgarder, models.AvvikelseAtgard)


def _load(connection: Connection, where: ColumnElement[bool] | None = None) -> list[Avvikelse]:
    return load_with_codes(
        connection,
        tables.avvikelse,
        (
            (tables.avvikelse_kategori, categories.BRISTKATEGORIER),
            (tables.avvikelse_atgard, categories.ATGARDER),
        ),
        "avvikelse_id",
        from_values,
        where,
        (AVVIKELSE.datum.desc(), AVVIKELSE.created_at.desc()),
    )


def _insert_new(session: Session, items: list[Avvikelse]) -> None:
    """New avvikelser with Core executemany and their audit entries (store/bulk.py)."""
    rows: list[dict[str, Any]] = []
    kategorier: list[dict[str, Any]] = []
    atgarder: list[dict[str, Any]] = []
    for item in items:
        avvikelse_id = models.new_id()
        rows.append(
            {
                "id": avvikelse_id,
                "datum": item.datum,
                "ombud_id": item.ombud_id,
                "aktor": item.aktor,
                "niva": item.niva,
                "beskrivning": item.beskrivning,
                "konsekvens": item.konsekvens,
                "uppdrag_kod": item.uppdrag_kod or None,
                "status": item.status,
                "mote_id": item.mote_id,
                "aterkoppling": item.aterkoppling,
                "aterkoppling_datum": item.aterkoppling_datum,
            }
        )
        kategorier.extend(
            {"avvikelse_id": avvikelse_id, "code": code} for code in sorted(set(item.kategorier))
        )
        atgarder.extend(
            {"avvikelse_id": avvikelse_id, "code": code} for code in sorted(set(item.atgarder))
        )
    bulk.insert_new(
        session,
        [
            (models.Avvikelse, rows),
            (models.AvvikelseKategori, kategorier),
            (models.AvvikelseAtgard, atgarder),
        ],
    )


def _row_for(session: Session, item: Avvikelse) -> models.Avvikelse:
    if item.id is None:
        return models.Avvikelse()
    return session.get_one(models.Avvikelse, item.id)


class AvvikelseRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_all(self) -> list[Avvikelse]:
        with self._store.reading() as connection:
            return _load(connection)

    def between(self, first: date, last: date) -> list[Avvikelse]:
        with self._store.reading() as connection:
            return _load(connection, AVVIKELSE.datum.between(first, last))

    def get(self, avvikelse_id: str) -> Avvikelse | None:
        with self._store.session() as session:
            row = session.get(models.Avvikelse, avvikelse_id)
            if row is None:
                return None
            return from_values(
                fields(row),
                codes_of(row.kategorier, categories.BRISTKATEGORIER),
                codes_of(row.atgarder, categories.ATGARDER),
            )

    def many(self, ids: list[str]) -> list[Avvikelse]:
        """The avvikelser with `ids` that exist, read in one go."""
        wanted = sorted(set(ids))
        with self._store.reading() as connection:
            return [
                item
                for first in range(0, len(wanted), CHUNK)
                for item in _load(connection, AVVIKELSE.id.in_(wanted[first : first + CHUNK]))
            ]

    def save(self, item: Avvikelse) -> Avvikelse:
        with self._store.transaction() as session:
            row = (
                models.Avvikelse()
                if item.id is None
                else checked_row(session, models.Avvikelse, item.id, item.version, WHAT)
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
            changed = [item for item in items if item.id is not None]
            _held = preload(session, models.Avvikelse, (item.id for item in changed))
            for item in changed:
                row = _row_for(session, item)
                _apply(row, item)
                session.add(row)
            _insert_new(session, [item for item in items if item.id is None])
