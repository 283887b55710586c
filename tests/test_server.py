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
