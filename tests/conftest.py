"""Test setup: Qt offscreen, a cheap KDF, an in-memory keyring, a fresh store per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import pytest

from po_desk.services import stores
from po_desk.services.workspace import Workspace
from po_desk.store import keyring_store, keyslots
from tests.support.memory_keyring import MemoryKeyring

PASSPHRASE = "ett långt och bra lösenord 7"
CHEAP_KDF = keyslots.KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2id at its real cost would make every store creation take a fifth of a second.
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", CHEAP_KDF)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """The in-memory keyring in place of the OS keyring, accepted for this test only."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(
        keyring_store,
        "ACCEPTED_BACKENDS",
        keyring_store.OS_KEYRINGS | {keyring_store.backend_name(backend)},
    )
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setattr(
        "po_desk.services.app_settings.settings_path", lambda: folder / "settings.json"
    )
    return folder


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QSettings (window geometry, last store) in a fresh folder, never the user's own."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "register.podesk"


@pytest.fixture
def created(store_path: Path) -> Iterator[stores.CreatedStore]:
    result = stores.create_store(
        store_path,
        namn="PO Testbygden",
        lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"],
        passphrase=PASSPHRASE,
        start_ar=2020,
    )
    yield result
    result.workspace.close()


@pytest.fixture
def workspace(created: stores.CreatedStore) -> Workspace:
    return created.workspace


TODAY = date(2026, 11, 22)


@pytest.fixture
def window(qtbot, workspace: Workspace):
    """The main window on a fresh store, 1280×800, shown offscreen."""
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.main_window import MainWindow

    win = MainWindow(workspace, AppSettings(), automatic_backups=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL cluster (TLS, SCRAM, loopback) for the whole session.

    Skipped when PostgreSQL or psycopg is missing, unless PO_DESK_REQUIRE_PG=1 (set by
    .ci/run), which turns the skip into a failure.
    """
    from tests.support import pg_cluster as support

    try:
        import psycopg  # noqa: F401

        cluster = support.start()
    except (ImportError, support.ClusterUnavailable) as error:
        reason = f"PostgreSQL-servern kan inte startas för testerna: {error}"
        if os.environ.get(support.REQUIRE_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    yield cluster
    cluster.stop()


SERVER_CHEF = "test_enhetschef"
SERVER_PASSWORD = "ett långt serverlösenord 8"


SEED_SCHEMA = "po_desk_seed"


@pytest.fixture(scope="session")
def pg_services_db(pg_cluster) -> Iterator[tuple[str, Any]]:
    """A database after `server init` with the `created` fixture's verksamhet, and a copy
    of its rows in a side schema to reset to before each test (much faster than cloning
    a database). Yields its name and an administrator's connection."""
    import psycopg

    from po_desk.services import server_service

    name = "podesk_services"
    with psycopg.connect(pg_cluster.admin_url(database="postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    admin = server_service.resolve(pg_cluster.admin_url(database=name))
    server_service.initialise(
        admin,
        server_service.NewVerksamhet(
            "PO Testbygden", "Värmlands län", ["Karlstad", "Hammarö"], start_ar=2020
        ),
    )
    server_service.add_user(admin, SERVER_CHEF, "enhetschef", SERVER_PASSWORD)
    connection = psycopg.connect(pg_cluster.admin_url(database=name), autocommit=True)
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename NOT IN ('alembic_version', 'server_audit')"
        )
    ]
    connection.execute(f"CREATE SCHEMA {SEED_SCHEMA}")
    for table in tables:
        connection.execute(f"CREATE TABLE {SEED_SCHEMA}.{table} AS TABLE public.{table}")
    connection.info_tables = tables  # type: ignore[attr-defined]
    yield name, connection
    connection.close()


@pytest.fixture
def server_workspace(pg_cluster, pg_services_db) -> Iterator[Workspace]:
    """The services database reset to its seed, opened as an enhetschef."""
    from po_desk.services import server_service

    name, admin = pg_services_db
    tables = admin.info_tables
    with admin.transaction():
        # As superuser: no foreign-key or audit triggers while the seed goes back in.
        admin.execute("SET LOCAL session_replication_role = replica")
        for table in [*tables, "server_audit"]:
            admin.execute(f"DELETE FROM public.{table}")  # tiny tables: faster than TRUNCATE
        for table in tables:
            admin.execute(f"INSERT INTO public.{table} SELECT * FROM {SEED_SCHEMA}.{table}")
    workspace = server_service.open_workspace(
        server_service.resolve(pg_cluster.url(SERVER_CHEF, SERVER_PASSWORD, database=name))
    )
    yield workspace
    workspace.close()
