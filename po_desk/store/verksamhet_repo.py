"""The verksamhet, its kommuner, its ombud and the store-wide settings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from po_desk.domain.errors import ConflictError
from po_desk.domain.verksamhet import GradPeriod, Kommun, Ombud, Verksamhet
from po_desk.store import models, tables
from po_desk.store.conflicts import checked_row, last_change
from po_desk.store.store import Store


def _ombud_to_domain(row: Any, grader: list[Any] | None = None) -> Ombud:
    """From ORM rows or Core rows with the same column names."""
    return Ombud(
        id=row.id,
        namn=row.namn,
        kon=row.kon,
        tjanstgoringsgrad=row.tjanstgoringsgrad,
        fran=row.fran,
        till=row.till,
        version=row.version,
        grader=tuple(
            GradPeriod(g.fran, g.grad) for g in sorted(grader or [], key=lambda g: g.fran)
        ),
    )


def _grader(connection: Connection) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for grad in connection.execute(select(tables.ombud_grad)):
        grouped[grad.ombud_id].append(grad)
    return grouped


class VerksamhetRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self) -> Verksamhet:
        kommun = tables.kommun
        with self._store.reading() as connection:
            row = connection.execute(select(tables.verksamhet)).one()
            kommuner = connection.execute(
                select(kommun).order_by(kommun.c.sort_order, kommun.c.namn)
            )
            return Verksamhet(
                id=row.id,
                namn=row.namn,
                lan=row.lan,
                huvudman=row.huvudman,
                start_ar=row.start_ar,
                kommuner=[
                    Kommun(k.id, k.namn, k.fran, k.till, version=k.version) for k in kommuner
                ],
                version=row.version,
            )

    def update(
        self, verksamhet: Verksamhet, kommun_names: list[str], renames: dict[str, str] | None = None
    ) -> None:
        """Saves namn, län, huvudman and the kommuner; kommuner in use are kept. `renames`
        (stored name → new name) first respells kommuner, keeping their uppdrag."""
        with self._store.transaction() as session:
            row = (
                session.scalars(select(models.Verksamhet)).one()
                if verksamhet.id is None
                else checked_row(
                    session,
                    models.Verksamhet,
                    verksamhet.id,
                    verksamhet.version,
                    "Verksamhetens uppgifter",
                )
            )
            for respelled in session.scalars(select(models.Kommun)):
                if renames and respelled.namn in renames:
                    respelled.namn = renames[respelled.namn]
            session.flush()
            row.namn, row.lan, row.huvudman = verksamhet.namn, verksamhet.lan, verksamhet.huvudman
            row.updated_at = models.utc_now()  # the kommuner too: every save is a new version
            existing = {k.namn: k for k in session.scalars(select(models.Kommun))}
            for order, name in enumerate(kommun_names):
                kommun = existing.pop(name, None)
                if kommun is None:
                    session.add(models.Kommun(namn=name, sort_order=order))
                elif kommun.sort_order != order:
                    kommun.sort_order = order
            for unused in existing.values():
                in_use = session.scalar(
                    select(models.Uppdrag.id).where(models.Uppdrag.kommun_id == unused.id).limit(1)
                )
                if in_use is None:
                    session.delete(unused)

    def kommun_in_use(self, kommun_name: str) -> bool:
        with self._store.session() as session:
            return (
                session.scalar(
                    select(models.Uppdrag.id)
                    .join(models.Kommun, models.Kommun.id == models.Uppdrag.kommun_id)
                    .where(models.Kommun.namn == kommun_name)
                    .limit(1)
                )
                is not None
            )

    def list_ombud(self) -> list[Ombud]:
        with self._store.reading() as connection:
            rows = connection.execute(select(tables.ombud).order_by(tables.ombud.c.namn)).all()
            grader = _grader(connection)
            return [_ombud_to_domain(row, grader.get(row.id)) for row in rows]

    def save_ombud(self, ombud: Ombud) -> Ombud:
        with self._store.transaction() as session:
            row = (
                models.Ombud()
                if ombud.id is None
                else checked_row(session, models.Ombud, ombud.id, ombud.version, "Ombudet")
            )
            row.namn, row.kon = ombud.namn, ombud.kon
            row.tjanstgoringsgrad, row.fran, row.till = (
                ombud.tjanstgoringsgrad,
                ombud.fran,
                ombud.till,
            )
            session.add(row)
            session.flush()
            # The grad's history: periods kept as they are, changed ones replaced.
            wanted = {(p.fran, p.grad) for p in ombud.grader}
            stored = list(
                session.scalars(select(models.OmbudGrad).where(models.OmbudGrad.ombud_id == row.id))
            )
            for grad in stored:
                if (grad.fran, grad.grad) not in wanted:
                    session.delete(grad)
            kept = {(g.fran, g.grad) for g in stored}
            for fran, value in sorted(wanted - kept):
                session.add(models.OmbudGrad(ombud_id=row.id, fran=fran, grad=value))
            if ombud.id is not None and wanted != kept:
                row.updated_at = models.utc_now()  # a change of the ombud: a new version
            session.flush()
            current = session.scalars(
                select(models.OmbudGrad).where(models.OmbudGrad.ombud_id == row.id)
            ).all()
            return _ombud_to_domain(row, list(current))

    def set_kommun_dates(
        self,
        dates: dict[str, tuple[date | None, date | None]],
        loaded: dict[str, int | None] | None = None,
    ) -> None:
        """From/to dates of the kommuner served, by kommun id, in one transaction;
        `loaded`: the kommun versions the user's form showed (a ConflictError when one
        has moved on)."""
        with self._store.transaction() as session:
            for kommun_id, (fran, till) in dates.items():
                version = (loaded or {}).get(kommun_id)
                kommun = checked_row(session, models.Kommun, kommun_id, version, "Kommunens datum")
                if (kommun.fran, kommun.till) != (fran, till):
                    kommun.fran, kommun.till = fran, till

    def get_setting(self, key: str, default: str) -> str:
        return self.setting(key, default)[0]

    def setting(self, key: str, default: str) -> tuple[str, int]:
        """The setting's value and version (0: not stored yet, `default` holds)."""
        setting = tables.setting
        with self._store.reading() as connection:
            row = connection.execute(select(setting).where(setting.c.key == key)).one_or_none()
            return (row.value, row.version) if row else (default, 0)

    def set_setting(
        self, key: str, value: str, loaded: int | None = None, what: str = "Inställningen"
    ) -> int:
        """`loaded`: the version the user's form showed (None: not checked); a
        ConflictError naming who changed the setting since, and when (not when it holds
        `value` already). Returns the version now stored."""
        with self._store.transaction() as session:
            row = session.get(models.Setting, key)
            current = row.version if row is not None else 0
            if row is not None and row.value == value:
                return current  # the same value: nothing to write, nothing overwritten
            if loaded is not None and current != loaded:
                actor, at = last_change(session, key[:36])
                raise ConflictError(what, actor, at, current)
            if row is None:
                row = models.Setting(key=key, value=value)
                session.add(row)
            else:
                row.value = value
            session.flush()
            return row.version
