"""Loading many rows at once: a write that changes hundreds of rows (raising avvikelser at
a meeting, an import with --update) would otherwise read them one SELECT at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
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
