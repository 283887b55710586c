"""The shared PostgreSQL server (issue 18, first slice), against a throw-away cluster."""

from __future__ import annotations

import pytest

from tests.support.pg_cluster import PgCluster


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, connect_timeout=10)


def test_cluster_accepts_only_tls(pg_cluster: PgCluster) -> None:
    import psycopg

    with _connect(pg_cluster.admin_url()) as connection:
        row = connection.execute(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone()
    assert row == (True,)
    with pytest.raises(psycopg.OperationalError, match=r"no pg_hba\.conf entry"):
        _connect(pg_cluster.admin_url(sslmode="disable"))


def _profile(url: str):
    from po_desk.store.server_engine import ServerProfile

    return ServerProfile.from_url(url)


def test_server_url_is_parsed_into_a_profile_without_showing_the_password() -> None:
    profile = _profile(
        "postgresql://anna:hemligt@db.kommun.se:6432/podesk?sslrootcert=/etc/ca.crt"
        "&krbsrvname=postgres"
    )
    assert (profile.host, profile.port, profile.database, profile.user) == (
        "db.kommun.se",
        6432,
        "podesk",
        "anna",
    )
    assert profile.sslmode == "verify-full"
    assert profile.sslrootcert == "/etc/ca.crt"
    assert profile.krbsrvname == "postgres"
    assert profile.password == "hemligt"
    assert "hemligt" not in repr(profile)
    assert "hemligt" not in profile.describe()


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_weaker_sslmode_is_refused_before_connecting(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk.store import server_engine

    def no_engine(*_args, **_kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(server_engine, "create_engine", no_engine)
    profile = _profile(f"postgresql://anna@db.kommun.se/podesk?sslmode={mode}")
    with pytest.raises(server_engine.ServerError) as refused:
        server_engine.open_server_engine(profile)
    assert refused.value.message.startswith("Anslutningen vägras: sslmode=")
    assert "\n" not in refused.value.message


def test_server_certificate_from_another_ca_is_refused(pg_cluster: PgCluster) -> None:
    from po_desk.store import server_engine

    profile = _profile(pg_cluster.admin_url(ca_file=pg_cluster.other_ca_file))
    with pytest.raises(server_engine.ServerError) as refused:
        server_engine.open_server_engine(profile)
    assert "inte är utfärdat av kommunens CA" in refused.value.message
    assert pg_cluster.admin_password not in refused.value.message


def test_certificate_for_another_host_name_is_refused(pg_cluster: PgCluster) -> None:
    from po_desk.store import server_engine

    # The right server and CA, reached under a name its certificate does not carry.
    profile = _profile(pg_cluster.admin_url(host="podesk.kommun.invalid", hostaddr="127.0.0.1"))
    with pytest.raises(server_engine.ServerError) as refused:
        server_engine.open_server_engine(profile)
    assert refused.value.message == (
        "Serverns certifikat gäller inte värdnamnet podesk.kommun.invalid; anslutningen avbröts."
    )


def test_no_ca_file_is_one_swedish_line(
    pg_cluster: PgCluster, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk.store import server_engine

    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.postgresql/root.crt either
    url = pg_cluster.admin_url().split("&sslrootcert=")[0]
    with pytest.raises(server_engine.ServerError) as refused:
        server_engine.open_server_engine(_profile(url))
    assert refused.value.message == (
        "Kommunens CA-certifikat saknas: ange sslrootcert=FIL i serveradressen."
    )


def test_wrong_password_is_one_swedish_line(pg_cluster: PgCluster) -> None:
    from po_desk.store import server_engine

    profile = _profile(pg_cluster.url(pg_cluster.admin, "fel-lösenord"))
    with pytest.raises(server_engine.ServerError) as refused:
        server_engine.open_server_engine(profile)
    assert refused.value.message.startswith("Inloggningen på servern misslyckades")


def test_verified_tls_connection_opens(pg_cluster: PgCluster) -> None:
    from sqlalchemy import text

    from po_desk.store import server_engine

    engine = server_engine.open_server_engine(_profile(pg_cluster.admin_url()))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == pg_cluster.admin
            assert engine.dialect.name == "postgresql"
    finally:
        engine.dispose()


# --- server init, users and roles --------------------------------------------------------

USER_PASSWORD = "ett långt serverlösenord 9"
PEOPLE = {"ombud": "anna_ombud", "enhetschef": "erik_chef", "lasare": "lisa_lasare"}
KLIENT_ID = "c0000000-0000-0000-0000-000000000001"
CLOSED_ID = "u0000000-0000-0000-0000-000000000001"
PRIO_ID = "p0000000-0000-0000-0000-000000000001"
RECOVERY_KEY: dict[str, str | None] = {}  # the server's recovery key, by database


@pytest.fixture(scope="module")
def server(pg_cluster: PgCluster) -> PgCluster:
    """The cluster after `server init`, with one person in each group and a little data."""
    from po_desk.services import server_service
    from tests.conftest import add_server_person

    admin = server_service.resolve(pg_cluster.admin_url())
    setup = server_service.initialise(
        admin, server_service.NewVerksamhet("PO Storstaden", "Stockholms län", ["Stockholm"])
    )
    RECOVERY_KEY[pg_cluster.database] = setup.recovery_key
    for group, name in PEOPLE.items():
        add_server_person(
            pg_cluster, pg_cluster.database, name, group, USER_PASSWORD, setup.recovery_key
        )
    with _connect(pg_cluster.admin_url()) as connection:
        stamp = "2026-01-01 00:00:00"
        (kommun_id,) = connection.execute("SELECT id FROM kommun").fetchone()
        connection.execute(
            "INSERT INTO klient (id, kon, fodelsear, created_at, updated_at) "
            "VALUES (%s, 'kvinna', 1970, %s, %s)",
            (KLIENT_ID, stamp, stamp),
        )
        connection.execute(
            "INSERT INTO uppdrag (id, kod, klient_id, kon, fodelsear, kommun_id, start, slut,"
            " avslutsorsak, barn, anteckning, created_at, updated_at) VALUES (%s, 'PO-2015-001',"
            " %s, 'kvinna', 1970, %s, '2015-01-01', '2015-06-01', 'klar', 'nej', 'en anteckning',"
            " %s, %s)",
            (CLOSED_ID, KLIENT_ID, kommun_id, stamp, stamp),
        )
        connection.execute(
            "INSERT INTO prioriteringsordning (id, beslutad, anteckning, beslutad_av, ingen,"
            " created_at, updated_at)"
            " VALUES (%s, '2025-01-01', '', 'ledningsgrupp', false, %s, %s)",
            (PRIO_ID, stamp, stamp),
        )
        connection.execute(
            "INSERT INTO aterrapport (id, ar, manuellt, created_at, updated_at)"
            " VALUES ('a0000000-0000-0000-0000-000000002025', 2025, '{}', %s, %s)",
            (stamp, stamp),
        )
    return pg_cluster


def _as(server: PgCluster, group: str):
    return _connect(server.url(PEOPLE[group], USER_PASSWORD))


def test_server_init_builds_exactly_the_models_at_head(server: PgCluster) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from po_desk.store import migrate, server_admin, server_engine
    from po_desk.store.tables import metadata

    engine = server_engine.open_server_engine(_profile(server.admin_url()))
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_name": lambda name, kind, _p: (
                        name not in server_admin.SERVER_ONLY_TABLES
                    )
                },
            )
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_server_init_runs_again_without_harm(server: PgCluster) -> None:
    from po_desk.services import server_service

    setup = server_service.initialise(server_service.resolve(server.admin_url()))
    assert {"uppdrag", "prioriteringsordning", "server_audit"} <= set(setup.tables)
    assert setup.recovery_key is None  # the data key is made once
    with _as(server, "ombud") as connection:
        assert connection.execute("SELECT count(*) FROM uppdrag").fetchone() == (1,)


def test_group_roles_and_people_exist(server: PgCluster) -> None:
    with _connect(server.admin_url()) as connection:
        rows = connection.execute(
            "SELECT u.rolname, g.rolname FROM pg_auth_members m"
            " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
            " WHERE u.rolname = ANY(%s)",
            (list(PEOPLE.values()),),
        ).fetchall()
        verifier = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'anna_ombud'"
        ).fetchone()
    assert sorted(rows) == sorted((name, group) for group, name in PEOPLE.items())
    assert verifier[0].startswith("SCRAM-SHA-256$")


