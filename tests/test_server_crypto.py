"""Free text encrypted in the program, key slots per user held in the database, and the
password change at the first login (issue 18), against the throw-away cluster."""

from __future__ import annotations

import os
import random
import string
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String, Text

from po_desk.domain.uppdrag import Uppdrag
from po_desk.store import tables
from po_desk.store.sealed_text import PREFIX, SealedText
from tests.conftest import FIRST_PASSWORD, add_server_person
from tests.support.pg_cluster import PgCluster

DATABASE = "podesk_crypto"
PASSWORD = "ett långt serverlösenord 10"
CHEF, OMBUD, LASARE = "krypto_chef", "krypto_ombud", "krypto_lasare"
# Lower-case letters only: nothing the anonymisation guard takes for an identity.
CANARY = "kanarie" + "".join(random.choices(string.ascii_lowercase, k=16))
TODAY = date.today()
YEAR = TODAY.year - 1

SEALED = {
    "uppdrag.anteckning",
    "ko_anmalan.orsak",
    "prioriteringsordning.anteckning",
    "intagningsstopp.orsak",
    "ledningsgrupp_mote.anteckning",
    "avvikelse.beskrivning",
    "avvikelse.konsekvens",
    "avvikelse.aterkoppling",
    "aterrapport.manuellt",
    "aterrapport.faststalld",
}
# Text columns that stay plain on the server, and why: codes, reference data and the
# verksamhet's public facts, which SQL must compare or which are not about a person.
PLAIN = {
    "verksamhet.namn": "the verksamhet's public name",
    "verksamhet.lan": "public fact",
    "verksamhet.huvudman": "public fact",
    "kommun.namn": "public fact",
    "ombud.namn": "staff's name, known in the kommun; no client data",
    "ombud.kon": "counted fact",
    "category.kind": "code",
    "category.code": "code",
    "category.namn": "reference data (the länsstyrelse's categories)",
    "category_namn.namn": "reference data",
    "klient.kon": "counted fact",
    "uppdrag.kod": "code, unique in SQL",
    "uppdrag.kon": "counted fact",
    "uppdrag.avslutsorsak": "code",
    "uppdrag.barn": "code",
    "uppdrag.hanvisad_fran": "code",
    "uppdrag_barn.barn": "code",
    "ko_anmalan.kod": "code, unique in SQL",
    "ko_anmalan.kon": "counted fact",
    "ko_anmalan.status": "code",
    "prioriteringsordning.beslutad_av": "code",
    "ledningsgrupp_medlem.organisation": "code",
    "ledningsgrupp_medlem.roll": "a member's function (e.g. socialchef), no client data",
    "avvikelse.aktor": "code",
    "avvikelse.niva": "code",
    "avvikelse.uppdrag_kod": "code",
    "avvikelse.status": "code",
    "aterrapport.faststalld_av": "login role",
    "audit_log.actor": "login role",
    "audit_log.action": "code",
    "audit_log.table_name": "code",
    "setting.value": "settings (numbers, ja/nej, the gallring log of counts)",
}


def test_every_text_column_is_either_sealed_or_known_plain() -> None:
    """A new free-text column must be sealed (or argued plain here) before it ships."""
    sealed, plain = set(), set()
    for table in tables.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if isinstance(column.type, SealedText):
                assert column.type.label == name
                sealed.add(name)
            elif isinstance(column.type, (String, Text)) and not (
                column.primary_key or column.foreign_keys or column.name.endswith("_id")
            ):
                plain.add(name)
    assert sealed == SEALED
    assert plain == set(PLAIN)


def test_local_store_keeps_free_text_as_it_was(workspace) -> None:
    """No sealing layer on SQLite: the SQLCipher file holds the text as typed."""
    from sqlalchemy import text

    workspace.verksamhet.set_notes_enabled(True)
    saved = workspace.uppdrag.save(_uppdrag(workspace, anteckning="En vanlig anteckning"))
    with workspace._store.engine.connect() as connection:
        raw = connection.execute(
            text("SELECT anteckning FROM uppdrag WHERE id = :id"), {"id": saved.id}
        ).scalar()
    assert raw == "En vanlig anteckning"
    assert workspace.uppdrag.get(saved.id).anteckning == "En vanlig anteckning"


