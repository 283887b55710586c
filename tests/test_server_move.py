"""Moving a register between a local file and the shared server (issue 18, "Moving").

Each test gets a database of its own after `server init` without a verksamhet (what IT
prepares before `server import`). Returns are compared by computing them through the
services on each side, independently of the move's own proof.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from po_desk.services import register_move, server_service, store_lifecycle
from po_desk.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.support.pg_cluster import PgCluster
from tests.support.server_roles import role_url, role_users  # noqa: F401  (fixture)

_numbers = itertools.count()
NEW_PASSPHRASE = "en annan lång lösenfras 12"


def _returns(workspace: Workspace) -> dict[int, tuple[object, object]]:
    """Each year's return computed by the services, and the fastställd one if any."""
    service = workspace.aterrapport
    years = register_move.years_of(workspace)
    return {year: (service.compute(year), service.saved(year).faststalld) for year in years}


@dataclass(frozen=True)
class EmptyServer:
    """A new database prepared by `server init` alone (what IT does before `server
    import`): the administrator's URL and profile, and the server's recovery key, which
    gives an administrator (who has no key slot) the data key that seals the free text."""

    url: str
    profile: server_service.ServerProfile
    key: str


@pytest.fixture
def empty_server(pg_cluster: PgCluster) -> EmptyServer:
    import psycopg

    name = f"podesk_move_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_cluster.admin_url(database="postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.admin_url(database=name)
    profile = server_service.resolve(url)
    setup = server_service.initialise(profile)
    assert setup.recovery_key
    return EmptyServer(url, profile, setup.recovery_key)


def _move(path: Path, server: EmptyServer) -> register_move.MoveReport:
    return register_move.move_to_server(
        path, server.profile, passphrase=PASSPHRASE, server_recovery_key=server.key
    )


def _open(server: EmptyServer) -> Workspace:
    return server_service.open_workspace(server.profile, recovery_key=server.key)


def test_local_register_moves_to_the_server_with_every_return_the_same(
    demo_store_path: Path, empty_server: EmptyServer
) -> None:
    before = store_lifecycle.open_store(demo_store_path, passphrase=PASSPHRASE)
    try:
        last_year = max(register_move.years_of(before)) - 1
        before.aterrapport.freeze(last_year, warnings_confirmed=True)
        expected = _returns(before)
        assert expected[last_year][1] is not None, "a fastställd return travels too"
        uppdrag = before.uppdrag.count()
    finally:
        before.session.close()
    assert len(expected) >= 2 and uppdrag == 300

    report = _move(demo_store_path, empty_server)

    assert report.counts["uppdrag"] == 300
    assert report.years == sorted(expected)
    on_server = _open(empty_server)
    try:
        assert on_server.uppdrag.count() == uppdrag
        assert _returns(on_server) == expected
        assert on_server.verksamhet.get().namn == "PO Testbygden"
    finally:
        on_server.session.close()


def test_a_move_goes_only_to_an_empty_register_and_changes_nothing_when_refused(
    demo_store_path: Path, empty_server: EmptyServer
) -> None:
    _move(demo_store_path, empty_server)
    with pytest.raises(register_move.transfer.NotEmpty, match="tomt register"):
        _move(demo_store_path, empty_server)
    on_server = _open(empty_server)
    try:
        assert on_server.uppdrag.count() == 300
    finally:
        on_server.session.close()