FORBIDDEN = {
    "ombud changes the prioriteringsordning": (
        "ombud",
        f"UPDATE prioriteringsordning SET beslutad_av = 'enhetschef' WHERE id = '{PRIO_ID}'",
    ),
    "ombud adds a prioriteringsordning": (
        "ombud",
        "INSERT INTO prioriteringsordning (id, beslutad, anteckning, ingen, created_at,"
        " updated_at) VALUES ('x', '2026-01-01', '', false, now(), now())",
    ),
    "ombud changes a prioritetsgrund's rank": (
        "ombud",
        "DELETE FROM prioriteringsordning_grund",
    ),
    "ombud adds a ledningsgrupp member": (
        "ombud",
        "INSERT INTO ledningsgrupp_medlem (id, organisation, roll, fran, created_at,"
        " updated_at) VALUES ('x', 'kommun', 'chef', '2026-01-01', now(), now())",
    ),
    "ombud adds a ledningsgrupp meeting": (
        "ombud",
        "INSERT INTO ledningsgrupp_mote (id, datum, anteckning, created_at, updated_at)"
        " VALUES ('x', '2026-01-01', '', now(), now())",
    ),
    "ombud fastställer a return": (
        "ombud",
        "UPDATE aterrapport SET faststalld = '{}', faststalld_av = 'anna' WHERE ar = 2025",
    ),
    "ombud inserts a fastställd return": (
        "ombud",
        "INSERT INTO aterrapport (id, ar, manuellt, faststalld, created_at, updated_at)"
        " VALUES ('x', 2024, '{}', '{}', now(), now())",
    ),
    "ombud gallrar a closed uppdrag": (
        "ombud",
        "UPDATE uppdrag SET anteckning = NULL, ombud_id = NULL, hanvisad_fran = NULL,"
        f" avslutsorsak = NULL WHERE id = '{CLOSED_ID}'",
    ),
    "ombud adds a user through the function": (
        "ombud",
        "SELECT po_desk_user_add('inkraktare', 'enhetschef', 'SCRAM-SHA-256$x')",
    ),
    "ombud creates a role": ("ombud", "CREATE ROLE inkraktare LOGIN"),
    "ombud changes the verksamhet's kommuner": (
        "ombud",
        "UPDATE kommun SET namn = 'Annan'",
    ),
    "ombud erases the server audit": ("ombud", "DELETE FROM server_audit"),
    "enhetschef erases the server audit": ("enhetschef", "DELETE FROM server_audit"),
    "lasare inserts an uppdrag": (
        "lasare",
        "INSERT INTO uppdrag (id, kod, kon, fodelsear, kommun_id, start, barn, created_at,"
        " updated_at) VALUES ('x', 'PO-X', 'man', 1980, (SELECT min(id) FROM kommun),"
        " '2026-01-01', 'nej',"
        " now(), now())",
    ),
    "lasare edits an uppdrag": ("lasare", "UPDATE uppdrag SET fodelsear = 1971"),
    "lasare writes the program's log": (
        "lasare",
        "INSERT INTO audit_log (id, at, actor, action, table_name, row_id)"
        " VALUES ('x', now(), 'l', 'ny', 'uppdrag', 'x')",
    ),
}


