"""Reading and writing uppdrag; converts between rows and domain objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, func, select

from po_desk.domain import categories
from po_desk.domain import uppdrag as rules
from po_desk.domain.uppdrag import BarnAndring, Uppdrag
from po_desk.store import bulk, models, tables
from po_desk.store.bulk import preload
from po_desk.store.conflicts import checked_row
from po_desk.store.links import codes_of, fields, load_with_codes, replace_codes
from po_desk.store.store import Store
from po_desk.store.tables import utc_now

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WHAT = "Uppdraget"
UPPDRAG = tables.uppdrag.c


def to_domain(row: models.Uppdrag) -> Uppdrag:
    uppdrag = from_values(
        fields(row),
        codes_of(row.kontaktorsaker, categories.KONTAKTORSAKER),
        codes_of(row.prioritetsgrunder, categories.PRIORITETSGRUNDER),
    )
    uppdrag.barn_andringar = tuple(BarnAndring(c.fran, c.barn) for c in row.barn_andringar)
    return uppdrag


def from_values(
    row: Mapping[str, Any], kontaktorsaker: tuple[str, ...], grunder: tuple[str, ...]
) -> Uppdrag:
    """An Uppdrag from an ORM row or a plain result row with the same column names."""
    return Uppdrag(
        id=row["id"],
        kod=row["kod"],
        kon=row["kon"],
        fodelsear=row["fodelsear"],
        kommun_id=row["kommun_id"],
        ombud_id=row["ombud_id"],
        anmald=row["anmald"],
        start=row["start"],
        slut=row["slut"],
        avslutsorsak=row["avslutsorsak"],
        barn=row["barn"],
        kontaktorsaker=kontaktorsaker,
        hanvisad_fran=row["hanvisad_fran"],
        prioritetsgrunder=grunder,
        anteckning=row["anteckning"],
        klient_id=row["klient_id"],
        updated_at=row["updated_at"].isoformat() if row["updated_at"] else None,
        version=row["version"],
    )


def _apply(row: models.Uppdrag, uppdrag: Uppdrag) -> None:
    row.kon = uppdrag.kon
    row.fodelsear = uppdrag.fodelsear
    row.kommun_id = uppdrag.kommun_id
    row.ombud_id = uppdrag.ombud_id
    row.anmald = uppdrag.anmald
    row.start = uppdrag.start
    row.slut = uppdrag.slut
    row.avslutsorsak = uppdrag.avslutsorsak
    row.barn = uppdrag.barn
    row.hanvisad_fran = uppdrag.hanvisad_fran
    row.anteckning = uppdrag.anteckning or None
    replace_codes(row, "kontaktorsaker", uppdrag.kontaktorsaker, models.UppdragKontaktorsak)
    replace_codes(
        row, "prioritetsgrunder", uppdrag.prioritetsgrunder, models.UppdragPrioritetsgrund
    )
    # Dated barn changes: unchanged rows are kept (merges match them by id).
    wanted = {(c.fran, c.barn) for c in uppdrag.barn_andringar}
    if {(c.fran, c.barn) for c in row.barn_andringar} != wanted:
        kept = [c for c in row.barn_andringar if (c.fran, c.barn) in wanted]
        added = wanted - {(c.fran, c.barn) for c in kept}
        row.barn_andringar = kept + [models.UppdragBarn(fran=f, barn=b) for f, b in sorted(added)]
        row.updated_at = utc_now()


def _insert_new(
    session: Session, new: list[Uppdrag], sequence: rules.CodeSequence, known: set[str]
) -> None:
    """Inserts new uppdrag with SQLAlchemy Core executemany (store/bulk.py): the rows the
    ORM would write, with one "skapad" audit entry per klient, uppdrag and barn change."""
    now = utc_now()
    stamps = {"created_at": now, "updated_at": now}
    klienter: list[dict[str, Any]] = []
    uppdrag_rows: list[dict[str, Any]] = []
    kontaktorsaker: list[dict[str, Any]] = []
    grunder: list[dict[str, Any]] = []
    barn: list[dict[str, Any]] = []
    ids = iter(bulk.new_ids(2 * len(new)))
    for uppdrag in new:
        uppdrag_id = next(ids)
        klient_id = uppdrag.klient_id or next(ids)
        if klient_id not in known:
            known.add(klient_id)
            klienter.append(
                {"id": klient_id, "kon": uppdrag.kon, "fodelsear": uppdrag.fodelsear, **stamps}
            )
        uppdrag_rows.append(
            {
                "id": uppdrag_id,
                "kod": uppdrag.kod or sequence.take(uppdrag.start.year),
                "klient_id": klient_id,
                "kon": uppdrag.kon,
                "fodelsear": uppdrag.fodelsear,
                "kommun_id": uppdrag.kommun_id,
                "ombud_id": uppdrag.ombud_id,
                "anmald": uppdrag.anmald,
                "start": uppdrag.start,
                "slut": uppdrag.slut,
                "avslutsorsak": uppdrag.avslutsorsak,
                "barn": uppdrag.barn,
                "hanvisad_fran": uppdrag.hanvisad_fran,
                "anteckning": uppdrag.anteckning or None,
                **stamps,
            }
        )
        kontaktorsaker.extend(
            {"uppdrag_id": uppdrag_id, "code": code} for code in sorted(set(uppdrag.kontaktorsaker))
        )
        grunder.extend(
            {"uppdrag_id": uppdrag_id, "code": code}
            for code in sorted(set(uppdrag.prioritetsgrunder))
        )
        barn.extend(
            {"id": models.new_id(), "uppdrag_id": uppdrag_id, "fran": fran, "barn": value, **stamps}
            for fran, value in sorted({(c.fran, c.barn) for c in uppdrag.barn_andringar})
        )
    bulk.insert_new(
        session,
        [
            (models.Klient, klienter),
            (models.Uppdrag, uppdrag_rows),
            (models.UppdragKontaktorsak, kontaktorsaker),
            (models.UppdragPrioritetsgrund, grunder),
            (models.UppdragBarn, barn),
        ],
    )


def _attach_klient(session: Session, row: models.Uppdrag, uppdrag: Uppdrag) -> None:
    """The uppdrag's person: the given klient (kön and födelseår follow the person, in
    every period), or a new klient."""
    klient = session.get(models.Klient, uppdrag.klient_id) if uppdrag.klient_id else None
    if klient is None:
        klient = models.Klient(id=models.new_id(), kon=uppdrag.kon, fodelsear=uppdrag.fodelsear)
        session.add(klient)
    elif (klient.kon, klient.fodelsear) != (uppdrag.kon, uppdrag.fodelsear):
        klient.kon, klient.fodelsear = uppdrag.kon, uppdrag.fodelsear
        siblings = session.scalars(
            select(models.Uppdrag).where(
                models.Uppdrag.klient_id == klient.id, models.Uppdrag.id != row.id
            )
        )
        for sibling in siblings:
            sibling.kon, sibling.fodelsear = uppdrag.kon, uppdrag.fodelsear
    row.klient_id = klient.id


def _codes_of_year(session: Session, year: int) -> list[str]:
    return list(
        session.scalars(select(models.Uppdrag.kod).where(models.Uppdrag.kod.like(f"{year}-%")))
    )


def insert(session: Session, uppdrag: Uppdrag) -> models.Uppdrag:
    """Adds a new uppdrag to the session's transaction, with the next code of its year."""
    row = models.Uppdrag()
    row.kod = uppdrag.kod or rules.next_kod(
        uppdrag.start.year, _codes_of_year(session, uppdrag.start.year)
    )
    session.add(row)
    _apply(row, uppdrag)
    _attach_klient(session, row, uppdrag)
    session.flush()
    return row


