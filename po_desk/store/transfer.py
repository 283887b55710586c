"""Moving a whole register between two stores (a local file and the shared server), row
for row, in one transaction on the receiving side (DESIGN §8, "Moving").

Rows are read and written through the tables of `models`, so each column's type does
its own conversion on both sides (dates, booleans, and free text that the server keeps
sealed): what arrives is what was there, never a re-interpretation. The receiving
register must hold no records; what a new register was seeded with (the verksamhet, its
kommuner and the default categories) is replaced by the sender's, inside the same
transaction, so a failed move leaves the receiver as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from po_desk.domain.cancellation import checkpoint
from po_desk.domain.errors import PoDeskError
from po_desk.store.store import Store
from po_desk.store.tables import metadata

BATCH = 1000
# What a register just made by `init` or `server init` holds (with the ändringslogg of
# that seeding): replaced by the sender's rows.
SEEDED_TABLES = frozenset(
    {"verksamhet", "kommun", "category", "category_namn", "setting", "audit_log"}
)


class NotEmpty(PoDeskError):
    """The receiving register already holds records."""


def tables() -> list[Table]:
    """Every table of the register, parents before children."""
    return list(metadata.sorted_tables)


def row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables()
    }


def _batches(session: Session, table: Table) -> Iterator[list[dict[str, Any]]]:
    # Ordered by the primary key, so a batch boundary never depends on the engine.
    query = select(table).order_by(*table.primary_key.columns)
    result = session.execute(query.execution_options(yield_per=BATCH)).mappings()
    for chunk in result.partitions(BATCH):
        yield [dict(row) for row in chunk]


def _refuse_records(session: Session) -> None:
    filled = [
        table.name
        for table in tables()
        if table.name not in SEEDED_TABLES
        and session.scalar(select(func.count()).select_from(table))
    ]
    if filled:
        raise NotEmpty(
            "Registret som ska ta emot har redan uppgifter ("
            + ", ".join(sorted(filled))
            + "); flytten görs bara till ett tomt register."
        )


def copy_register(
    source: Store,
    target: Store,
    progress: Callable[[str], None] | None = None,
    verify: Callable[[Store], None] | None = None,
) -> dict[str, int]:
    """Copies every row of `source` into the empty `target` in one transaction and
    returns the row counts, which are proved equal on both sides before the commit.
    `verify` gets the target as it will be after the commit (a store bound to the open
    transaction); whatever it raises takes the whole move back."""
    with source.session() as reading, target.transaction() as writing:
        _refuse_records(writing)
        for table in reversed(tables()):
            writing.execute(delete(table))
        for table in tables():
            if progress is not None:
                progress(table.name)
            for rows in _batches(reading, table):
                writing.execute(insert(table), rows)
                checkpoint()
        sent, received = row_counts(reading), row_counts(writing)
        if sent != received:
            differing = sorted(name for name in sent if sent[name] != received.get(name))
            raise PoDeskError(
                "Flytten avbröts: antalet rader stämmer inte för " + ", ".join(differing) + "."
            )
        if verify is not None:
            verify(PinnedStore(target, writing))
    return received


class PinnedStore(Store):
    """The target of a move seen from inside the move's open transaction: every session
    the services ask for is that transaction (a write gets a savepoint), so the figures
    can be proved before anything is committed."""

    def __init__(self, store: Store, session: Session) -> None:
        # Deliberately not Store.__init__: no engine, key or lock of its own.
        self.path = store.path
        self.actor = store.actor
        self._pinned = session

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        yield self._pinned

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._pinned.begin_nested():
            yield self._pinned
