"""Test setup: Qt offscreen, a cheap KDF, an in-memory keyring, a fresh store per test."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Qt's user settings of this test run live in a folder of their own, never the user's, even
# for a test that reaches Qt without the GUI fixtures (per-test folders are set below).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="po-desk-tests-config-")

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import pytest

from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace
from po_desk.store import keyslots, os_keyring
from tests.support.memory_keyring import MemoryKeyring

PASSPHRASE = "ett långt och bra lösenord 7"
CHEAP_KDF = keyslots.KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2id at its real cost would make every store creation take a fifth of a second.
    # Tests marked production_kdf keep the program's own parameters (and assert them).
    if request.node.get_closest_marker("production_kdf") is None:
        monkeypatch.setattr(keyslots, "DEFAULT_KDF", CHEAP_KDF)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """The in-memory keyring in place of the OS keyring, accepted for this test only."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(
        os_keyring,
        "ACCEPTED_BACKENDS",
        os_keyring.OS_KEYRINGS | {os_keyring.backend_name(backend)},
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


QT_FIXTURES = frozenset({"qtbot", "qapp", "window"})


def uses_qt(request: pytest.FixtureRequest) -> bool:
    """A GUI test: marked gui, or asking for a Qt fixture."""
    return request.node.get_closest_marker("gui") is not None or bool(
        QT_FIXTURES & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def qt_isolation(request: pytest.FixtureRequest) -> None:
    """Fresh QSettings for GUI tests only: domain, store and service tests never touch Qt."""
    if uses_qt(request):
        request.getfixturevalue("isolated_qsettings")


@pytest.fixture
def isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QSettings (window geometry, last store) in a fresh folder, never the user's own."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "register.podesk"


def new_test_store(path: Path) -> store_lifecycle.CreatedStore:
    """The tests' verksamhet: PO Testbygden in Värmland, two kommuner, since 2020."""
    return store_lifecycle.create_store(
        path,
        namn="PO Testbygden",
        lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"],
        passphrase=PASSPHRASE,
        start_ar=2020,
    )


@pytest.fixture
def created(store_path: Path) -> Iterator[store_lifecycle.CreatedStore]:
    result = new_test_store(store_path)
    yield result
    result.workspace.session.close()


@pytest.fixture
def workspace(created: store_lifecycle.CreatedStore) -> Workspace:
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


# One demo store per test run: 300 uppdrag over two years, seed 11, made for today. Tests
# that only need "a realistic store" get a copy of it (demo_workspace) instead of filling
# their own, which took seconds each.
DEMO_UPPDRAG, DEMO_YEARS, DEMO_SEED = 300, 2, 11


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from po_desk.services import demo

    previous = keyslots.DEFAULT_KDF
    keyslots.DEFAULT_KDF = CHEAP_KDF
    previous_ring = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        path = tmp_path_factory.mktemp("demo-template") / "demo.podesk"
        created = new_test_store(path)
        demo.fill(created.workspace, DEMO_UPPDRAG, DEMO_YEARS, seed=DEMO_SEED)
        created.workspace.session.close()
    finally:
        keyslots.DEFAULT_KDF = previous
        keyring.set_keyring(previous_ring)
    return path


@pytest.fixture
def demo_store_path(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the run's demo store: database, key file and lock file, as a
    store left by a closed program."""
    import shutil

    target = tmp_path / "register.podesk"
    for source in demo_template.parent.glob(demo_template.name + "*"):
        shutil.copy2(source, tmp_path / (target.name + source.name[len(demo_template.name) :]))
    return target


@pytest.fixture
def demo_workspace(demo_store_path: Path) -> Iterator[Workspace]:
    workspace = store_lifecycle.open_store(demo_store_path, passphrase=PASSPHRASE)
    yield workspace
    workspace.session.close()


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
    # Many test registers on the one session cluster (tests/test_server_clusters.py
    # checks the program's own refusal of a second register).
    with support.several_registers():
        yield cluster
    cluster.stop()


SERVER_CHEF = "test_enhetschef"
SERVER_PASSWORD = "ett långt serverlösenord 8"


SEED_SCHEMA = "po_desk_seed"
FIRST_PASSWORD = "ett första tillfälligt lösenord"


def add_server_person(
    cluster, database: str, name: str, group: str, password: str, recovery_key: str | None
) -> None:
    """A person added by the administrator (with the recovery key) who has logged in once
    and changed the first password to `password`."""
    from po_desk.services import server_service

    admin = server_service.resolve(cluster.admin_url(database=database))
    server_service.add_user(admin, name, group, FIRST_PASSWORD, recovery_key=recovery_key)
    first = server_service.resolve(cluster.url(name, FIRST_PASSWORD, database=database))
    server_service.change_password(first, FIRST_PASSWORD, password)


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
    setup = server_service.initialise(
        admin,
        server_service.NewVerksamhet(
            "PO Testbygden", "Värmlands län", ["Karlstad", "Hammarö"], start_ar=2020
        ),
    )
    add_server_person(
        pg_cluster, name, SERVER_CHEF, "enhetschef", SERVER_PASSWORD, setup.recovery_key
    )
    connection = psycopg.connect(pg_cluster.admin_url(database=name), autocommit=True)
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            # The key slots are the people, kept across tests like their login roles.
            " AND tablename NOT IN ('alembic_version', 'server_audit', 'server_keyslot')"
        )
    ]
    connection.execute(f"CREATE SCHEMA {SEED_SCHEMA}")
    for table in tables:
        connection.execute(f"CREATE TABLE {SEED_SCHEMA}.{table} AS TABLE public.{table}")
    connection.info_tables = tables  # type: ignore[attr-defined]
    connection.info_recovery_key = setup.recovery_key  # type: ignore[attr-defined]
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
    workspace.session.close()
