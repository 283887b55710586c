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
