"""Views refresh when another user changes data (DESIGN §8, LISTEN/NOTIFY).

`server init` installs a statement trigger on every table that sends the table's name
(never any row content) on the channel `po_desk_changes`; PostgreSQL delivers it when the
writing transaction commits. Here the program LISTENs on a connection of its own, in a
background thread, and hands each batch of table names to a callback (the GUI turns it
into a Qt signal, so the views refresh on the GUI thread). Notifications from this
program's own pooled connections are left out: it refreshed after its own writes already.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

from po_desk.store.server_engine import CONNECT_TIMEOUT_SECONDS, ServerError

log = logging.getLogger(__name__)

CHANNEL = "po_desk_changes"
# How long the listener waits for more notifications before handing a batch over: many
# writes of one save arrive as one refresh.
BATCH_SECONDS = 0.3
RETRY_SECONDS = 5.0
# Handed over after the connection came back: what changed meanwhile is unknown.
UNKNOWN = "*"

NOTIFY_DDL = f"""
    CREATE OR REPLACE FUNCTION po_desk_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
        RETURN NULL;
    END
    $$
"""


def install_notify_trigger(execute: Callable[[str], Any], table: str) -> None:
    """One statement trigger on `table` (server init, idempotent)."""
    execute(f"DROP TRIGGER IF EXISTS po_desk_notify ON {table}")
    execute(
        f"CREATE TRIGGER po_desk_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION po_desk_notify()"
    )


class OwnConnections:
    """The backend process ids of the engine's connections: their notifications are this
    program's own writes."""

    def __init__(self, engine: Engine) -> None:
        self.pids: set[int] = set()
        event.listen(engine, "checkout", self._checked_out)

    def _checked_out(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        pid = getattr(getattr(dbapi_connection, "info", None), "backend_pid", None)
        if isinstance(pid, int):
            self.pids.add(pid)


class ChangeListener:
    """LISTENs on its own connection in a daemon thread; `on_change` gets the names of the
    tables other users changed, a batch at a time, on that thread."""

    def __init__(
        self,
        engine: Engine,
        on_change: Callable[[frozenset[str]], None],
        own: OwnConnections | None = None,
    ) -> None:
        _args, parameters = engine.dialect.create_connect_args(engine.url)
        parameters.pop("context", None)
        self._parameters = {
            **parameters,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "po-desk-listen",
            "autocommit": True,
        }
        self._on_change = on_change
        self._own = own
        self._stop = threading.Event()
        self._connection: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Connects and LISTENs (a ServerError when it cannot), then listens on a thread."""
        try:
            self._connection = self._connect()
        except Exception:
            raise ServerError("Servern kan inte meddela ändringar av andra användare.") from None
        self._thread = threading.Thread(target=self._run, name="po-desk-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=BATCH_SECONDS * 10)
        self._close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _connect(self) -> Any:
        import psycopg

        connection = psycopg.connect(**self._parameters)
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection: nothing left to do
                log.debug("listener connection closed with an error")

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                if self._connection is None:
                    self._connection = self._connect()
                    self._hand_over({UNKNOWN})  # what changed while we were away is unknown
                self._hand_over(self._batch())
            except psycopg.Error as error:
                log.info("change listener lost the server: %s", type(error).__name__)
                self._close()
                self._stop.wait(RETRY_SECONDS)

    def _batch(self) -> set[str]:
        own = self._own.pids if self._own is not None else set()
        tables: set[str] = set()
        for note in self._connection.notifies(timeout=BATCH_SECONDS):
            if note.pid not in own:
                tables.add(note.payload)
            if self._stop.is_set():
                break
        return tables

    def _hand_over(self, tables: set[str]) -> None:
        if not tables or self._stop.is_set():
            return
        try:
            self._on_change(frozenset(tables))
        except Exception as error:  # a failing receiver must not end the listening
            log.warning("change receiver failed: %s", type(error).__name__)
