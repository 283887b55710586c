"""The category reference data (every kind) with its dated names, read in one call."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import CategoryCatalogue, CategoryEntry
from po_desk.store import models, tables
from po_desk.store.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class CategoryRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def choices(
        self, kind: CategoryKind, keep: Iterable[str | None] = (), on: date | None = None
    ) -> tuple[Category, ...]:
        """What a form offers for `kind`: the active entries with the names in force on
        `on` (today), and the codes the record already has (`keep`) even if deactivated
        since. One place for every form (uppdrag, kö, avvikelse, Inställningar)."""
        kept = tuple(code for code in keep if code)
        return self.catalogue().choices(kind, on or date.today(), kept)

    def catalogue(self) -> CategoryCatalogue:
        kinds = {kind.value: kind for kind in CategoryKind}
        dated, category = tables.category_namn.c, tables.category.c
        with self._store.reading() as connection:
            history: dict[str, list[tuple[date, str]]] = {}
            for category_id, fran, namn in connection.execute(
                select(dated.category_id, dated.fran, dated.namn)
            ):
                history.setdefault(category_id, []).append((fran, namn))
            rows = connection.execute(
                select(
                    category.id,
                    category.kind,
                    category.code,
                    category.namn,
                    category.sort_order,
                    category.active,
                    category.inaktiv_fran,
                )
            ).all()
        return CategoryCatalogue(
            tuple(
                CategoryEntry(
                    kinds[kind],
                    code,
                    namn,
                    sort_order or 0,
                    bool(active),
                    tuple(sorted(history.get(row_id, []))),
                    None if active else inaktiv_fran,
                )
                for row_id, kind, code, namn, sort_order, active, inaktiv_fran in rows
                if kind in kinds
            )
        )

    @staticmethod
    def _row(session: Session, kind: CategoryKind, code: str) -> models.Category:
        return session.scalars(
            select(models.Category).where(
                models.Category.kind == kind.value, models.Category.code == code
            )
        ).one()

    def rename(self, kind: CategoryKind, code: str, name: str, fran: date, today: date) -> None:
        """A new name from `fran`; the old name stays in force before it."""
        with self._store.transaction() as session:
            row = self._row(session, kind, code)
            dated = list(
                session.scalars(
                    select(models.CategoryNamn).where(models.CategoryNamn.category_id == row.id)
                )
            )
            if not dated:
                session.add(models.CategoryNamn(category_id=row.id, fran=date.min, namn=row.namn))
            for same_day in (d for d in dated if d.fran == fran):
                session.delete(same_day)
            session.add(models.CategoryNamn(category_id=row.id, fran=fran, namn=name))
            session.flush()
            current = [
                (d.fran, d.namn)
                for d in session.scalars(
                    select(models.CategoryNamn).where(models.CategoryNamn.category_id == row.id)
                )
                if d.fran <= today
            ]
            row.namn = max(current)[1] if current else row.namn

    def add(self, kind: CategoryKind, code: str, name: str) -> None:
        with self._store.transaction() as session:
            highest = session.scalar(
                select(func.max(models.Category.sort_order)).where(
                    models.Category.kind == kind.value
                )
            )
            session.add(
                models.Category(
                    kind=kind.value, code=code, namn=name, sort_order=(highest or 0) + 1
                )
            )

    def set_active(
        self, kind: CategoryKind, code: str, active: bool, fran: date | None = None
    ) -> None:
        """Reactivates, or deactivates from `fran` (None: for every date)."""
        with self._store.transaction() as session:
            row = self._row(session, kind, code)
            row.active = active
            row.inaktiv_fran = None if active else fran