KEY = bytes(range(32))


@given(st.text(max_size=300), st.sampled_from(sorted(SEALED)))
def test_sealed_text_round_trips_and_is_bound_to_key_and_column(value: str, label: str) -> None:
    from po_desk.store import sealed_text

    sealed = sealed_text.seal_value(KEY, label, value)
    assert sealed.startswith(PREFIX) and sealed.isascii()
    assert sealed != sealed_text.seal_value(KEY, label, value)  # a fresh nonce every time
    assert sealed_text.open_value(KEY, label, sealed) == value
    with pytest.raises(sealed_text.TextKeyError):
        sealed_text.open_value(bytes(32), label, sealed)
    with pytest.raises(sealed_text.TextKeyError):
        sealed_text.open_value(KEY, label + "x", sealed)


def test_sealed_text_type_by_dialect() -> None:
    from sqlalchemy.dialects import mysql, postgresql, sqlite

    from po_desk.store import sealed_text

    column = SealedText("uppdrag.anteckning")
    lite = sqlite.dialect()
    assert column.process_bind_param("text", lite) == "text"
    assert column.process_result_value("text", lite) == "text"
    pg = postgresql.dialect()
    with pytest.raises(sealed_text.TextKeyError):  # no key on the engine: nothing is sent
        column.process_bind_param("text", pg)
    assert column.process_bind_param(None, pg) is None  # NULL stays NULL (gallring)
    setattr(pg, "po_desk_text_key", KEY)  # noqa: B010 - what attach_key does on an engine
    sealed = column.process_bind_param("text", pg)
    assert sealed.startswith(PREFIX) and column.process_result_value(sealed, pg) == "text"
    # Text written past the program (SQL by an administrator) is shown as it is.
    assert column.process_result_value("en anteckning", pg) == "en anteckning"
    with pytest.raises(sealed_text.TextKeyError):
        column.process_bind_param("text", mysql.dialect())


# --- on the server ------------------------------------------------------------------------


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, connect_timeout=10, autocommit=True)


RECOVERY: dict[str, str] = {}


@pytest.fixture(scope="module")
def crypto(pg_cluster: PgCluster) -> PgCluster:
    """A database after `server init`, every statement logged (log_statement = all, with
    its parameters), an enhetschef, an ombud and a läsare who changed their first password."""
    from po_desk.services import server_service

    with _connect(pg_cluster.admin_url(database="postgres")) as connection:
        connection.execute(f"CREATE DATABASE {DATABASE}")
        connection.execute(f"ALTER DATABASE {DATABASE} SET log_statement = 'all'")
    setup = server_service.initialise(
        server_service.resolve(pg_cluster.admin_url(database=DATABASE)),
        server_service.NewVerksamhet("PO Kryptostaden", "Stockholms län", ["Solna"]),
    )
    assert setup.recovery_key
    RECOVERY["key"] = setup.recovery_key
    for name, group in ((CHEF, "enhetschef"), (OMBUD, "ombud"), (LASARE, "lasare")):
        add_server_person(pg_cluster, DATABASE, name, group, PASSWORD, setup.recovery_key)
    return pg_cluster


def _profile(cluster: PgCluster, user: str, password: str):
    from po_desk.services import server_service

    return server_service.resolve(cluster.url(user, password, database=DATABASE))


def _uppdrag(workspace, **changes) -> Uppdrag:
    kommun = workspace.verksamhet.get().kommuner[0]
    base = Uppdrag(
        kon="kvinna",
        fodelsear=1961,
        kommun_id=kommun.id,
        start=date(YEAR, 3, 10),
        kontaktorsaker=("ekonomi",),
    )
    return replace(base, **changes)


