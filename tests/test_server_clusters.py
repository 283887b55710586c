"""One register per PostgreSQL cluster (issue 18): the group roles `ombud`, `enhetschef`
and `lasare` are cluster-wide, so `server init` lets only this register's groups CONNECT
to its database and refuses a second register on the same cluster.

These tests run on a throw-away cluster of their own (about two seconds to start): the
session cluster holds many test registers that share the groups (tests/support/
pg_cluster.py `several_registers`), which is exactly what the program refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import pg_cluster as support

REGISTER = "podesk"
OMBUD = "anna_ombud"
OUTSIDER = "olle_annan_app"
PASSWORD = "ett långt serverlösenord 9"
REFUSAL = (
    "po-desk: Rollerna ombud, enhetschef och lasare hör redan till po-desk-registret i "
    "databasen podesk på den här servern; ett andra register behöver ett eget "
    "PostgreSQL-kluster (eller en egen server).\n"
)


def _connect(url: str, **kwargs: Any):
    import psycopg

    return psycopg.connect(url, connect_timeout=10, **kwargs)


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """`server init` as the program has it, whatever the session cluster allows."""
    from po_desk.store import server_admin

    monkeypatch.setattr(server_admin, "initialise", support.strict_initialise())


@pytest.fixture(scope="module")
def lone() -> Iterator[support.PgCluster]:
    """A cluster of its own with one register, `podesk`, after `server init` (strict), an
    ombud in it, and a login role of some other application on the same cluster."""
    try:
        import psycopg  # noqa: F401

        cluster = support.start()
    except (ImportError, support.ClusterUnavailable) as error:
        pytest.skip(f"PostgreSQL-servern kan inte startas för testerna: {error}")
    try:
        from po_desk.services import server_service
        from po_desk.store import server_admin
        from tests.conftest import add_server_person

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(server_admin, "initialise", support.strict_initialise())
            setup = server_service.initialise(
                server_service.resolve(cluster.admin_url(database=REGISTER)),
                server_service.NewVerksamhet("PO Storstaden", "Stockholms län", ["Stockholm"]),
            )
        add_server_person(cluster, REGISTER, OMBUD, "ombud", PASSWORD, setup.recovery_key)
        with _connect(cluster.admin_url(database="postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE ROLE {OUTSIDER} LOGIN PASSWORD '{PASSWORD}'")
        yield cluster
    finally:
        cluster.stop()


def test_only_the_registers_groups_may_connect_to_its_database(lone: support.PgCluster) -> None:
    import psycopg

    from po_desk.services import server_service

    with _connect(lone.url(OMBUD, PASSWORD, database=REGISTER)) as connection:
        assert connection.execute("SELECT count(*) FROM kommun").fetchone() == (1,)
    with _connect(lone.admin_url(database=REGISTER)) as connection:
        assert connection.execute(
            "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
        ).fetchone() == (False,)
    # Any other login role of the cluster (another application's, or a person of a
    # register elsewhere) is stopped by the database itself, not only by the program.
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _connect(lone.url(OUTSIDER, PASSWORD, database=REGISTER))
    outsider = server_service.resolve(lone.url(OUTSIDER, PASSWORD, database=REGISTER))
    with pytest.raises(server_service.ServerError) as refused:
        server_service.try_connection(outsider)
    assert refused.value.message == (
        f"Din användare får inte ansluta till databasen {REGISTER}: den är inte med i det här"
        " po-desk-registret."
    )


def test_server_init_again_on_the_register_is_accepted(
    lone: support.PgCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    from po_desk import cli

    assert cli.main(["server", "init", "--server", lone.admin_url(database=REGISTER)]) == 0
    assert "Rollerna" not in capsys.readouterr().err
    with _connect(lone.url(OMBUD, PASSWORD, database=REGISTER)) as connection:
        assert connection.execute("SELECT count(*) FROM kommun").fetchone() == (1,)


def test_a_second_register_on_the_same_cluster_is_refused(
    lone: support.PgCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reviewer's case: a second `server init` (then `server import`) into podesk2
    would hand podesk's ombud the same group, so they could read and change podesk2."""
    with _connect(lone.admin_url(database="postgres"), autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS podesk2")
        connection.execute("CREATE DATABASE podesk2")
    second = lone.admin_url(database="podesk2")
    from po_desk import cli

    assert cli.main(["server", "init", "--server", second]) == 9
    assert capsys.readouterr().err == REFUSAL
    # Refused before anything was changed: no tables, no grants, no key.
    with _connect(second) as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)
        assert connection.execute(
            "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
        ).fetchone() == (True,)
