"""Versions of the prioriteringsordning, the verksamhet's own grounds, intagningsstopp."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select

from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Prioriteringsordning
from po_desk.store import models, tables
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.conflicts import checked_row
from po_desk.store.store import Store


def _version(row: Any, grunder: tuple[str, ...]) -> Prioriteringsordning:
    """From an ORM row or a Core row with the same column names, and its grounds in rank
    order."""
    return Prioriteringsordning(
        id=row.id,
        beslutad=row.beslutad,
        grunder=grunder,
        anteckning=row.anteckning,
        beslutad_av=row.beslutad_av,
        ingen=bool(row.ingen),
    )


def _stopp(row: Any) -> Intagningsstopp:
    return Intagningsstopp(
        id=row.id, fran=row.fran, till=row.till, orsak=row.orsak, version=row.version
    )


class PrioriteringRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def versions(self) -> list[Prioriteringsordning]:
        ordning, grund = tables.prioriteringsordning, tables.prioriteringsordning_grund
        with self._store.reading() as connection:
            grunder: dict[str, list[str]] = defaultdict(list)
            for ordning_id, code in connection.execute(
                select(grund.c.ordning_id, grund.c.code).order_by(grund.c.rang)
            ):
                grunder[ordning_id].append(code)
            rows = connection.execute(
                select(ordning).order_by(ordning.c.beslutad, ordning.c.created_at)
            )
            return [_version(row, tuple(grunder[row.id])) for row in rows]

    def add_version(self, version: Prioriteringsordning) -> Prioriteringsordning:
        with self._store.transaction() as session:
            row = models.Prioriteringsordning(
                beslutad=version.beslutad,
                anteckning=version.anteckning,
                beslutad_av=version.beslutad_av,
                ingen=version.ingen,
                grunder=[
                    models.PrioriteringsordningGrund(code=code, rang=rank)
                    for rank, code in enumerate(version.grunder, start=1)
                ],
            )
            session.add(row)
            session.flush()
            return _version(row, version.grunder)

    def grounds(self) -> list[Category]:
        """Every prioritetsgrund, the four defaults first, then the verksamhet's own."""
        with self._store.session() as session:
            rows = session.scalars(
                select(models.Category)
                .where(models.Category.kind == CategoryKind.PRIORITETSGRUND.value)
                .order_by(models.Category.sort_order, models.Category.namn)
            )
            return [Category(row.code, row.namn) for row in rows]

    def ground_names_on(self, day: date) -> dict[str, str]:
        """Every prioritetsgrund's name as it was on `day` (renamed grounds carry dated
        names; before the first dated name, the oldest one)."""
        catalogue = CategoryRepository(self._store).catalogue()
        return catalogue.names_on(CategoryKind.PRIORITETSGRUND, day)

    def rename_ground(self, code: str, name: str, fran: date, today: date) -> None:
        """A new name from `fran`; the old name stays in force before it."""
        CategoryRepository(self._store).rename(
            CategoryKind.PRIORITETSGRUND, code, name, fran, today
        )

    def add_ground(self, code: str, name: str) -> None:
        with self._store.transaction() as session:
            highest = session.scalar(
                select(func.max(models.Category.sort_order)).where(
                    models.Category.kind == CategoryKind.PRIORITETSGRUND.value
                )
            )
            session.add(
                models.Category(
                    kind=CategoryKind.PRIORITETSGRUND.value,
                    code=code,
                    namn=name,
                    sort_order=(highest or 0) + 1,
                )
            )

    def stopp(self) -> list[Intagningsstopp]:
        stopp = tables.intagningsstopp
        with self._store.reading() as connection:
            rows = connection.execute(select(stopp).order_by(stopp.c.fran))
            return [_stopp(row) for row in rows]

    def save_stopp(self, period: Intagningsstopp) -> Intagningsstopp:
        with self._store.transaction() as session:
            if period.id is None:
                row = models.Intagningsstopp()
                session.add(row)
            else:
                row = checked_row(
                    session, models.Intagningsstopp, period.id, period.version, "Stoppet"
                )
            row.fran, row.till, row.orsak = period.fran, period.till, period.orsak
            session.flush()
            return _stopp(row)