def _write_canary_everywhere(workspace) -> None:
    """The canary through every free-text field, by the services (the guard runs first)."""
    from po_desk.domain.aterrapport_svar import Svar
    from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
    from po_desk.domain.intagningsstopp import Intagningsstopp
    from po_desk.domain.ko import Anmalan
    from po_desk.domain.ledningsgrupp import Mote

    workspace.verksamhet.set_notes_enabled(True)
    workspace.uppdrag.save(_uppdrag(workspace, anteckning=f"{CANARY} uppdrag"))
    kommun = workspace.verksamhet.get().kommuner[0]
    anmalan = workspace.ko.save(
        Anmalan(
            anmald=TODAY - timedelta(days=20),
            kon="man",
            fodelsear=1948,
            kommun_id=kommun.id,
            kontaktorsaker=("bostad",),
        )
    )
    workspace.ko.not_relevant(anmalan.id, TODAY, f"{CANARY} orsak", warnings_confirmed=True)
    grunder = workspace.ko.order_in_force().grunder
    workspace.ko.add_version(TODAY - timedelta(days=1), grunder, f"{CANARY} ordning")
    workspace.ko.save_stopp(
        Intagningsstopp(TODAY - timedelta(days=2), None, f"{CANARY} stopp"),
        warnings_confirmed=True,
    )
    avvikelse = workspace.avvikelser.save(
        Avvikelse(
            datum=TODAY - timedelta(days=10),
            aktor="forsakringskassan",
            niva="handlaggare",
            kategorier=("vantetider",),
            beskrivning=f"{CANARY} beskrivning",
            konsekvens=f"{CANARY} konsekvens",
            atgarder=("skrivelse",),
        ),
        warnings_confirmed=True,
    )
    workspace.ledningsgrupp.save_meeting(
        Mote(datum=TODAY, anteckning=f"{CANARY} möte"), [avvikelse.id], warnings_confirmed=True
    )
    workspace.avvikelser.move(
        avvikelse.id, AvvikelseStatus.ATERKOPPLING, f"{CANARY} återkoppling", TODAY
    )
    workspace.aterrapport.save_manual(YEAR, {"kommentarer": f"{CANARY} kommentar"}, True)
    workspace.aterrapport.save_svar(YEAR, Svar(goda_exempel=f"{CANARY} exempel"), True)
    workspace.aterrapport.freeze(YEAR, warnings_confirmed=True)


