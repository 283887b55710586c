"""The audit log: every insert, update and delete of a main row is recorded with the
actor, the time, the kind of change and the row id — never any content."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from po_desk.store.models import AuditEntry, RowMixin, Setting, new_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

ACTOR_KEY = "po_desk_actor"


def _record_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    actor = str(session.info.get(ACTOR_KEY, "okänd"))
    changed = (
        ("skapad", list(session.new)),
        # A changed kontaktorsak list marks its uppdrag modified, so it is counted here.
        ("ändrad", [row for row in session.dirty if session.is_modified(row)]),
        ("borttagen", list(session.deleted)),
    )
    for action, rows in changed:
        for row in rows:
            if isinstance(row, Setting):
                # A store-wide setting is logged by its key (who changed it is what a
                # conflicting save is told); its value never is.
                session.add(
                    AuditEntry(
                        actor=actor, action=action, table_name="setting", row_id=row.key[:36]
                    )
                )
                continue
            if not isinstance(row, RowMixin):
                continue
            if row.id is None:
                row.id = new_id()
            session.add(
                AuditEntry(actor=actor, action=action, table_name=row.__tablename__, row_id=row.id)
            )


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _record_changes)
