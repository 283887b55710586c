"""Several people at once: a save carries the row version its user loaded; when the
stored row has moved on, nothing is written and the user is told who changed it and when
(from the change log, never the content).

The check runs inside the write transaction. On a server every write transaction holds
the write lock (server_store.WRITE_LOCK_KEY) and a local store has one writer, so no
other save can slip in between the check and the UPDATE; the ORM's `version_id_col`
(models.Versioned) guards the UPDATE itself as well.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from po_desk.domain.errors import ConflictError, RowGone
from po_desk.store import models

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def last_change(session: Session, row_id: str) -> tuple[str | None, Any]:
    """Who last wrote the row and when (local time), from the change log."""
    entry = session.execute(
        select(models.AuditEntry.actor, models.AuditEntry.at)
        .where(models.AuditEntry.row_id == row_id)
        .order_by(models.AuditEntry.at.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None, None
    actor, at = entry
    return actor, at.replace(tzinfo=UTC).astimezone() if at is not None else None


def checked_row(session: Session, model: Any, row_id: str, loaded: int | None, what: str) -> Any:
    """The row to update, or ConflictError when it changed since version `loaded` (None:
    no check, e.g. an import) and RowGone when it no longer exists."""
    row = session.get(model, row_id)
    if row is None:
        raise RowGone(f"{what} finns inte längre: någon annan har tagit bort uppgiften.")
    if loaded is not None and row.version != loaded:
        actor, at = last_change(session, row_id)
        raise ConflictError(what, actor, at, row.version)
    return row


def stale(what: str = "Uppgiften") -> ConflictError:
    """The ORM found the row's version moved on at the UPDATE itself."""
    return ConflictError(what, None, None, None)
