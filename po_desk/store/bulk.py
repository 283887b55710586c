"""Loading many rows at once: a write that changes hundreds of rows (raising avvikelser at
a meeting, an import with --update) would otherwise read them one SELECT at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Well below SQLite's limit of host parameters in one statement.
CHUNK = 500


def preload(session: Session, model: Any, ids: Iterable[str | None]) -> list[Any]:
    """Puts the rows with `ids` in the session's identity map, so that `session.get_one`
    finds them without a query of its own. Changes still go through the ORM (audit). The
    identity map holds rows weakly: keep the returned list while the rows are used."""
    wanted = sorted({row_id for row_id in ids if row_id})
    rows: list[Any] = []
    for first in range(0, len(wanted), CHUNK):
        chunk = wanted[first : first + CHUNK]
        rows.extend(session.scalars(select(model).where(model.id.in_(chunk))))
    return rows


def insert_new(session: Session, batches: list[tuple[Any, list[dict[str, Any]]]]) -> None:
    """Inserts new rows with SQLAlchemy Core, one executemany per table, in the order given
    (parents first), within the session's transaction (issue 17: the ORM's unit of work
    took seconds for a demo or an import). Rows of audited tables (RowMixin) get the
    "skapad" entry the ORM's before_flush hook (store/audit.py) would have written."""
    from po_desk.store import audit, models

    now = models.utc_now()
    actor = str(session.info.get(audit.ACTOR_KEY, "okänd"))
    entries: list[dict[str, Any]] = []
    for model, rows in batches:
        if not issubclass(model, models.RowMixin):
            continue
        for row in rows:
            row.setdefault("created_at", now)
            row.setdefault("updated_at", now)
            entries.append(
                {"id": models.new_id(), "at": now, "actor": actor, "action": "skapad",
                 "table_name": model.__tablename__, "row_id": row["id"]}
            )  # fmt: skip
    for model, rows in [*batches, (models.AuditEntry, entries)]:
        if rows:
            session.execute(insert(model.__table__), rows)
