"""Loading many rows at once: a write that changes hundreds of rows (raising avvikelser at
a meeting, an import with --update) would otherwise read them one SELECT at a time."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Date, DateTime, insert, select
from sqlalchemy.sql.compiler import SQLCompiler

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
    """Inserts new rows, one executemany per table (`execute_many`: the values stored as
    SQLAlchemy's `insert()` stores them), in the order given (parents first), within the
    session's transaction (issue 17: the ORM's unit of work took seconds for a demo or an
    import). Rows of audited tables (RowMixin) get the "skapad" entry the ORM's
    before_flush hook (store/audit.py) would have written."""
    from po_desk.store import audit, models

    now = models.utc_now()
    actor = str(session.info.get(audit.ACTOR_KEY, "okänd"))
    entries: list[dict[str, Any]] = []
    for model, rows in batches:
        if not issubclass(model, models.RowMixin):
            continue
        table_name = model.__tablename__
        for row, entry_id in zip(rows, new_ids(len(rows)), strict=True):
            row.setdefault("created_at", now)
            row.setdefault("updated_at", now)
            entries.append(
                {"id": entry_id, "at": now, "actor": actor, "action": "skapad",
                 "table_name": table_name, "row_id": row["id"]}
            )  # fmt: skip
    connection = session.connection()
    for model, rows in [*batches, (models.AuditEntry, entries)]:
        if rows:
            execute_many(connection, model.__table__, rows)


def audit_changes(session: Session, table_name: str, row_ids: list[str], action: str) -> None:
    """The audit entries the ORM's before_flush hook (store/audit.py) writes for rows
    changed through it, for rows changed with a Core UPDATE in the session's transaction."""
    from po_desk.store import audit, models

    now = models.utc_now()
    actor = str(session.info.get(audit.ACTOR_KEY, "okänd"))
    entries = [
        {"id": entry_id, "at": now, "actor": actor, "action": action,
         "table_name": table_name, "row_id": row_id}
        for entry_id, row_id in zip(new_ids(len(row_ids)), row_ids, strict=True)
    ]  # fmt: skip
    if entries:
        execute_many(session.connection(), models.AuditEntry.__table__, entries)


def execute_many(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """`INSERT` of `rows` (dicts with the same keys), stored exactly as
    `connection.execute(insert(table), rows)` stores them, without SQLAlchemy's per-row
    parameter handling (issue 17: ≈0.3 s of an import of 10 561 rows): the statement is
    compiled once for the connection's dialect, each column's values go through that
    dialect's bind processor of the column's type (dates and times as the SQLite dialect
    writes them, SealedText sealed on the server) and the scalar Python defaults of
    columns not given (`version`) are filled in, then one DB-API executemany runs in the
    connection's transaction. A statement this cannot prepare (a callable default of a
    column not given, escaped parameter names) takes SQLAlchemy's own path."""
    if not rows:
        return
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    assert isinstance(compiled, SQLCompiler)
    names = list(compiled.positiontup or ()) if compiled.positional else None
    given = set(keys)
    constants: dict[str, Any] = {}
    for column in compiled.insert_prefetch:
        default = column.default
        if column.key in given:
            continue
        if default is None or not default.is_scalar:
            connection.execute(insert(table), rows)
            return
        constants[column.key] = default.arg  # type: ignore[attr-defined]
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    if compiled.escaped_bind_names or set(binds) != given | set(constants):
        connection.execute(insert(table), rows)
        return
    order = names if names is not None else list(binds)
    columns: list[list[Any]] = []
    for name in order:
        values = [constants[name]] * len(rows) if name in constants else [row[name] for row in rows]
        kind = binds[name].type
        processor = kind.dialect_impl(dialect).bind_processor(dialect)
        if processor is None:
            columns.append(values)
        elif isinstance(kind, Date | DateTime):
            # A pure function of the value, and the values repeat (every row's stamps
            # are the same moment): each distinct one is converted once.
            converted: dict[Any, Any] = {}
            for value in values:
                if value not in converted:
                    converted[value] = processor(value)
            columns.append([converted[value] for value in values])
        else:
            columns.append([processor(value) for value in values])
    parameters: list[Any] = list(zip(*columns, strict=True))
    if names is None:
        parameters = [dict(zip(order, values, strict=True)) for values in parameters]
    connection.exec_driver_sql(compiled.string, parameters)


# The RFC 4122 variant in the first hex digit of the fourth group: 10xx in binary.
_VARIANT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


def new_ids(count: int) -> list[str]:
    """`count` random version-4 UUIDs as text, as `str(uuid.uuid4())` gives them: 122
    random bits from one read of the OS's random source, the version digit 4 and the
    variant bits set (uuid4 per row was ≈0.2 s of a 10 561-row import)."""
    text = os.urandom(16 * count).hex()
    variant = _VARIANT
    return [
        f"{text[s : s + 8]}-{text[s + 8 : s + 12]}-4{text[s + 13 : s + 16]}-"
        f"{variant[text[s + 16]]}{text[s + 17 : s + 20]}-{text[s + 20 : s + 32]}"
        for s in range(0, 32 * count, 32)
    ]
