"""Connecting to the shared server (issue 18, "Connection"): saved profiles, `--server`
on every command that works on a store, the password from the keyring, and what each
role may do (`capabilities`)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from po_desk import cli
from po_desk.domain import capabilities
from po_desk.services import server_service
from tests.conftest import SERVER_CHEF, SERVER_PASSWORD
from tests.support.server_roles import (  # noqa: F401  (fixtures)
    ROLE_PASSWORD,
    role_url,
    role_users,
    role_workspace,
)

# Commands whose --db is a local file by nature: they create it, change its key or
# restore it. Every other command that takes --db takes --server as the alternative.
LOCAL_ONLY = {"init", "demo", "passphrase", "rekey", "restore"}


def _err_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def _add_profile(ca: Path, *extra: str, name: str = "stad") -> int:
    return cli.main(
        ["server", "profile", "add", name, "--host", "db.kommun.se", "--database", "podesk",
         "--user", "anna", "--ca", str(ca), *extra]
    )  # fmt: skip


# --- capabilities (domain) ------------------------------------------------------------------


def test_capabilities_follow_the_role() -> None:
    ombud = capabilities.for_role("ombud")
    assert ombud.can_edit_records and ombud.can_read_reports
    assert not any(
        (ombud.can_edit_prioritering, ombud.can_edit_ledningsgrupp, ombud.can_edit_verksamhet,
         ombud.can_faststall, ombud.can_gallra, ombud.can_manage_users)
    )  # fmt: skip
    lasare = capabilities.for_role("lasare")
    assert lasare.reports_only and lasare.can_read_reports and not lasare.can_edit_records
    assert lasare.role_label == "läsare"
    for full in ("enhetschef", "administratör", "lokal"):
        every = capabilities.for_role(full)
        assert every.can_faststall and every.can_gallra and every.can_manage_users
    assert capabilities.for_role("någon_annan").reports_only
    assert capabilities.FULL.role == "lokal"
    assert ombud.refusal("fastställa") == "Din roll på servern (ombud) får inte fastställa."


def test_a_local_store_has_full_rights(workspace) -> None:
    assert workspace.access.capabilities == capabilities.FULL
    assert workspace.access.server_name is None


# --- profiles -------------------------------------------------------------------------------


def test_profile_is_saved_in_the_user_only_settings_without_a_password(
    tmp_path: Path, isolated_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = tmp_path / "kommunens-ca.crt"
    ca.write_text("CA")
    assert _add_profile(ca, "--port", "6432") == 0
    assert "Serverprofilen stad är sparad: anna@db.kommun.se:6432/podesk" in capsys.readouterr().out
    settings = isolated_settings / "settings.json"
    assert stat.S_IMODE(os.stat(settings).st_mode) == 0o600
    saved = json.loads(settings.read_text())["server_profiles"]
    assert saved == {
        "stad": {"host": "db.kommun.se", "port": 6432, "database": "podesk", "user": "anna",
                 "sslmode": "verify-full", "sslrootcert": str(ca.resolve())}
    }  # fmt: skip
    profile = server_service.resolve("stad")
    assert (profile.name, profile.port, profile.sslrootcert) == ("stad", 6432, str(ca.resolve()))

    assert cli.main(["server", "profile", "list"]) == 0
    assert capsys.readouterr().out.startswith("stad\tanna@db.kommun.se:6432/podesk\tCA: ")
    assert cli.main(["server", "profile", "remove", "stad"]) == 0
    assert server_service.saved_profiles() == {}
    assert cli.main(["server", "profile", "remove", "stad"]) == 9
    assert _err_line(capsys) == "po-desk: Det finns ingen serverprofil som heter stad.\n"


def test_a_profile_keeps_other_settings(tmp_path: Path) -> None:
    from po_desk.services.app_settings import AppSettings

    settings = AppSettings(idle_lock_minutes=3)
    settings.save()
    ca = tmp_path / "ca.crt"
    ca.write_text("CA")
    assert _add_profile(ca) == 0
    again = AppSettings.load()
    assert again.idle_lock_minutes == 3 and list(again.server_profiles) == ["stad"]


@pytest.mark.parametrize(
    "extra",
    [("--sslmode", "require"), ("--url", "postgresql://anna@db.kommun.se/podesk?sslmode=prefer")],
)
def test_profile_with_weaker_tls_is_refused(
    tmp_path: Path, extra: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ca = tmp_path / "ca.crt"
    ca.write_text("CA")
    assert _add_profile(ca, *extra) == 9
    assert _err_line(capsys).startswith("po-desk: Anslutningen vägras: sslmode=")
    assert server_service.saved_profiles() == {}


def test_profile_without_ca_or_with_a_password_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add_profile(tmp_path / "saknas.crt") == 9
    assert "CA-certifikat" in _err_line(capsys)
    url = "postgresql://anna:hemligt@db.kommun.se/podesk"
    ca = tmp_path / "ca.crt"
    ca.write_text("CA")
    assert cli.main(["server", "profile", "add", "x", "--url", url, "--ca", str(ca)]) == 9
    err = _err_line(capsys)
    assert "utan lösenord" in err and "hemligt" not in err


def test_a_weakened_saved_profile_refuses_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk.services.app_settings import AppSettings

    monkeypatch.setenv(server_service.SERVER_PASSWORD_ENV, "ett lösenord som inte används")
    settings = AppSettings()
    settings.server_profiles["stad"] = {"host": "db.kommun.se", "database": "podesk",
                                        "user": "anna", "sslmode": "allow"}  # fmt: skip
    settings.save()
    out = tmp_path / "r.json"
    args = ["export", "aterrapport", "--server", "stad", "--year", "2025", "--format", "json",
            "--out", str(out)]  # fmt: skip
    assert cli.main(args) == 9
    assert _err_line(capsys).startswith("po-desk: Anslutningen vägras: sslmode=allow")
    assert not out.exists()


# --- --server on every command ----------------------------------------------------------------


def _commands(parser, prefix: tuple[str, ...] = ()):
    """(command path, its parser) for every leaf command."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))
            return
    yield prefix, parser