def load(connection: Connection, where: ColumnElement[bool] | None = None) -> list[Uppdrag]:
    """Uppdrag (those matching `where`, a condition on tables.uppdrag) read through Core."""
    items = load_with_codes(
        connection,
        tables.uppdrag,
        (
            (tables.uppdrag_kontaktorsak, categories.KONTAKTORSAKER),
            (tables.uppdrag_prioritetsgrund, categories.PRIORITETSGRUNDER),
        ),
        "uppdrag_id",
        from_values,
        where,
        (tables.uppdrag.c.kod,),
    )
    barn = tables.uppdrag_barn
    changes: dict[str, list[BarnAndring]] = {}
    for uppdrag_id, fran, value in connection.execute(
        select(barn.c.uppdrag_id, barn.c.fran, barn.c.barn)
    ):
        changes.setdefault(uppdrag_id, []).append(BarnAndring(fran, value))
    for item in items:
        if item.id in changes:
            item.barn_andringar = tuple(sorted(changes[item.id], key=lambda c: c.fran))
    return items


class UppdragRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_all(self) -> list[Uppdrag]:
        with self._store.reading() as connection:
            return load(connection)

    def not_ended_before(self, day: date) -> list[Uppdrag]:
        """Uppdrag still open on `day` or later (a year's return needs no older ones)."""
        with self._store.reading() as connection:
            return load(connection, UPPDRAG.slut.is_(None) | (UPPDRAG.slut >= day))

    def started_since(self, day: date) -> list[Uppdrag]:
        with self._store.reading() as connection:
            return load(connection, UPPDRAG.start > day)

    def get(self, uppdrag_id: str) -> Uppdrag | None:
        with self._store.session() as session:
            row = session.get(models.Uppdrag, uppdrag_id)
            return to_domain(row) if row else None

    def kod_exists(self, kod: str, except_id: str | None = None) -> bool:
        with self._store.reading() as connection:
            found = connection.scalar(select(UPPDRAG.id).where(UPPDRAG.kod == kod))
            return found is not None and found != except_id

    def save(self, uppdrag: Uppdrag) -> Uppdrag:
        """Inserts or updates in one transaction; a new uppdrag without kod gets the next."""
        with self._store.transaction() as session:
            if uppdrag.id is None:
                row = insert(session, uppdrag)
            else:
                row = checked_row(session, models.Uppdrag, uppdrag.id, uppdrag.version, WHAT)
                if uppdrag.kod:
                    row.kod = uppdrag.kod
                _apply(row, uppdrag)
                _attach_klient(session, row, replace(uppdrag, klient_id=row.klient_id))
                session.flush()
            return to_domain(row)

    def save_many(self, new: list[Uppdrag], changed: list[Uppdrag] | None = None) -> int:
        """Inserts `new` (codes numbered per year) and updates `changed`, in one
        transaction: demo data and imports, all or nothing."""
        with self._store.transaction() as session:
            sequence = rules.CodeSequence(session.scalars(select(models.Uppdrag.kod)))
            for uppdrag in new:
                if uppdrag.kod:
                    sequence.note(uppdrag.kod)
            # New persons get a klient; a klient id given but not stored yet (an import
            # linking two of its own rows) is created with it.
            known = set(session.scalars(select(models.Klient.id)))
            _insert_new(session, new, sequence, known)
            _held = preload(session, models.Uppdrag, (uppdrag.id for uppdrag in changed or []))
            for uppdrag in changed or []:
                row = session.get_one(models.Uppdrag, uppdrag.id)
                _apply(row, uppdrag)
                _attach_klient(session, row, replace(uppdrag, klient_id=row.klient_id))
        return len(new)

    def close(
        self,
        uppdrag_id: str,
        slut: date,
        avslutsorsak: str,
        erase_note: bool,
        version: int | None = None,
    ) -> None:
        with self._store.transaction() as session:
            row = checked_row(session, models.Uppdrag, uppdrag_id, version, WHAT)
            row.slut = slut
            row.avslutsorsak = avslutsorsak
            if erase_note:
                row.anteckning = None

    def reopen(self, uppdrag_id: str) -> None:
        with self._store.transaction() as session:
            row = session.get_one(models.Uppdrag, uppdrag_id)
            row.slut = None
            row.avslutsorsak = None

    def periods_of(self, klient_id: str) -> list[Uppdrag]:
        """Every uppdrag (period) of one klient, oldest first."""
        with self._store.reading() as connection:
            items = load(connection, UPPDRAG.klient_id == klient_id)
        return sorted(items, key=lambda u: u.start)

    def klient_of(self, kod: str) -> str | None:
        with self._store.reading() as connection:
            return connection.scalar(select(UPPDRAG.klient_id).where(UPPDRAG.kod == kod))

    def klient_by_kod(self) -> dict[str, str | None]:
        with self._store.reading() as connection:
            return dict(connection.execute(select(UPPDRAG.kod, UPPDRAG.klient_id)).tuples())

    def all_codes(self) -> set[str]:
        with self._store.reading() as connection:
            return set(connection.scalars(select(UPPDRAG.kod)))

    def count(self) -> int:
        with self._store.reading() as connection:
            return int(connection.scalar(select(func.count(UPPDRAG.id))) or 0)
