"""Other users' changes on a shared server, as the kinds of data the views show (issue 18).

The server names the tables another user wrote (store/server_listen.py);
`changes_for_tables` turns them into the same kinds a write of this program declares
(services/changes.py, `OpChanges` field names), so the main window refreshes only the
views whose data changed. A local store has one writer: nothing to listen for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from po_desk.services.changes import CATEGORIES
from po_desk.services.workspace import Workspace
from po_desk.store.server_listen import UNKNOWN, ChangeListener, OwnConnections
from po_desk.store.server_store import ServerStore

# The kinds of data a view shows (the field names of OpChanges).
KINDS = frozenset(
    {
        "uppdrag",
        "klient",
        "ko",
        "avvikelser",
        "ledningsgrupp",
        "verksamhet",
        "prioritering",
        "aterrapport",
        "settings",
    }
)

KINDS_OF_TABLE: dict[str, frozenset[str]] = {
    "uppdrag": frozenset({"uppdrag"}),
    "uppdrag_barn": frozenset({"uppdrag"}),
    "uppdrag_kontaktorsak": frozenset({"uppdrag"}),
    "uppdrag_prioritetsgrund": frozenset({"uppdrag"}),
    "klient": frozenset({"klient"}),
    "ko_anmalan": frozenset({"ko"}),
    "ko_anmalan_kontaktorsak": frozenset({"ko"}),
    "ko_anmalan_prioritetsgrund": frozenset({"ko"}),
    "avvikelse": frozenset({"avvikelser"}),
    "avvikelse_kategori": frozenset({"avvikelser"}),
    "avvikelse_atgard": frozenset({"avvikelser"}),
    "ledningsgrupp_mote": frozenset({"ledningsgrupp"}),
    "ledningsgrupp_medlem": frozenset({"ledningsgrupp"}),
    "verksamhet": frozenset({"verksamhet"}),
    "kommun": frozenset({"verksamhet"}),
    "ombud": frozenset({"verksamhet"}),
    "ombud_grad": frozenset({"verksamhet"}),
    "prioriteringsordning": frozenset({"prioritering"}),
    "prioriteringsordning_grund": frozenset({"prioritering"}),
    "intagningsstopp": frozenset({"prioritering"}),
    "category": frozenset(CATEGORIES.names()),
    "category_namn": frozenset(CATEGORIES.names()),
    "aterrapport": frozenset({"aterrapport"}),
    "setting": frozenset({"settings"}),
    # Every write adds to the ändringslogg; its view follows any kind.
    "audit_log": frozenset(),
}


def changes_for_tables(tables: Iterable[str]) -> set[str]:
    """The kinds of data changed by writes to `tables`; a table not known here (a newer
    program's, or UNKNOWN after the connection came back) counts as every kind."""
    kinds: set[str] = set()
    for table in tables:
        found = KINDS_OF_TABLE.get(table)
        if found is None:
            return set(KINDS)
        kinds |= found
    return kinds


class Listening(Protocol):
    def stop(self) -> None: ...


def listen(workspace: Workspace, on_change: Callable[[set[str]], None]) -> Listening | None:
    """Calls `on_change(kinds)` (on a background thread) when other users change data on
    the server; None on a local store. Stop it before the workspace closes."""
    store = workspace._store
    if not isinstance(store, ServerStore):
        return None
    own = OwnConnections(store.engine)

    def received(tables: frozenset[str]) -> None:
        kinds = changes_for_tables(tables)
        if kinds:
            on_change(kinds)

    listener = ChangeListener(store.engine, received, own)
    listener.start()
    return listener


__all__ = ["KINDS", "UNKNOWN", "changes_for_tables", "listen"]