def test_every_command_on_a_store_takes_server_as_the_alternative_to_db() -> None:
    checked = []
    for path, parser in _commands(cli.build_parser()):
        options = {o for action in parser._actions for o in action.option_strings}
        if "--db" not in options or path[0] in LOCAL_ONLY:
            continue
        assert {"--server", "--password-file"} <= options, path
        checked.append(" ".join(path))
    assert sorted(checked) == [
        "backup", "check", "export aterrapport", "export underlag", "import uppdrag",
        "merge export", "merge import",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["--db", "x.podesk", "--server", "stad"], "Ange antingen --db eller --server, inte båda."),
        ([], "Ange registret med --db FIL eller servern med --server PROFIL|URL."),
    ],
)
def test_db_and_server_exclude_each_other_in_one_line(
    given: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", *given]) == 2
    assert _err_line(capsys) == f"po-desk: {message}\n"


def test_weak_sslmode_on_a_store_command_is_refused_before_a_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(server_service.SERVER_PASSWORD_ENV, raising=False)
    url = "postgresql://anna@db.kommun.se/podesk?sslmode=require"
    assert cli.main(["check", "--server", url]) == 9
    assert _err_line(capsys).startswith("po-desk: Anslutningen vägras: sslmode=require")


# --- on the server ----------------------------------------------------------------------------


def test_commands_work_on_the_server_through_a_profile_and_the_keyring(
    pg_cluster,
    pg_services_db,
    server_workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = pg_cluster.url(SERVER_CHEF, database=pg_services_db[0])
    assert cli.main(["server", "profile", "add", "stad", "--url", url]) == 0
    capsys.readouterr()
    monkeypatch.setenv(server_service.SERVER_PASSWORD_ENV, SERVER_PASSWORD)
    assert cli.main(["check", "--server", "stad"]) == 0
    assert "OK: registret på servern har schemaversion" in capsys.readouterr().out
    out = tmp_path / "aterrapport.json"
    args = ["export", "aterrapport", "--server", "stad", "--year", "2024", "--format", "json",
            "--out", str(out)]  # fmt: skip
    assert cli.main(args) == 0
    assert json.loads(out.read_text())["ar"] == 2024
    capsys.readouterr()
    # The server's backup: a local encrypted file with a passphrase of its own.
    monkeypatch.setenv("PO_DESK_PASSPHRASE", "kopians egen långa lösenfras 5")
    copy = tmp_path / "kopia.podesk-backup"
    assert cli.main(["backup", "--server", "stad", "--out", str(copy)]) == 0
    assert copy.is_file() and "är skriven och kontrollerad" in capsys.readouterr().out

    assert cli.main(["server", "login", "--server", "stad", "--remember"]) == 0
    assert capsys.readouterr().out == f"Ansluten till stad som {SERVER_CHEF} (enhetschef).\n"
    monkeypatch.delenv(server_service.SERVER_PASSWORD_ENV)
    assert cli.main(["check", "--server", "stad"]) == 0  # the password from the keyring
    assert cli.main(["server", "logout", "--server", "stad"]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--server", "stad"]) == 2
    assert "Inget lösenord till servern" in _err_line(capsys)


def test_the_role_comes_from_the_server(role_workspace, request) -> None:  # noqa: F811
    group = request.node.callspec.params["role_workspace"]
    assert role_workspace.access.role == group
    assert role_workspace.access.capabilities == capabilities.for_role(group)


def test_try_connection_names_the_role_and_each_failure(
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
) -> None:
    import psycopg

    def attempt(url: str) -> str:
        try:
            return server_service.try_connection(server_service.resolve(url))
        except server_service.ServerError as error:
            return error.message

    assert attempt(role_url(pg_cluster, pg_services_db, role_users["lasare"])) == "läsare"
    wrong = role_url(pg_cluster, pg_services_db, role_users["ombud"], "fel lösenord 123")
    assert attempt(wrong) == (
        "Inloggningen på servern misslyckades: fel användarnamn eller lösenord."
    )
    assert attempt(pg_cluster.admin_url(database="finns_inte")).startswith(
        "Databasen finns_inte finns inte på servern"
    )
    with psycopg.connect(pg_cluster.admin_url(database="postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS h27_tom")
        conn.execute("CREATE DATABASE h27_tom")
    assert attempt(pg_cluster.admin_url(database="h27_tom")) == (
        "Servern är inte inställd för po-desk; IT kör först po-desk server init."
    )


def test_kerberos_logs_in_inside_tls_never_instead_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq prefers GSSAPI encryption to TLS whatever sslmode says, so po-desk always sends
    gssencmode=disable and refuses any other; krbsrvname marks single sign-on (no
    password asked)."""
    ca = tmp_path / "ca.crt"
    ca.write_text("CA")
    assert _add_profile(ca, "--gssencmode", "prefer") == 9
    assert _err_line(capsys).startswith("po-desk: Anslutningen vägras: gssencmode=prefer")
    assert _add_profile(ca, "--krbsrvname", "postgres") == 0
    profile = server_service.resolve("stad")
    assert profile.sqlalchemy_url().query["gssencmode"] == "disable"
    monkeypatch.delenv(server_service.SERVER_PASSWORD_ENV, raising=False)
    ready = server_service.with_password(profile, None)  # no prompt, no keyring entry
    assert ready.password is None
    assert server_service.with_remembered_password(profile) == profile


def test_the_gui_opens_on_a_server_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    import po_desk.ui.app

    opened = {}
    monkeypatch.setattr(po_desk.ui.app, "run", lambda **given: opened.update(given) or 0)
    assert cli.main(["--server", "stad"]) == 0
    assert opened["server"] == "stad" and opened["db"] is None