@pytest.mark.parametrize("case", sorted(FORBIDDEN))
def test_forbidden_write_is_refused_by_postgresql(server: PgCluster, case: str) -> None:
    import psycopg

    group, statement = FORBIDDEN[case]
    with _as(server, group) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    # Nothing changed.
    with _connect(server.admin_url()) as connection:
        assert connection.execute(
            "SELECT beslutad_av FROM prioriteringsordning WHERE id = %s", (PRIO_ID,)
        ).fetchone() == ("ledningsgrupp",)
        assert connection.execute(
            "SELECT anteckning FROM uppdrag WHERE id = %s", (CLOSED_ID,)
        ).fetchone() == ("en anteckning",)


def test_permitted_write_lands_in_the_server_audit_with_the_role(server: PgCluster) -> None:
    with _as(server, "ombud") as connection:
        connection.execute(
            "INSERT INTO uppdrag (id, kod, klient_id, kon, fodelsear, kommun_id, start, barn,"
            " created_at, updated_at) VALUES ('u-audit-1', 'PO-2026-901', %s, 'kvinna', 1970,"
            " (SELECT min(id) FROM kommun), '2026-02-01', 'nej', now(), now())",
            (KLIENT_ID,),
        )
        connection.execute('UPDATE aterrapport SET manuellt = \'{"a": "1"}\' WHERE ar = 2025')
    with _connect(server.admin_url()) as connection:
        rows = connection.execute(
            "SELECT role_name, table_name, operation, row_id FROM server_audit"
            " WHERE role_name = 'anna_ombud' ORDER BY id"
        ).fetchall()
    assert ("anna_ombud", "uppdrag", "INSERT", "u-audit-1") in rows
    assert ("anna_ombud", "aterrapport", "UPDATE", "a0000000-0000-0000-0000-000000002025") in rows