def _pg_dump(cluster: PgCluster) -> str:
    from tests.support import pg_cluster as support

    # Beside the cluster's own initdb (the same version as the server).
    pg_dump = support.find_binaries()[0].resolve().parent / "pg_dump"
    env = {
        **os.environ,
        "PGPASSWORD": cluster.admin_password,
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": str(cluster.ca_file),
    }
    return subprocess.run(
        [str(pg_dump), "-h", cluster.host, "-p", str(cluster.port), "-U", cluster.admin, DATABASE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


def test_canary_is_absent_from_pg_dump_and_the_server_log(crypto: PgCluster) -> None:
    from po_desk.services import server_service
    from po_desk.store import sealing

    workspace = server_service.open_workspace(_profile(crypto, CHEF, PASSWORD))
    try:
        _write_canary_everywhere(workspace)
        # The program reads every text back as typed.
        anteckningar = [u.anteckning for u in workspace.uppdrag.all()]
        assert f"{CANARY} uppdrag" in anteckningar
        (avvikelse,) = workspace.avvikelser.all()
        assert (avvikelse.beskrivning, avvikelse.aterkoppling) == (
            f"{CANARY} beskrivning",
            f"{CANARY} återkoppling",
        )
        assert workspace.ledningsgrupp.meetings()[0].anteckning == f"{CANARY} möte"
        assert workspace.ko.stopp()[0].orsak == f"{CANARY} stopp"
        assert workspace.aterrapport.svar(YEAR).goda_exempel == f"{CANARY} exempel"
        frozen = workspace.aterrapport.saved(YEAR).faststalld
        assert frozen is not None and frozen["manuellt"]["kommentarer"] == f"{CANARY} kommentar"
        data_key = workspace._store.engine.dialect.po_desk_text_key
    finally:
        workspace.session.close()

    dump = _pg_dump(crypto)
    assert "COPY public.uppdrag" in dump
    assert CANARY not in dump
    # Every sealed column holds sealed text; the counted facts are plain.
    assert dump.count(PREFIX) >= len(SEALED)
    uppdrag_rows = dump.split("COPY public.uppdrag ")[1].split("\\.")[0].splitlines()[1:]
    assert any("\tkvinna\t1961\t" in row and PREFIX in row for row in uppdrag_rows)
    # The data key is never on the server in the clear.
    assert sealing.b64(data_key) not in dump and data_key.hex() not in dump

    log = crypto.log_file.read_text(encoding="utf-8", errors="replace")
    assert PREFIX in log  # statements and their parameters were logged...
    assert CANARY not in log  # ...but only sealed text ever reached the server
    # Passwords were changed with every statement logged: only SCRAM verifiers went out.
    assert "ALTER ROLE CURRENT_USER PASSWORD 'SCRAM-SHA-256$" in log
    assert PASSWORD not in log and FIRST_PASSWORD not in log


def test_the_guard_still_runs_before_the_sealing(crypto: PgCluster) -> None:
    from po_desk.domain.errors import GuardBlocked
    from po_desk.services import server_service

    workspace = server_service.open_workspace(_profile(crypto, OMBUD, PASSWORD))
    try:
        before = workspace.uppdrag.count()
        with pytest.raises(GuardBlocked, match="personnummer"):
            workspace.uppdrag.save(_uppdrag(workspace, anteckning="Gäller 811218-9876"))
        assert workspace.uppdrag.count() == before
    finally:
        workspace.session.close()


def test_sealed_text_opens_only_in_its_own_column(crypto: PgCluster) -> None:
    """A sealed text copied by SQL into another column is refused, not shown."""
    from po_desk.services import server_service
    from po_desk.store.sealed_text import TextKeyError

    workspace = server_service.open_workspace(_profile(crypto, CHEF, PASSWORD))
    try:
        workspace.verksamhet.set_notes_enabled(True)
        saved = workspace.uppdrag.save(_uppdrag(workspace, anteckning="flyttad text"))
        stopp = workspace.ko.stopp()[0] if workspace.ko.stopp() else None
        assert stopp is not None
        with _connect(crypto.admin_url(database=DATABASE)) as connection:
            connection.execute(
                "UPDATE intagningsstopp SET orsak = (SELECT anteckning FROM uppdrag"
                " WHERE id = %s) WHERE id = %s",
                (saved.id, stopp.id),
            )
        with pytest.raises(TextKeyError) as refused:
            workspace.ko.stopp()
        assert "kan inte öppnas med verksamhetens nyckel" in refused.value.message
    finally:
        workspace.session.close()


def test_without_the_data_key_no_free_text_leaves_the_program(crypto: PgCluster) -> None:
    from po_desk.services import server_service
    from po_desk.store import sealed_text

    workspace = server_service.open_workspace(_profile(crypto, CHEF, PASSWORD))
    try:
        workspace.verksamhet.set_notes_enabled(True)
        before = workspace.uppdrag.count()
        sealed_text.detach_key(workspace._store.engine)
        with pytest.raises(sealed_text.TextKeyError) as refused:
            workspace.uppdrag.save(_uppdrag(workspace, anteckning="utan nyckel"))
        assert refused.value.message == sealed_text.NO_KEY
        assert workspace.uppdrag.count() == before
    finally:
        workspace.session.close()


# --- key slots ----------------------------------------------------------------------------


def test_each_role_reads_and_rewraps_only_its_own_slot(crypto: PgCluster) -> None:
    import psycopg

    with _connect(crypto.url(OMBUD, PASSWORD, database=DATABASE)) as connection:
        rows = connection.execute("SELECT role_name FROM server_keyslot").fetchall()
        assert rows == [(OMBUD,)]
        assert connection.execute(
            "SELECT count(*) FROM server_keyslot WHERE role_name IN (%s, '#recovery')",
            (CHEF,),
        ).fetchone() == (0,)
        changed = connection.execute(
            "UPDATE server_keyslot SET slot = '{}' WHERE role_name = %s", (CHEF,)
        ).rowcount
        assert changed == 0
        for statement in (
            "DELETE FROM server_keyslot",
            "INSERT INTO server_keyslot (role_name, slot) VALUES ('x', '{}')",
            "SELECT po_desk_recovery_slot()",
            f"SELECT po_desk_keyslot_put('{CHEF}', '{{}}')",
            "ALTER TABLE server_keyslot DISABLE ROW LEVEL SECURITY",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    with _connect(crypto.url(LASARE, PASSWORD, database=DATABASE)) as connection:
        assert connection.execute("SELECT role_name FROM server_keyslot").fetchall() == [(LASARE,)]
    with _connect(crypto.admin_url(database=DATABASE)) as connection:
        slots = dict(connection.execute("SELECT role_name, must_change FROM server_keyslot"))
    assert slots == {"#recovery": False, CHEF: False, OMBUD: False, LASARE: False}


def test_admin_adds_people_only_with_the_recovery_key(crypto: PgCluster) -> None:
    from po_desk.services import server_service

    admin = server_service.resolve(crypto.admin_url(database=DATABASE))
    with pytest.raises(server_service.ServerError, match="återställningsnyckel"):
        server_service.add_user(admin, "utan_nyckel", "ombud", FIRST_PASSWORD)
    wrong = "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"
    with pytest.raises(server_service.ServerError, match="Fel återställningsnyckel"):
        server_service.add_user(admin, "utan_nyckel", "ombud", FIRST_PASSWORD, recovery_key=wrong)
    with _connect(crypto.admin_url(database=DATABASE)) as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname = 'utan_nyckel'"
        ).fetchone() == (0,)


def test_first_login_requires_a_new_password_then_shares_the_data_key(
    crypto: PgCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from po_desk import cli
    from po_desk.services import server_service

    chef = _profile(crypto, CHEF, PASSWORD)
    workspace = server_service.open_workspace(chef)
    try:
        workspace.verksamhet.set_notes_enabled(True)
        written = workspace.uppdrag.save(_uppdrag(workspace, anteckning="delad anteckning"))
    finally:
        workspace.session.close()
    server_service.add_user(chef, "nykomling", "enhetschef", FIRST_PASSWORD)
    first = _profile(crypto, "nykomling", FIRST_PASSWORD)
    assert server_service.must_change_password(first)
    with pytest.raises(server_service.PasswordChangeRequired) as required:
        server_service.open_workspace(first)
    assert "byt lösenord först" in required.value.message

    # The command line refuses anything else with one Swedish line until it is done.
    first_file = tmp_path / "forsta.txt"
    first_file.write_text(FIRST_PASSWORD + "\n")
    new_file = tmp_path / "nytt.txt"
    new_file.write_text(PASSWORD + "\n")
    url = crypto.url("nykomling", database=DATABASE)
    common = ["--server", url, "--password-file", str(first_file)]
    code = cli.main(["server", "user", "add", "annan", "--role", "ombud", *common,
                     "--new-password-file", str(new_file)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 9 and err.count("\n") == 1 and "byt lösenord först" in err
    assert cli.main(["server", "password", *common, "--new-password-file", str(new_file)]) == 0
    assert "Lösenordet för nykomling@" in capsys.readouterr().out

    with pytest.raises(server_service.ServerError, match="Inloggningen på servern misslyckades"):
        server_service.open_workspace(first)
    own = server_service.open_workspace(_profile(crypto, "nykomling", PASSWORD))
    try:
        assert own.uppdrag.get(written.id).anteckning == "delad anteckning"
    finally:
        own.session.close()
    with _connect(crypto.admin_url(database=DATABASE)) as connection:
        assert connection.execute(
            "SELECT must_change FROM server_keyslot WHERE role_name = 'nykomling'"
        ).fetchone() == (False,)
        verifier = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'nykomling'"
        ).fetchone()[0]
    assert verifier.startswith("SCRAM-SHA-256$")

    # Removing the person removes their slot.
    server_service.remove_user(chef, "nykomling")
    with _connect(crypto.admin_url(database=DATABASE)) as connection:
        assert connection.execute(
            "SELECT count(*) FROM server_keyslot WHERE role_name = 'nykomling'"
        ).fetchone() == (0,)


def test_password_change_refuses_a_short_or_unchanged_password(crypto: PgCluster) -> None:
    from po_desk.services import server_service

    chef = _profile(crypto, CHEF, PASSWORD)
    with pytest.raises(server_service.ServerError, match="minst 12 tecken"):
        server_service.change_password(chef, PASSWORD, "kort")
    with pytest.raises(server_service.ServerError, match="annat lösenord"):
        server_service.change_password(chef, PASSWORD, PASSWORD)
    with pytest.raises(server_service.ServerError):
        server_service.change_password(chef, "fel lösenord här", "ett helt nytt lösenord")
    assert not server_service.must_change_password(chef)


# --- the dialog at the first login in the GUI ----------------------------------------------


@pytest.mark.gui
def test_gui_asks_for_a_new_password_at_first_login(crypto: PgCluster, qtbot) -> None:
    from po_desk.services import server_service
    from po_desk.ui.server_password_dialog import ServerPasswordDialog, open_server_workspace

    chef = _profile(crypto, CHEF, PASSWORD)
    server_service.add_user(chef, "gui_ombud", "ombud", FIRST_PASSWORD)
    first = _profile(crypto, "gui_ombud", FIRST_PASSWORD)
    shown: list[ServerPasswordDialog] = []

    def ask(profile, parent):
        dialog = ServerPasswordDialog(profile, parent)
        qtbot.addWidget(dialog)
        shown.append(dialog)
        dialog.first.setText("ett eget nytt lösenord")
        dialog.second.setText("ett annat nytt lösenord")
        dialog.change()
        assert dialog.error.text() == "De nya lösenorden är inte lika."
        dialog.first.setText("kort")
        dialog.second.setText("kort")
        dialog.change()
        assert "minst 12 tecken" in dialog.error.text()
        dialog.first.setText("ett eget nytt lösenord")
        dialog.second.setText("ett eget nytt lösenord")
        dialog.change()
        return dialog.changed_profile

    workspace = open_server_workspace(None, first, ask)
    assert workspace is not None and len(shown) == 1
    try:
        assert workspace.session.actor == "gui_ombud"
    finally:
        workspace.session.close()
    with pytest.raises(server_service.ServerError, match="Inloggningen på servern"):
        open_server_workspace(None, first, ask)  # the first password no longer logs in
    # Cancelling the dialog opens nothing.
    server_service.add_user(chef, "gui_avbryter", "ombud", FIRST_PASSWORD)
    cancelled = open_server_workspace(
        None, _profile(crypto, "gui_avbryter", FIRST_PASSWORD), lambda *_: None
    )
    assert cancelled is None


def test_password_remembered_in_the_keyring_follows_the_change(crypto: PgCluster) -> None:
    from po_desk.services import server_service

    chef = _profile(crypto, CHEF, PASSWORD)
    server_service.add_user(chef, "minns_ombud", "ombud", FIRST_PASSWORD)
    first = _profile(crypto, "minns_ombud", FIRST_PASSWORD)
    assert server_service.remember_password(first)
    server_service.change_password(first, FIRST_PASSWORD, PASSWORD)
    bare = server_service.resolve(crypto.url("minns_ombud", database=DATABASE))
    assert server_service.with_password(bare, None).password == PASSWORD


def test_cli_server_init_prints_the_recovery_key_once_and_it_adds_people(
    pg_cluster: PgCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from po_desk import cli

    name = "podesk_crypto_cli"
    with _connect(pg_cluster.admin_url(database="postgres")) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("PO_DESK_SERVER_PASSWORD", pg_cluster.admin_password)
    admin = pg_cluster.url(pg_cluster.admin, database=name)
    init = ["server", "init", "--server", admin, "--verksamhet", "PO Klistaden"]
    init += ["--lan", "Stockholms län", "--kommun", "Solna"]
    missing = tmp_path / "finns-inte" / "nyckel.txt"
    assert cli.main([*init, "--recovery-key-out", str(missing)]) == 1  # before connecting
    assert "finns inte" in capsys.readouterr().err
    assert cli.main(init) == 0
    out = capsys.readouterr().out.splitlines()
    key = out[out.index(next(line for line in out if line.startswith("Återställningsnyckel"))) + 1]
    assert len(key.replace("-", "")) == 40
    out_file = tmp_path / "ingen-ny.txt"
    assert cli.main([*init, "--recovery-key-out", str(out_file)]) == 0
    assert "Återställningsnyckel" not in capsys.readouterr().out  # made once only
    assert not out_file.exists()

    key_file = tmp_path / "nyckel.txt"
    key_file.write_text(f"{key}\n")
    monkeypatch.setenv("PO_DESK_NEW_USER_PASSWORD", FIRST_PASSWORD)
    add = ["server", "user", "add", "cli_chef", "--role", "enhetschef", "--server", admin]
    assert cli.main([*add, "--recovery-key-file", str(key_file)]) == 0
    assert "byter det vid första inloggningen" in capsys.readouterr().out
    monkeypatch.delenv("PO_DESK_SERVER_PASSWORD")
    monkeypatch.setenv("PO_DESK_NEW_SERVER_PASSWORD", PASSWORD)
    chef = pg_cluster.url("cli_chef", FIRST_PASSWORD, database=name)
    assert cli.main(["server", "password", "--server", chef]) == 0
    with _connect(pg_cluster.url("cli_chef", PASSWORD, database=name)) as connection:
        assert connection.execute("SELECT must_change FROM server_keyslot").fetchone() == (False,)


def test_cli_password_without_a_new_one_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk import cli

    monkeypatch.delenv("PO_DESK_NEW_SERVER_PASSWORD", raising=False)
    old = tmp_path / "gammalt.txt"
    old.write_text("ett gammalt lösenord\n")
    url = "postgresql://anna@db.kommun.invalid/podesk"
    code = cli.main(["server", "password", "--server", url, "--password-file", str(old)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "po-desk: Inget nytt lösenord: ange en fil med det (--new-password-file) eller sätt "
        "PO_DESK_NEW_SERVER_PASSWORD.\n"
    )


def test_administrator_opens_the_register_with_the_recovery_key(crypto: PgCluster) -> None:
    """The administrator has no slot: the recovery key opens the text (server import and
    backup by IT); without it, or with a wrong one, nothing opens."""
    from po_desk.services import server_service

    chef = server_service.open_workspace(_profile(crypto, CHEF, PASSWORD))
    try:
        chef.verksamhet.set_notes_enabled(True)
        written = chef.uppdrag.save(_uppdrag(chef, anteckning="läses av it"))
    finally:
        chef.session.close()
    admin = server_service.resolve(crypto.admin_url(database=DATABASE))
    with pytest.raises(server_service.ServerError, match="ingen nyckel till registret"):
        server_service.open_workspace(admin)
    with pytest.raises(server_service.ServerError, match="Fel återställningsnyckel"):
        server_service.open_workspace(admin, recovery_key="B" * 40)
    # Typed in lower case with an 8 for a B, as people copy it from paper.
    typed = RECOVERY["key"].lower().replace("B", "8").replace("b", "8")
    workspace = server_service.open_workspace(admin, recovery_key=typed)
    try:
        assert workspace.uppdrag.get(written.id).anteckning == "läses av it"
    finally:
        workspace.session.close()


def test_password_never_goes_to_a_server_that_asks_for_it_in_clear(crypto: PgCluster) -> None:
    """The login password opens the key slot, so a server (or its administrator) asking
    for it in clear instead of by SCRAM is refused before the password is sent."""
    import time

    from po_desk.store import server_engine

    hba = crypto.data / "pg_hba.conf"
    original = hba.read_text()
    with _connect(crypto.admin_url(database=DATABASE)) as connection:
        # In a group: only the register's groups may connect to its database.
        connection.execute(
            "CREATE ROLE hba_klartext LOGIN PASSWORD 'ett klartextlösenord 1' IN ROLE lasare"
        )
    try:
        hba.write_text("hostssl all hba_klartext 127.0.0.1/32 password\n" + original)
        with _connect(crypto.admin_url(database=DATABASE)) as connection:
            connection.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)
        url = crypto.url("hba_klartext", "ett klartextlösenord 1", database=DATABASE)
        with _connect(url):  # libpq without the requirement would have sent it
            pass
        with pytest.raises(server_engine.ServerError) as refused:
            server_engine.open_server_engine(server_engine.ServerProfile.from_url(url))
        assert "begärde lösenordet utan SCRAM" in refused.value.message
    finally:
        hba.write_text(original)
        with _connect(crypto.admin_url(database=DATABASE)) as connection:
            connection.execute("SELECT pg_reload_conf()")
            connection.execute("DROP ROLE hba_klartext")
        time.sleep(0.5)
