"""A plain-SQLite copy of a store, for the benchmark's cipher-overhead reference only.

The copy is unencrypted, so it is made only of synthetic benchmark data, in a temporary
folder the benchmark deletes. Test and tool support only: never in the package."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event

from po_desk.store.store import Store


def export_plain(store: Store, target: Path) -> None:
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # The path is a bound parameter, never spliced into the SQL.
        cursor.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        cursor.execute("SELECT sqlcipher_export('plain')")
        cursor.execute("DETACH DATABASE plain")
    finally:
        raw.close()


def open_plain(store: Store, target: Path) -> Store:
    """A Store object over the plain copy, sharing the original's key file object."""
    engine = create_engine(f"sqlite:///{target}")
    event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA foreign_keys = ON"))
    return Store(Path(target), engine, store._key_file, store.data_key)