def test_ombud_edits_an_uppdrag_and_an_anmalan(server: PgCluster) -> None:
    """The gallring guard tested one table's columns on the other: every ombud UPDATE of
    an uppdrag failed with "record old has no field orsak"."""
    with _as(server, "ombud") as connection:
        connection.execute(
            "INSERT INTO uppdrag (id, kod, klient_id, kon, fodelsear, kommun_id, start, barn,"
            " created_at, updated_at) VALUES ('u-edit-1', 'PO-2026-902', %s, 'kvinna', 1970,"
            " (SELECT min(id) FROM kommun), '2026-02-01', 'nej', now(), now())",
            (KLIENT_ID,),
        )
        connection.execute(
            "INSERT INTO ko_anmalan (id, kod, anmald, kon, fodelsear, kommun_id, status,"
            " created_at, updated_at) VALUES ('k-edit-1', 'K2026-902', '2026-01-10', 'man',"
            " 1980, (SELECT min(id) FROM kommun), 'vantar', now(), now())"
        )
        connection.execute("UPDATE uppdrag SET fodelsear = 1971 WHERE id = 'u-edit-1'")
        connection.execute("UPDATE ko_anmalan SET fodelsear = 1981 WHERE id = 'k-edit-1'")
        assert connection.execute(
            "SELECT u.fodelsear, k.fodelsear, u.version FROM uppdrag u, ko_anmalan k"
            " WHERE u.id = 'u-edit-1' AND k.id = 'k-edit-1'"
        ).fetchone() == (1971, 1981, 1)  # a raw UPDATE leaves the version to the program
        connection.rollback()


def test_enhetschef_may_do_what_an_ombud_may_not(server: PgCluster) -> None:
    with _as(server, "enhetschef") as connection:
        connection.execute(
            "UPDATE prioriteringsordning SET anteckning = 'beslutad' WHERE id = %s", (PRIO_ID,)
        )
        connection.execute("UPDATE aterrapport SET faststalld_av = 'erik' WHERE ar = 2025")
        connection.rollback()  # leave the data as the other tests expect it
    with _as(server, "lasare") as connection:
        assert connection.execute("SELECT count(*) FROM prioriteringsordning").fetchone() == (1,)


def test_users_are_added_and_removed_only_by_enhetschef_or_admin(server: PgCluster) -> None:
    from po_desk.services import server_service

    chef = server_service.resolve(server.url(PEOPLE["enhetschef"], USER_PASSWORD))
    server_service.add_user(chef, "ny_ombud", "ombud", USER_PASSWORD)
    with _connect(server.url("ny_ombud", USER_PASSWORD)) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("ny_ombud",)
    ombud = server_service.resolve(server.url(PEOPLE["ombud"], USER_PASSWORD))
    with pytest.raises(server_service.ServerError, match="Din roll på servern får inte"):
        server_service.add_user(ombud, "ny_chef", "enhetschef", USER_PASSWORD)
    with pytest.raises(server_service.ServerError, match="Din roll på servern får inte"):
        server_service.remove_user(ombud, "ny_ombud")
    # The administrator is no po-desk user and cannot be removed through the program.
    with pytest.raises(server_service.ServerError, match="ingen po-desk-användare"):
        server_service.remove_user(chef, server.admin)
    server_service.remove_user(chef, "ny_ombud")
    with pytest.raises(server_service.ServerError, match="Inloggningen på servern misslyckades"):
        server_service.open_server_engine(
            server_service.resolve(server.url("ny_ombud", USER_PASSWORD))
        )