def test_a_return_that_differs_takes_the_whole_move_back(
    demo_store_path: Path,
    empty_server: EmptyServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One uppdrag's kön changed on the way: the row counts agree, the returns do not,
    and nothing of the move is committed."""
    real_batches = register_move.transfer._batches

    def one_row_changed(session, table):
        for rows in real_batches(session, table):
            if table.name == "uppdrag":
                first = rows[0]
                first["kon"] = "man" if first["kon"] == "kvinna" else "kvinna"
            yield rows

    monkeypatch.setattr(register_move.transfer, "_batches", one_row_changed)
    with pytest.raises(register_move.ReturnsDiffer, match="återrapporten för 20"):
        _move(demo_store_path, empty_server)
    # Nothing of the move was committed: the server is as `server init` left it.
    with pytest.raises(server_service.ServerError, match="ingen verksamhet"):
        _open(empty_server)


def test_the_server_register_is_written_out_as_a_local_store(
    demo_store_path: Path, empty_server: EmptyServer, tmp_path: Path
) -> None:
    _move(demo_store_path, empty_server)
    on_server = _open(empty_server)
    try:
        expected = _returns(on_server)
    finally:
        on_server.session.close()

    target = tmp_path / "kopia.podesk"
    report, recovery_key = register_move.copy_to_local(
        empty_server.profile, target, NEW_PASSPHRASE, server_recovery_key=empty_server.key
    )

    assert report.counts["uppdrag"] == 300 and len(recovery_key) > 20
    local = store_lifecycle.open_store(target, passphrase=NEW_PASSPHRASE)
    try:
        assert local.session.check() == []
        assert _returns(local) == expected
    finally:
        local.session.close()
    by_recovery = store_lifecycle.open_store(target, recovery_key=recovery_key)
    by_recovery.session.close()


def test_backup_of_the_server_opens_as_a_local_store(
    demo_store_path: Path,
    empty_server: EmptyServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from po_desk import cli

    _move(demo_store_path, empty_server)
    monkeypatch.setenv("PO_DESK_PASSPHRASE", NEW_PASSPHRASE)
    backup = tmp_path / "server.podesk-backup"
    key_file = tmp_path / "nyckel.txt"
    admin_url = empty_server.url
    monkeypatch.setenv("PO_DESK_RECOVERY_KEY", empty_server.key)
    assert cli.main(
        ["backup", "--server", admin_url, "--out", str(backup),
         "--recovery-key-out", str(key_file)]
    ) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "är skriven och kontrollerad" in out and "öppnas som ett lokalt register" in out
    assert not list(tmp_path.glob(".po-desk-server-copy-*")), "the staging store is gone"

    monkeypatch.delenv("PO_DESK_RECOVERY_KEY")  # the restore opens by the new passphrase
    restored = tmp_path / "återställd.podesk"
    assert cli.main(["restore", str(backup), "--db", str(restored), "--other-store"]) == 0
    local = store_lifecycle.open_store(restored, passphrase=NEW_PASSPHRASE)
    try:
        assert local.uppdrag.count() == 300
    finally:
        local.session.close()


def test_a_merge_file_from_an_offline_laptop_comes_into_the_server(
    demo_workspace: Workspace, server_workspace: Workspace, tmp_path: Path
) -> None:
    """The laptop's register (the same verksamhet) is merged into the shared one; the
    server's return then equals the laptop's, computed on each side."""
    merge_file = tmp_path / "laptop.podesk-merge"
    demo_workspace.merge.export_file(merge_file, NEW_PASSPHRASE)
    expected = _returns(demo_workspace)

    report = server_workspace.merge.import_file(merge_file, NEW_PASSPHRASE, "nyast")

    assert report.added["uppdrag"] == 300
    assert server_workspace.uppdrag.count() == 300
    assert _returns(server_workspace) == expected


def test_merge_import_on_the_command_line_goes_into_the_server(
    demo_workspace: Workspace,
    server_workspace: Workspace,
    pg_cluster: PgCluster,
    pg_services_db,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from po_desk import cli
    from tests.conftest import SERVER_CHEF, SERVER_PASSWORD

    merge_file = tmp_path / "laptop.podesk-merge"
    demo_workspace.merge.export_file(merge_file, NEW_PASSPHRASE)
    monkeypatch.setenv("PO_DESK_MERGE_PASSPHRASE", NEW_PASSPHRASE)
    monkeypatch.setenv(server_service.SERVER_PASSWORD_ENV, SERVER_PASSWORD)
    url = pg_cluster.url(SERVER_CHEF, database=pg_services_db[0])

    assert cli.main(["merge", "import", str(merge_file), "--server", url]) == 0

    assert capsys.readouterr().out.startswith("Sammanfogat: ")
    assert server_workspace.uppdrag.count() == 300


def test_a_6000_uppdrag_register_goes_to_the_server_and_back_with_identical_returns(
    tmp_path: Path, empty_server: EmptyServer
) -> None:
    """Issue 18's acceptance: a 6 000-uppdrag demo store to the server and back gives
    identical returns for every year (each side computed by the services)."""
    from po_desk.services import demo
    from tests.conftest import new_test_store

    original = tmp_path / "stor.podesk"
    created = new_test_store(original)
    try:
        demo.fill(created.workspace, 6000, 5, seed=18)
        expected = _returns(created.workspace)
    finally:
        created.workspace.session.close()
    assert len(expected) >= 5

    there = _move(original, empty_server)
    back, _ = register_move.copy_to_local(
        empty_server.profile,
        tmp_path / "tillbaka.podesk",
        PASSPHRASE,
        server_recovery_key=empty_server.key,
    )

    assert there.counts == back.counts and there.counts["uppdrag"] == 6000
    returned = store_lifecycle.open_store(tmp_path / "tillbaka.podesk", passphrase=PASSPHRASE)
    try:
        assert _returns(returned) == expected
    finally:
        returned.session.close()


@pytest.mark.parametrize("group", ["ombud", "lasare"])
def test_only_the_enhetschef_or_it_may_copy_the_whole_register_out(
    group: str,
    pg_cluster: PgCluster,
    pg_services_db,
    role_users,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An ombud or a läsare on the server gets one Swedish line and exit 9 from `server
    export`, `backup --server` and `merge export`; nothing is written (issue 18)."""
    from po_desk import cli

    url = role_url(pg_cluster, pg_services_db, role_users[group])
    profile = server_service.resolve(url)
    target = tmp_path / "kopia.podesk"
    with pytest.raises(server_service.ServerError) as refused:
        register_move.copy_to_local(profile, target, NEW_PASSPHRASE)
    assert refused.value.message == register_move.NOT_YOURS_TO_COPY
    with pytest.raises(server_service.ServerError):
        register_move.backup_server(profile, tmp_path / "s.podesk-backup", NEW_PASSPHRASE)

    monkeypatch.setenv("PO_DESK_PASSPHRASE", NEW_PASSPHRASE)
    backup = tmp_path / "server.podesk-backup"
    assert cli.main(["backup", "--server", url, "--out", str(backup)]) == 9
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("Bara enhetschefen eller IT kan kopiera hela registret från servern.")
    )
    assert cli.main(["server", "export", "--to", str(target), "--server", url]) == 9
    assert "Bara enhetschefen eller IT" in capsys.readouterr().err
    # A merge file holds the whole register too.
    monkeypatch.setenv("PO_DESK_MERGE_PASSPHRASE", NEW_PASSPHRASE)
    merge_file = tmp_path / "alla.podesk-merge"
    assert cli.main(["merge", "export", "--server", url, "--out", str(merge_file)]) == 9
    assert "Bara enhetschefen eller IT" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, no staging


def test_the_enhetschef_may_copy_the_whole_register_out(
    pg_cluster: PgCluster,
    pg_services_db,
    role_users,  # noqa: F811
    server_workspace: Workspace,
    tmp_path: Path,
) -> None:
    url = role_url(pg_cluster, pg_services_db, role_users["enhetschef"])
    info, _key = register_move.backup_server(
        server_service.resolve(url), tmp_path / "s.podesk-backup", NEW_PASSPHRASE
    )
    assert sum(info.counts.values()) > 0
    merge_file = tmp_path / "alla.podesk-merge"
    workspace = server_service.open_workspace(server_service.resolve(url))
    try:
        assert workspace.merge.export_file(merge_file, NEW_PASSPHRASE) > 0
    finally:
        workspace.session.close()


def test_a_backup_of_the_server_points_to_backup_server(
    server_workspace: Workspace, tmp_path: Path
) -> None:
    """The workspace's own backup (the GUI's, hidden on a server) cannot copy the server;
    it says what can."""
    with pytest.raises(server_service.ServerError) as refused:
        server_workspace.backup.backup_to(tmp_path / "x.podesk-backup")
    assert "po-desk backup --server" in refused.value.message
    assert not list(tmp_path.iterdir())
