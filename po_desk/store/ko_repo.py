"""Reading and writing kö-anmälningar, and starting an uppdrag from one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, select

from po_desk.domain import categories
from po_desk.domain.errors import ConflictError
from po_desk.domain.ko import KOD_PREFIX, WAITING, Anmalan, KoStatus
from po_desk.domain.uppdrag import CodeSequence, Uppdrag, next_kod
from po_desk.store import bulk, models, tables
from po_desk.store.conflicts import checked_row, last_change
from po_desk.store.links import codes_of, fields, load_with_codes, replace_codes
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import insert as insert_uppdrag
from po_desk.store.uppdrag_repo import to_domain as uppdrag_to_domain

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WHAT = "Anmälan"
ANMALAN = tables.ko_anmalan.c


def to_domain(row: models.KoAnmalan) -> Anmalan:
    return from_values(
        fields(row),
        codes_of(row.kontaktorsaker, categories.KONTAKTORSAKER),
        codes_of(row.prioritetsgrunder, categories.PRIORITETSGRUNDER),
    )


def from_values(
    row: Mapping[str, Any], kontaktorsaker: tuple[str, ...], grunder: tuple[str, ...]
) -> Anmalan:
    return Anmalan(
        id=row["id"],
        kod=row["kod"],
        anmald=row["anmald"],
        kon=row["kon"],
        fodelsear=row["fodelsear"],
        kommun_id=row["kommun_id"],
        kontaktorsaker=kontaktorsaker,
        prioritetsgrunder=grunder,
        status=row["status"],
        erbjuden=row["erbjuden"],
        status_datum=row["status_datum"],
        orsak=row["orsak"],
        uppdrag_id=row["uppdrag_id"],
        updated_at=row["updated_at"].isoformat() if row["updated_at"] else None,
        version=row["version"],
    )


def _apply(row: models.KoAnmalan, anmalan: Anmalan) -> None:
    row.anmald = anmalan.anmald
    row.kon = anmalan.kon
    row.fodelsear = anmalan.fodelsear
    row.kommun_id = anmalan.kommun_id
    row.status = anmalan.status
    row.erbjuden = anmalan.erbjuden
    row.status_datum = anmalan.status_datum
    row.orsak = anmalan.orsak or None
    row.uppdrag_id = anmalan.uppdrag_id
    replace_codes(row, "kontaktorsaker", anmalan.kontaktorsaker, models.KoAnmalanKontaktorsak)
    replace_codes(
        row, "prioritetsgrunder", anmalan.prioritetsgrunder, models.KoAnmalanPrioritetsgrund
    )


def _codes(session: Session) -> set[str]:
    return set(session.scalars(select(models.KoAnmalan.kod)))


def _load(connection: Connection, where: ColumnElement[bool] | None = None) -> list[Anmalan]:
    return load_with_codes(
        connection,
        tables.ko_anmalan,
        (
            (tables.ko_anmalan_kontaktorsak, categories.KONTAKTORSAKER),
            (tables.ko_anmalan_prioritetsgrund, categories.PRIORITETSGRUNDER),
        ),
        "anmalan_id",
        from_values,
        where,
        (ANMALAN.anmald, ANMALAN.kod),
    )


class KoRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_all(self) -> list[Anmalan]:
        with self._store.reading() as connection:
            return _load(connection)

    def not_started_by(self, day: date) -> list[Anmalan]:
        """Anmälningar made by `day` that did not become uppdrag (a påbörjad wait is
        counted through its uppdrag): what a year's kö figures read."""
        with self._store.reading() as connection:
            return _load(
                connection, (ANMALAN.status != KoStatus.PABORJAD) & (ANMALAN.anmald <= day)
            )

    def list_waiting(self) -> list[Anmalan]:
        with self._store.reading() as connection:
            return _load(connection, ANMALAN.status.in_(tuple(WAITING)))

    def get(self, anmalan_id: str) -> Anmalan | None:
        with self._store.session() as session:
            row = session.get(models.KoAnmalan, anmalan_id)
            return to_domain(row) if row else None

    def save(self, anmalan: Anmalan) -> Anmalan:
        with self._store.transaction() as session:
            if anmalan.id is None:
                row = models.KoAnmalan()
                row.kod = anmalan.kod or next_kod(anmalan.anmald.year, _codes(session), KOD_PREFIX)
                session.add(row)
            else:
                row = checked_row(session, models.KoAnmalan, anmalan.id, anmalan.version, WHAT)
            _apply(row, anmalan)
            session.flush()
            return to_domain(row)

    def save_many(self, items: list[Anmalan]) -> None:
        """Inserts new anmälningar in one transaction, with Core executemany and their audit
        entries (store/bulk.py)."""
        rows: list[dict[str, Any]] = []
        kontaktorsaker: list[dict[str, Any]] = []
        grunder: list[dict[str, Any]] = []
        with self._store.transaction() as session:
            sequence = CodeSequence(_codes(session), KOD_PREFIX)
            for anmalan in items:
                anmalan_id = models.new_id()
                rows.append(
                    {
                        "id": anmalan_id,
                        "kod": anmalan.kod or sequence.take(anmalan.anmald.year),
                        "anmald": anmalan.anmald,
                        "kon": anmalan.kon,
                        "fodelsear": anmalan.fodelsear,
                        "kommun_id": anmalan.kommun_id,
                        "status": anmalan.status,
                        "erbjuden": anmalan.erbjuden,
                        "status_datum": anmalan.status_datum,
                        "orsak": anmalan.orsak or None,
                        "uppdrag_id": anmalan.uppdrag_id,
                    }
                )
                kontaktorsaker.extend(
                    {"anmalan_id": anmalan_id, "code": code}
                    for code in sorted(set(anmalan.kontaktorsaker))
                )
                grunder.extend(
                    {"anmalan_id": anmalan_id, "code": code}
                    for code in sorted(set(anmalan.prioritetsgrunder))
                )
            bulk.insert_new(
                session,
                [
                    (models.KoAnmalan, rows),
                    (models.KoAnmalanKontaktorsak, kontaktorsaker),
                    (models.KoAnmalanPrioritetsgrund, grunder),
                ],
            )

    def start_uppdrag(self, anmalan_id: str, uppdrag: Uppdrag) -> Uppdrag:
        """Creates the uppdrag and marks the anmälan påbörjad in one transaction."""
        with self._store.transaction() as session:
            anmalan = checked_row(session, models.KoAnmalan, anmalan_id, None, WHAT)
            if anmalan.status not in (KoStatus.VANTAR, KoStatus.ERBJUDEN):
                # Someone else påbörjade (or closed) it since it was shown as waiting.
                actor, at = last_change(session, anmalan_id)
                raise ConflictError(
                    WHAT, actor, at, None, "Den väntar inte längre i kön; inget uppdrag skapades."
                )
            row = insert_uppdrag(session, uppdrag)
            anmalan.status = KoStatus.PABORJAD
            anmalan.status_datum = uppdrag.start
            anmalan.uppdrag_id = row.id
            session.flush()
            return uppdrag_to_domain(row)