# --- the command line ---------------------------------------------------------------------


def test_cli_refuses_weak_sslmode_before_asking_for_a_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk import cli

    monkeypatch.delenv("PO_DESK_SERVER_PASSWORD", raising=False)
    code = cli.main(
        ["server", "init", "--server", "postgresql://it@db.kommun.se/podesk?sslmode=prefer"]
    )
    err = capsys.readouterr().err
    assert code == 9
    assert err.count("\n") == 1
    assert err.startswith("po-desk: Anslutningen vägras: sslmode=prefer")


def test_cli_server_init_and_users(
    server: PgCluster,
    tmp_path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from po_desk import cli

    monkeypatch.setenv("PO_DESK_SERVER_PASSWORD", server.admin_password)
    admin_url = server.url(server.admin)  # no password in the URL: it comes from the env
    assert cli.main(["server", "init", "--server", admin_url, "--remember"]) == 0
    assert "rollerna ombud, enhetschef, lasare" in capsys.readouterr().out
    # From here on the password comes from the OS keyring (--remember above).
    monkeypatch.delenv("PO_DESK_SERVER_PASSWORD")

    password_file = tmp_path / "nytt.txt"
    password_file.write_text(USER_PASSWORD + "\n")
    key_file = tmp_path / "nyckel.txt"
    key_file.write_text(f"{RECOVERY_KEY[server.database]}\n")
    args = ["server", "user", "add", "cli_ombud", "--role", "ombud", "--server", admin_url]
    args += ["--recovery-key-file", str(key_file)]
    assert cli.main([*args, "--new-password-file", str(password_file)]) == 0
    assert "Användaren cli_ombud är tillagd" in capsys.readouterr().out
    with _connect(server.url("cli_ombud", USER_PASSWORD)) as connection:
        assert connection.execute("SELECT pg_has_role('ombud', 'MEMBER')").fetchone() == (True,)

    assert cli.main([*args, "--new-password-file", str(password_file)]) == 9
    assert capsys.readouterr().err == "po-desk: Användaren cli_ombud finns redan på servern.\n"
    assert cli.main(["server", "user", "remove", "cli_ombud", "--server", admin_url]) == 0
    assert "borttagen" in capsys.readouterr().out


# --- the services on the server engine ----------------------------------------------------


def _new_uppdrag(workspace, **changes):
    from dataclasses import replace
    from datetime import date

    from po_desk.domain.uppdrag import Uppdrag

    kommun = workspace.verksamhet.get().kommuner[0]
    base = Uppdrag(
        kon="kvinna",
        fodelsear=1985,
        kommun_id=kommun.id,
        start=date(2026, 3, 10),
        kontaktorsaker=("myndigheter", "ekonomi"),
        barn="helt",
    )
    return replace(base, **changes)


def test_uppdrag_service_creates_and_lists_on_the_server(server: PgCluster) -> None:
    from po_desk.services import server_service
    from tests.conftest import TODAY

    workspace = server_service.open_workspace(
        server_service.resolve(server.url(PEOPLE["ombud"], USER_PASSWORD))
    )
    try:
        assert workspace.verksamhet.get().namn == "PO Storstaden"
        first = workspace.uppdrag.save(_new_uppdrag(workspace), today=TODAY)
        second = workspace.uppdrag.save(_new_uppdrag(workspace), today=TODAY)
        assert (first.kod, second.kod) == ("2026-001", "2026-002")
        listed = {u.kod: u for u in workspace.uppdrag.all()}
        assert {"2026-001", "2026-002"} <= set(listed)
        assert listed["2026-001"].kontaktorsaker == ("ekonomi", "myndigheter")
        assert workspace.session.actor == PEOPLE["ombud"]
        assert workspace.session.check() == []
    finally:
        workspace.session.close()
    with _connect(server.admin_url()) as connection:
        audited = connection.execute(
            "SELECT count(*) FROM server_audit WHERE role_name = %s AND table_name = 'uppdrag'"
            " AND operation = 'INSERT' AND row_id = %s",
            (PEOPLE["ombud"], first.id),
        ).fetchone()
    assert audited == (1,)


def test_lasare_reads_through_the_services_but_cannot_save(server: PgCluster) -> None:
    from po_desk.services import server_service
    from tests.conftest import TODAY

    workspace = server_service.open_workspace(
        server_service.resolve(server.url(PEOPLE["lasare"], USER_PASSWORD))
    )
    try:
        before = workspace.uppdrag.count()
        assert before >= 1
        with pytest.raises(server_service.ServerError) as refused:
            workspace.uppdrag.save(_new_uppdrag(workspace), today=TODAY)
        assert refused.value.message == "Din roll på servern får inte göra detta."
        assert workspace.uppdrag.count() == before
    finally:
        workspace.session.close()


def test_workspace_on_a_server_without_init_is_refused(pg_cluster: PgCluster) -> None:
    from po_desk.services import server_service

    with _connect(pg_cluster.admin_url(database="postgres")) as connection:
        connection.autocommit = True
        connection.execute("DROP DATABASE IF EXISTS tom")
        connection.execute("CREATE DATABASE tom")
    with pytest.raises(server_service.ServerError, match="IT kör först po-desk server init"):
        server_service.open_workspace(server_service.resolve(pg_cluster.admin_url(database="tom")))


def test_services_refuse_what_an_ombud_may_not_and_leave_the_data(server: PgCluster) -> None:
    from datetime import date

    from po_desk.services import server_service

    chef = server_service.open_workspace(
        server_service.resolve(server.url(PEOPLE["enhetschef"], USER_PASSWORD))
    )
    try:
        chef.gallring.set_period_years(2)
    finally:
        chef.session.close()
    workspace = server_service.open_workspace(
        server_service.resolve(server.url(PEOPLE["ombud"], USER_PASSWORD))
    )
    try:
        with pytest.raises(server_service.ServerError, match="Din roll på servern"):
            workspace.gallring.run(today=date(2026, 11, 22))
        with pytest.raises(server_service.ServerError, match="Din roll på servern"):
            workspace.aterrapport.freeze(2025)
        with pytest.raises(server_service.ServerError, match="Din roll på servern"):
            workspace.gallring.set_period_years(1)
    finally:
        workspace.session.close()
    with _connect(server.admin_url()) as connection:
        assert connection.execute(
            "SELECT anteckning FROM uppdrag WHERE id = %s", (CLOSED_ID,)
        ).fetchone() == ("en anteckning",)
        assert connection.execute(
            "SELECT faststalld FROM aterrapport WHERE ar = 2025"
        ).fetchone() == (None,)


def test_concurrent_ombud_never_get_the_same_code(server: PgCluster) -> None:
    """Eight people save new uppdrag at once: every code is different and none is lost."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    from po_desk.services import server_service
    from tests.conftest import TODAY

    profile = server_service.resolve(server.url(PEOPLE["ombud"], USER_PASSWORD))
    per_person = 5

    def person(_index: int) -> list[str]:
        workspace = server_service.open_workspace(profile)
        try:
            return [
                workspace.uppdrag.save(
                    _new_uppdrag(workspace, start=date(2024, 3, 10)), today=TODAY
                ).kod
                for _ in range(per_person)
            ]
        finally:
            workspace.session.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = [kod for result in pool.map(person, range(8)) for kod in result]
    assert len(codes) == 8 * per_person
    assert len(set(codes)) == len(codes)
    assert sorted(codes) == [f"2024-{n:03d}" for n in range(1, 8 * per_person + 1)]


def test_login_password_is_remembered_in_the_os_keyring(
    monkeypatch: pytest.MonkeyPatch, memory_keyring
) -> None:
    from po_desk.services import server_service

    monkeypatch.delenv("PO_DESK_SERVER_PASSWORD", raising=False)
    profile = server_service.resolve("postgresql://anna@db.kommun.se/podesk")
    assert not server_service.remember_password(profile)  # no password: nothing to keep
    assert server_service.remember_password(profile.with_login(password="hemligt lösen 12"))
    assert server_service.with_password(profile, None).password == "hemligt lösen 12"
    other = server_service.resolve("postgresql://erik@db.kommun.se/podesk")
    with pytest.raises(server_service.secrets_input.NoPassphrase, match="Inget lösenord"):
        server_service.with_password(other, None)
    server_service.forget_password(profile)
    with pytest.raises(server_service.secrets_input.NoPassphrase):
        server_service.with_password(profile, None)
