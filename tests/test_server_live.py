"""Views refresh when another user changes data (issue 18, LISTEN/NOTIFY): a write on one
workspace reaches the listener of another on the same server database within a bounded
time, as table names only; a workspace's own writes are left out."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from po_desk.services import live_updates
from po_desk.services.changes import changes_of
from po_desk.services.verksamhet_service import VerksamhetService
from po_desk.services.workspace import Workspace
from tests.conftest import SERVER_CHEF, SERVER_PASSWORD, TODAY
from tests.test_avvikelser import new as new_avvikelse
from tests.test_ko_service import new as new_anmalan
from tests.test_uppdrag_service import new as new_uppdrag

WAIT_SECONDS = 15  # a bound, never slept: the events below end the wait at once


class Received:
    """What a listener handed over, and an event per kind that arrived."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self._lock = threading.Lock()
        self._arrived: dict[str, threading.Event] = {}

    def _event(self, kind: str) -> threading.Event:
        with self._lock:
            return self._arrived.setdefault(kind, threading.Event())

    def __call__(self, kinds: set[str]) -> None:
        with self._lock:
            self.kinds |= kinds
        for kind in kinds:
            self._event(kind).set()

    def wait_for(self, kind: str) -> bool:
        return self._event(kind).wait(WAIT_SECONDS)


@pytest.fixture
def other_workspace(pg_cluster, pg_services_db, server_workspace) -> Iterator[Workspace]:
    """A second person's workspace on the same server database."""
    from po_desk.services import server_service

    name, _admin = pg_services_db
    workspace = server_service.open_workspace(
        server_service.resolve(pg_cluster.url(SERVER_CHEF, SERVER_PASSWORD, database=name))
    )
    yield workspace
    workspace.session.close()


def test_changes_for_tables_maps_tables_to_the_kinds_views_show() -> None:
    assert live_updates.changes_for_tables({"uppdrag_kontaktorsak", "klient"}) == {
        "uppdrag",
        "klient",
    }
    assert live_updates.changes_for_tables({"ko_anmalan", "audit_log"}) == {"ko"}
    assert live_updates.changes_for_tables({"audit_log"}) == set()
    # Another user's renamed category shows wherever the category is used, as after a
    # rename made here.
    renamed = changes_of(VerksamhetService.rename_category)
    assert live_updates.changes_for_tables({"category_namn"}) == set(renamed.names())
    assert {"uppdrag", "ko", "avvikelser", "aterrapport"} <= set(renamed.names())
    # Unknown (a newer program's table, or changes missed while disconnected): everything.
    assert live_updates.changes_for_tables({live_updates.UNKNOWN}) == set(live_updates.KINDS)
    assert live_updates.changes_for_tables({"en_ny_tabell"}) == set(live_updates.KINDS)


def test_a_local_store_has_nothing_to_listen_for(workspace: Workspace) -> None:
    assert live_updates.listen(workspace, lambda kinds: None) is None


def test_another_users_write_reaches_the_listener(
    server_workspace: Workspace, other_workspace: Workspace
) -> None:
    received = Received()
    listener = live_updates.listen(other_workspace, received)
    assert listener is not None
    try:
        # My own write first: the server notifies it, my listener leaves it out.
        other_workspace.avvikelser.save(new_avvikelse())
        server_workspace.uppdrag.save(new_uppdrag(server_workspace), today=TODAY)
        assert received.wait_for("uppdrag")
        assert "klient" in received.kinds
        server_workspace.ko.save(new_anmalan(server_workspace))
        assert received.wait_for("ko")
        # Notifications arrive in commit order: the avvikelse came before both.
        assert "avvikelser" not in received.kinds
    finally:
        listener.stop()


def test_the_notification_names_the_table_and_never_a_row(
    server_workspace: Workspace, other_workspace: Workspace
) -> None:
    from po_desk.store.server_listen import ChangeListener

    tables: list[frozenset[str]] = []
    arrived = threading.Event()

    def receive(batch: frozenset[str]) -> None:
        tables.append(batch)
        if "uppdrag" in batch:
            arrived.set()

    listener = ChangeListener(other_workspace._store.engine, receive)
    listener.start()
    try:
        server_workspace.verksamhet.set_notes_enabled(True)
        server_workspace.uppdrag.save(
            new_uppdrag(server_workspace, anteckning="KANARIEFAGEL"), today=TODAY
        )
        assert arrived.wait(WAIT_SECONDS)
    finally:
        listener.stop()
    names = set().union(*tables)
    assert {"uppdrag", "klient", "uppdrag_kontaktorsak", "audit_log"} <= names
    assert all(name.isidentifier() and "KANARIE" not in name for name in names)
    assert not listener.running


@pytest.mark.gui
def test_the_main_window_refreshes_the_shown_view_on_another_users_write(
    qtbot, server_workspace: Workspace, other_workspace: Workspace
) -> None:
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.main_window import UPPDRAG, MainWindow

    window = MainWindow(other_workspace, AppSettings(), automatic_backups=False)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(UPPDRAG)
    view = window.uppdrag_view
    refreshed: list[int] = []
    original = view.refresh
    view.refresh = lambda: (refreshed.append(1), original())[1]  # type: ignore[method-assign]
    assert window._listening is not None
    server_workspace.uppdrag.save(new_uppdrag(server_workspace), today=TODAY)
    qtbot.waitUntil(lambda: bool(refreshed), timeout=WAIT_SECONDS * 1000)
    assert view.model.rowCount() == 1  # the other user's uppdrag is listed
    window.close()
    assert window._listening is None


@pytest.mark.gui
def test_a_change_of_data_the_shown_view_does_not_show_leaves_it(window) -> None:
    from po_desk.ui.main_window import AVVIKELSER

    window.nav.setCurrentRow(AVVIKELSER)
    view = window.avvikelser_view
    refreshed: list[set[str]] = []
    view.register.refresh = lambda: refreshed.append(set())  # type: ignore[method-assign]
    window.other_users_changed.emit({"ko"})
    assert refreshed == []
    window.other_users_changed.emit({"avvikelser"})
    assert len(refreshed) == 1
