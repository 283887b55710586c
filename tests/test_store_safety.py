"""Store-level data safety (issue 12: 1, 7, 8 and the low points; issue 13: 3).

An emptied, truncated or foreign file is damaged (exit 4) and left byte for byte; backups
belong to a store by its id and the fullest one is never rotated away; outputs never
replace a store's own files; backups and merge files cannot unpack to gigabytes; key files
that were changed say so; restore survives a crash at any point."""

from __future__ import annotations

import json
import os
import random
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from po_desk.domain.errors import DamagedStore, PoDeskError, WrongPassphrase
from po_desk.services import backup_service, demo, store_lifecycle
from po_desk.store import backup
from po_desk.store.keyslots import KeyFile, key_file_path
from tests.conftest import PASSPHRASE
from tests.test_damaged_stores import cli, snapshot

OTHER_PASSPHRASE = "en helt annan men lång fras 42"


def make_store(path: Path, namn: str, passphrase: str = PASSPHRASE) -> store_lifecycle.CreatedStore:
    return store_lifecycle.create_store(
        path, namn=namn, lan="Värmlands län", kommuner=["Karlstad"], passphrase=passphrase,
        start_ar=2020,
    )  # fmt: skip


@pytest.fixture
def filled(created, store_path: Path) -> Path:
    demo.fill(created.workspace, uppdrag_count=200, years=2, seed=5)
    created.workspace.session.close()
    return store_path


def backups_folder(store_path: Path) -> Path:
    return backup_service.default_folder(store_path)


def automatic_backup(store_path: Path) -> Path:
    workspace = store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    try:
        return workspace.backup.automatic().path
    finally:
        workspace.session.close()


def start_and_close(store_path: Path) -> None:
    """What one start of the program does with the store: open it, and on close write the
    automatic backup. A store that does not open gets no backup."""
    try:
        workspace = store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    except PoDeskError:
        return
    try:
        workspace.backup.automatic(keep=2)
    finally:
        workspace.session.close()


# -- 12.1: a file with no valid store in it ------------------------------------------------


def _emptied(path: Path) -> None:
    path.write_bytes(b"")


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:4096])


def _plain_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00")


def _wrong_content(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _text(path: Path) -> None:
    path.write_text("inte ett register\n", encoding="utf-8")


NOT_A_STORE = {
    "emptied": _emptied,
    "header_only": _header_only,
    "plain_header": _plain_header,
    "wrong_content": _wrong_content,
    "text": _text,
}


@pytest.mark.parametrize("how", sorted(NOT_A_STORE))
def test_not_a_store_is_damaged_and_untouched(filled: Path, how: str) -> None:
    NOT_A_STORE[how](filled)
    before = snapshot(filled.parent)
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("po-desk: ")
    assert "OK" not in result.stdout
    with pytest.raises(DamagedStore):
        store_lifecycle.open_store(filled, passphrase=PASSPHRASE)
    assert snapshot(filled.parent) == before
    assert not backups_folder(filled).exists()  # no automatic backup of it


def test_five_starts_on_an_emptied_store_keep_the_good_backup(filled: Path) -> None:
    good = automatic_backup(filled)
    good_bytes = good.read_bytes()
    filled.write_bytes(b"")
    for _ in range(5):
        start_and_close(filled)
    assert good.read_bytes() == good_bytes
    assert backup_service.newest(filled) == good
    assert filled.read_bytes() == b""


def test_rotation_never_drops_the_fullest_backup(filled: Path) -> None:
    good = automatic_backup(filled)
    os.utime(good, (1_000_000, 1_000_000))
    workspace = store_lifecycle.open_store(filled, passphrase=PASSPHRASE)
    with workspace._store.transaction() as session:  # the store shrinks
        session.connection().exec_driver_sql(
            "DELETE FROM uppdrag WHERE id NOT IN "
            "(SELECT uppdrag_id FROM ko_anmalan WHERE uppdrag_id IS NOT NULL)"
        )
    workspace.session.close()
    for index in range(5):
        start_and_close(filled)
        for made in backups_folder(filled).glob("*.podesk-backup"):
            if made != good and os.path.getmtime(made) > 2_000_000:
                os.utime(made, (1_000_100 + index, 1_000_100 + index))
    kept = sorted(backups_folder(filled).glob("*.podesk-backup"))
    assert good in kept  # the last backup with all the rows survives the rotation
    assert len(kept) == 3  # the newest two, and the fullest


def test_gallring_of_link_rows_does_not_pin_an_old_backup(filled: Path) -> None:
    """Gallring removes prioritetsgrunder on purpose; the backup from before it is rotated
    away as usual (it must not be kept for ever as the "fullest")."""
    old = automatic_backup(filled)
    os.utime(old, (1_000_000, 1_000_000))
    workspace = store_lifecycle.open_store(filled, passphrase=PASSPHRASE)
    with workspace._store.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM uppdrag_prioritetsgrund")
    workspace.session.close()
    for index in range(3):
        start_and_close(filled)
        for made in backups_folder(filled).glob("*.podesk-backup"):
            if made != old and os.path.getmtime(made) > 2_000_000:
                os.utime(made, (1_000_100 + index, 1_000_100 + index))
    left = list(backups_folder(filled).glob("*.podesk-backup"))
    assert len(left) == 2
    assert all(os.path.getmtime(path) != 1_000_000 for path in left)  # the old one went


@pytest.mark.gui
def test_gui_start_on_an_emptied_store_writes_no_backup(qtbot, filled: Path) -> None:
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.main_window import MainWindow
    from po_desk.ui.unlock_dialog import UnlockDialog

    good = automatic_backup(filled)
    filled.write_bytes(b"")
    for _ in range(5):
        dialog = UnlockDialog(filled)
        qtbot.addWidget(dialog)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.unlock()
        qtbot.waitUntil(lambda d=dialog: bool(d.error.text()), timeout=10000)
        assert "tomt" in dialog.error.text()
        assert dialog.workspace is None
        window = MainWindow(dialog.workspace, AppSettings(), store_path=filled)
        qtbot.addWidget(window)
        window.close()
    assert sorted(backups_folder(filled).glob("*.podesk-backup")) == [good]
    assert filled.read_bytes() == b""


# -- 13.3 and the other damaged stores -----------------------------------------------------


def _middle_page_zeroed(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096 : (page + 1) * 4096] = bytes(4096)
    path.write_bytes(bytes(data))


def _last_byte_cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1])


def _last_page_zeroed(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-4096:] = bytes(4096)
    path.write_bytes(bytes(data))


DAMAGE = {
    "middle": _middle_page_zeroed,
    "last_byte": _last_byte_cut,
    "last_page": _last_page_zeroed,
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_check_of_a_damaged_store_is_one_line_naming_the_backup(filled: Path, how: str) -> None:
    good = automatic_backup(filled)
    DAMAGE[how](filled)
    before = snapshot(filled.parent)
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("po-desk: ")
    assert "oväntat fel" not in result.stderr and "Tree" not in result.stderr
    assert good.name in result.stderr
    assert snapshot(filled.parent) == before


@pytest.mark.parametrize("how", ["middle", "last_page"])
def test_check_verbose_gives_the_detail(filled: Path, how: str) -> None:
    DAMAGE[how](filled)
    result = cli("check", "--db", str(filled), "--verbose")
    assert result.returncode == 4
    assert result.stderr.count("\n") > 1  # the integrity findings, on request only


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_backup_of_a_damaged_store_is_refused_and_leaves_no_file(
    filled: Path, tmp_path: Path, how: str
) -> None:
    DAMAGE[how](filled)
    target = tmp_path / "ut" / "kopia.podesk-backup"
    target.parent.mkdir()
    result = cli("backup", "--db", str(filled), "--out", str(target))
    assert result.returncode == 4, result.stderr
    assert result.stderr.count("\n") == 1 and "oväntat fel" not in result.stderr
    assert list(target.parent.iterdir()) == []  # no unverified backup left


# -- 12.7: backups belong to a store by its id ---------------------------------------------


def test_restore_of_another_stores_backup_asks(workspace, store_path: Path, tmp_path: Path):
    other = make_store(tmp_path / "annan.podesk", "Annan", OTHER_PASSPHRASE)
    foreign = tmp_path / "annan.podesk-backup"
    other.workspace.backup.backup_to(foreign)
    other.workspace.session.close()
    workspace.session.close()
    env_file = tmp_path / "fras.txt"
    env_file.write_text(OTHER_PASSPHRASE + "\n", encoding="utf-8")
    before = snapshot(store_path.parent)
    with pytest.raises(backup_service.OtherStoreBackup, match="Annan"):
        backup_service.restore(foreign, store_path, passphrase=OTHER_PASSPHRASE)
    assert snapshot(store_path.parent) == before
    refused = cli("restore", str(foreign), "--db", str(store_path),
                  "--passphrase-file", str(env_file))  # fmt: skip
    assert refused.returncode != 0 and "--other-store" in refused.stderr
    assert snapshot(store_path.parent) == before
    done = cli("restore", str(foreign), "--db", str(store_path),
               "--passphrase-file", str(env_file), "--other-store")  # fmt: skip
    assert done.returncode == 0, done.stderr
    restored = store_lifecycle.open_store(store_path, passphrase=OTHER_PASSPHRASE)
    try:
        assert restored.verksamhet.get().namn == "Annan"
    finally:
        restored.session.close()


def test_backups_are_matched_by_store_id_not_name(tmp_path: Path) -> None:
    reg = make_store(tmp_path / "reg.podesk", "Reg")
    arkiv = make_store(tmp_path / "reg-arkiv.podesk", "Arkiv")
    arkiv_backups = [arkiv.workspace.backup.automatic(keep=5).path for _ in range(2)]
    for index, path in enumerate(arkiv_backups):
        os.utime(path, (2_000_000_000 + index, 2_000_000_000 + index))  # the newest of all
    arkiv.workspace.session.close()
    own = reg.workspace.backup.automatic(keep=1).path
    reg.workspace.session.close()
    assert all(path.exists() for path in arkiv_backups)  # not rotated by reg's backups
    assert backup_service.newest(tmp_path / "reg.podesk") == own
    assert backup_service.newest(tmp_path / "reg-arkiv.podesk") == arkiv_backups[-1]


# -- 12.8: outputs never replace a store's files -------------------------------------------


def test_outputs_cannot_overwrite_the_store_or_its_key_file(filled: Path, tmp_path: Path):
    before = snapshot(filled.parent)
    keys = f"{filled}.keys"
    attempts = [
        ("export", "aterrapport", "--db", str(filled), "--year", "2025", "--format", "json",
         "--out", keys),
        ("export", "aterrapport", "--db", str(filled), "--year", "2025", "--format", "csv",
         "--out", str(filled)),
        ("backup", "--db", str(filled), "--out", str(filled)),
        ("backup", "--db", str(filled), "--out", keys),
        ("backup", "--db", str(filled), "--out", f"{filled}.lock"),
    ]  # fmt: skip
    for attempt in attempts:
        result = cli(*attempt)
        assert result.returncode != 0, attempt
        assert "skrivs inte över" in result.stderr, (attempt, result.stderr)
        assert snapshot(filled.parent) == before, attempt
    store_lifecycle.open_store(filled, passphrase=PASSPHRASE).session.close()


def test_init_refuses_its_own_key_file_as_recovery_key_target(tmp_path: Path) -> None:
    db = tmp_path / "ny.podesk"
    result = cli("init", "--db", str(db), "--verksamhet", "PO Ny", "--lan", "Värmlands län",
                 "--kommun", "Karlstad", "--recovery-key-out", f"{db}.keys")  # fmt: skip
    assert result.returncode != 0 and "skrivs inte över" in result.stderr
    assert not db.exists() and not Path(f"{db}.keys").exists()


def test_export_cannot_overwrite_a_backup(workspace, tmp_path: Path) -> None:
    target = tmp_path / "kopia.podesk-backup"
    workspace.backup.backup_to(target)
    before = target.read_bytes()
    with pytest.raises(PoDeskError, match="säkerhetskopia"):
        workspace.aterrapport.export(target, 2025, "json")
    assert target.read_bytes() == before


# -- decompression bombs -------------------------------------------------------------------

BOMB_BYTES = 300 * 1024 * 1024
PEAK_LIMIT = 100 * 1024 * 1024


def _zeros(total: int, chunk: int = 4 * 1024 * 1024):
    block = bytes(chunk)
    for _ in range(total // chunk):
        yield block


def test_backup_bomb_is_refused_without_using_the_memory(workspace, tmp_path: Path) -> None:
    good = tmp_path / "bra.podesk-backup"
    workspace.backup.backup_to(good)
    manifest, _, keys = backup.read_backup(good)
    bomb = tmp_path / "bomb.podesk-backup"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(backup.MANIFEST_MEMBER, json.dumps(manifest))
        with archive.open(backup.DB_MEMBER, "w", force_zip64=True) as member:
            for block in _zeros(BOMB_BYTES):
                member.write(block)
        archive.writestr(backup.KEYS_MEMBER, keys)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    workspace.session.close()
    before = snapshot(workspace.session.path.parent)
    tracemalloc.start()
    try:
        with pytest.raises(DamagedStore):
            backup_service.restore(bomb, workspace.session.path, passphrase=PASSPHRASE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT
    assert snapshot(workspace.session.path.parent) == before


def test_merge_file_bomb_is_refused_without_using_the_memory(workspace, tmp_path: Path):
    from po_desk.services import merge_service
    from po_desk.store import keyslots
    from po_desk.store.sealing import seal

    compressor = zlib.compressobj(9)
    parts = [compressor.compress(b'{"format": "po-desk-merge/1", "rows": "')]
    parts.extend(compressor.compress(block.replace(b"\0", b"a")) for block in _zeros(BOMB_BYTES))
    parts.append(compressor.compress(b'"}') + compressor.flush())
    data = b"".join(parts)
    envelope = {"format": merge_service.FORMAT,
                "sealed": seal("lång nog fras för filen", data, merge_service.ASSOCIATED,
                               keyslots.DEFAULT_KDF)}  # fmt: skip
    bomb = tmp_path / "bomb.podesk-merge"
    bomb.write_text(json.dumps(envelope), encoding="utf-8")
    assert bomb.stat().st_size < 3 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(DamagedStore):
            workspace.merge.preview(bomb, "lång nog fras för filen", "nyast")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT


# -- key files that were changed -----------------------------------------------------------


def _edit_key_file(store_path: Path, edit, recompute: bool = False) -> None:
    path = key_file_path(store_path)
    document = json.loads(path.read_bytes())
    edit(document)
    if recompute:  # a crafted file, consistent with itself
        document.pop("checksum", None)
        try:
            from po_desk.store.keyslots import _checksum
        except ImportError:  # a version without key-file checksums
            pass
        else:
            document["checksum"] = _checksum(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def _swap_slots(document: dict) -> None:
    slots = document["slots"]
    slots["passphrase"], slots["recovery"] = slots["recovery"], slots["passphrase"]


def _change_id(document: dict) -> None:
    document["store_id"] = "00000000-0000-4000-8000-000000000000"


def _change_kdf(document: dict) -> None:
    document["slots"]["passphrase"]["kdf"]["time_cost"] += 1


CHANGED_KEY_FILES = {"swapped": _swap_slots, "store_id": _change_id, "kdf": _change_kdf}


@pytest.mark.parametrize("how", sorted(CHANGED_KEY_FILES))
def test_changed_key_file_is_damaged_not_a_wrong_passphrase(filled: Path, how: str) -> None:
    _edit_key_file(filled, CHANGED_KEY_FILES[how])
    before = snapshot(filled.parent)
    with pytest.raises(DamagedStore):
        store_lifecycle.open_store(filled, passphrase=PASSPHRASE)
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4 and "lösenfras" not in result.stderr
    assert snapshot(filled.parent) == before


def _kdf_value(name: str, value):
    def edit(document: dict) -> None:
        document["slots"]["passphrase"]["kdf"][name] = value

    return edit


OUT_OF_RANGE = {
    "memory_tiny": _kdf_value("memory_kib", 1),
    "parallelism_0": _kdf_value("parallelism", 0),
    "time_negative": _kdf_value("time_cost", -1),
    "time_huge": _kdf_value("time_cost", 2**31),
    "memory_huge": _kdf_value("memory_kib", 2**40),
    "time_text": _kdf_value("time_cost", "3"),
}


@pytest.mark.parametrize("how", sorted(OUT_OF_RANGE))
def test_out_of_range_kdf_parameters_are_damage(filled: Path, how: str) -> None:
    _edit_key_file(filled, OUT_OF_RANGE[how], recompute=True)
    with pytest.raises(DamagedStore):
        store_lifecycle.open_store(filled, passphrase=PASSPHRASE)


def test_nested_json_key_file_is_damage(filled: Path) -> None:
    key_file_path(filled).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4 and "oväntat fel" not in result.stderr


def test_an_old_key_file_without_checksum_still_opens_and_gets_one(filled: Path) -> None:
    path = key_file_path(filled)
    document = json.loads(path.read_bytes())
    document.pop("checksum")
    path.write_text(json.dumps(document), encoding="utf-8")
    store_lifecycle.open_store(filled, passphrase=PASSPHRASE).session.close()
    assert "checksum" in json.loads(path.read_bytes())
    with pytest.raises(WrongPassphrase):
        KeyFile.load(filled).unlock(passphrase="fel lösenfras här")


# -- restore: crash-safe, verified beside the store, cleaned up ----------------------------


class Crash(BaseException):
    pass


def test_restore_killed_at_any_rename_leaves_a_store_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The current store's key file is lost (garbage), so its pair opens with nothing;
    the backup is of another store. At every os.replace the restore makes, a kill leaves
    either the old files untouched or the backup's pair, which opens."""
    source = make_store(tmp_path / "kalla.podesk", "Källa", OTHER_PASSPHRASE)
    kopia = tmp_path / "kalla.podesk-backup"
    source.workspace.backup.backup_to(kopia)
    source.workspace.session.close()
    real_replace = os.replace
    crash_at = 1
    while True:
        folder = tmp_path / f"forsok{crash_at}"
        folder.mkdir()
        target = folder / "register.podesk"
        make_store(target, "Vår").workspace.session.close()
        key_file_path(target).write_bytes(b"skrap")
        pair = (target, key_file_path(target))
        before = [path.read_bytes() for path in pair]
        calls = 0

        def replace(src, dst, _at=crash_at):
            nonlocal calls
            calls += 1
            if calls == _at:
                raise Crash()
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", replace)
        try:
            backup_service.restore(kopia, target, passphrase=OTHER_PASSPHRASE)
            finished = True
        except Crash:
            finished = False
        finally:
            monkeypatch.setattr(os, "replace", real_replace)
        try:
            opened = store_lifecycle.open_store(target, passphrase=OTHER_PASSPHRASE)
        except DamagedStore:
            after = [path.read_bytes() for path in pair]
            assert after == before, f"kill at replace {crash_at}: neither pair opens"
        else:
            assert opened.verksamhet.get().namn == "Källa"
            opened.session.close()
        assert not [p for p in folder.iterdir() if p.name.startswith(".po-desk-verify-")]
        if finished:
            break
        crash_at += 1
    assert crash_at > 3


def test_verification_never_writes_beside_the_backup(
    workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = tmp_path / "hylla"
    shelf.mkdir()
    kopia = shelf / "k.podesk-backup"
    workspace.backup.backup_to(kopia)
    workspace.session.close()
    import tempfile

    used: list[Path | None] = []
    real_mkdtemp = tempfile.mkdtemp

    def spy(*args, **kwargs):
        used.append(Path(kwargs["dir"]) if kwargs.get("dir") else None)
        return real_mkdtemp(*args, **kwargs)

    monkeypatch.setattr(backup.tempfile, "mkdtemp", spy)
    backup_service.restore(kopia, workspace.session.path, passphrase=PASSPHRASE)
    assert used and shelf not in used
    assert sorted(p.name for p in shelf.iterdir()) == ["k.podesk-backup"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX")
def test_restore_from_a_read_only_folder(workspace, tmp_path: Path) -> None:
    shelf = tmp_path / "cd"
    shelf.mkdir()
    kopia = shelf / "k.podesk-backup"
    workspace.backup.backup_to(kopia)
    workspace.session.close()
    shelf.chmod(0o555)
    try:
        backup_service.restore(kopia, workspace.session.path, passphrase=PASSPHRASE)
    finally:
        shelf.chmod(0o755)


def test_verification_folders_left_by_a_kill_are_cleaned(workspace, tmp_path: Path) -> None:
    kopia = tmp_path / "k.podesk-backup"
    workspace.backup.backup_to(kopia)
    workspace.session.close()
    dead = tmp_path / ".po-desk-verify-999999999-abc"  # no such process
    old = tmp_path / ".po-desk-verify-x1y2z3"  # made by an older version, long ago
    for folder in (dead, old):
        folder.mkdir()
        (folder / "register.podesk").write_bytes(b"x" * 10)
    os.utime(old, (1_000_000, 1_000_000))
    backup_service.restore(kopia, workspace.session.path, passphrase=PASSPHRASE)
    assert not dead.exists() and not old.exists()


def test_interrupted_swap_is_completed_on_open(tmp_path: Path) -> None:
    """A kill after the database was renamed into place: the key file follows on open."""
    from po_desk.store import swap

    first = make_store(tmp_path / "a.podesk", "A")
    first.workspace.session.close()
    second = make_store(tmp_path / "b.podesk", "B", OTHER_PASSPHRASE)
    second.workspace.session.close()
    target = tmp_path / "a.podesk"
    _, staged_keys = swap.staged_paths(target)
    staged_keys.write_bytes(key_file_path(tmp_path / "b.podesk").read_bytes())
    os.replace(tmp_path / "b.podesk", target)
    reopened = store_lifecycle.open_store(target, passphrase=OTHER_PASSPHRASE)
    try:
        assert reopened.verksamhet.get().namn == "B"
    finally:
        reopened.session.close()
    assert not staged_keys.exists()


# -- permissions ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_lock_files_settings_and_backup_folder_are_user_only(
    workspace, store_path: Path, isolated_settings: Path
) -> None:
    from po_desk.services.app_settings import AppSettings

    for path in (Path(f"{store_path}.lock"), Path(f"{store_path}.lock.json")):
        assert path.exists() and path.stat().st_mode & 0o077 == 0, path
    info = workspace.backup.automatic()
    assert info.path.parent.stat().st_mode & 0o077 == 0
    assert info.path.stat().st_mode & 0o077 == 0
    nested = isolated_settings / "po-desk"
    target = nested / "settings.json"
    AppSettings().save(target)
    assert nested.stat().st_mode & 0o077 == 0 and target.stat().st_mode & 0o077 == 0


@pytest.mark.gui
@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_qsettings_file_is_user_only(qtbot, store_path: Path, isolated_qsettings: Path) -> None:
    from po_desk.ui import window_memory

    window_memory.remember_store(store_path)
    written = [p for p in isolated_qsettings.rglob("*") if p.is_file()]
    assert written
    for path in written:
        assert path.stat().st_mode & 0o077 == 0, path
        assert path.parent.stat().st_mode & 0o077 == 0, path.parent


# -- byt nyckel (rekey) --------------------------------------------------------------------

NEW_PASSPHRASE = "ny fras efter läckan 2026 x"


def test_rekey_makes_the_old_key_file_and_secrets_useless(created, store_path: Path) -> None:
    workspace = created.workspace
    demo.fill(workspace, uppdrag_count=30, years=1, seed=3)
    count, store_id = workspace.uppdrag.count(), workspace._store.store_id
    old_keys = key_file_path(store_path).read_bytes()
    workspace.keys.remember_key()
    new_recovery = workspace.keys.rekey(NEW_PASSPHRASE)
    assert workspace.uppdrag.count() == count  # still usable, on the new key
    workspace.session.close()
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, recovery_key=created.recovery_key)
    saved = key_file_path(store_path).read_bytes()
    key_file_path(store_path).write_bytes(old_keys)  # the leaked old key file
    with pytest.raises(DamagedStore):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    key_file_path(store_path).write_bytes(saved)
    for opener in (
        lambda: store_lifecycle.open_store(store_path, passphrase=NEW_PASSPHRASE),
        lambda: store_lifecycle.open_store(store_path, recovery_key=new_recovery),
        lambda: store_lifecycle.open_remembered(store_path),
    ):
        opened = opener()
        assert opened is not None
        try:
            assert opened.uppdrag.count() == count
            assert opened.session.check() == []
            assert opened._store.store_id == store_id
        finally:
            opened.session.close()


def test_rekey_killed_at_any_rename_leaves_a_store_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    crash_at = 1
    while True:
        path = tmp_path / f"r{crash_at}.podesk"
        workspace = make_store(path, "Vår").workspace
        calls = 0

        def replace(src, dst, _at=crash_at):
            nonlocal calls
            calls += 1
            if calls == _at:
                raise Crash()
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", replace)
        try:
            workspace.keys.rekey(NEW_PASSPHRASE)
            finished = True
        except Crash:
            finished = False
        finally:
            monkeypatch.setattr(os, "replace", real_replace)
            workspace.session.close()
        opened = None
        for secret in (PASSPHRASE, NEW_PASSPHRASE):
            try:
                opened = store_lifecycle.open_store(path, passphrase=secret)
            except WrongPassphrase:
                continue
            break
        assert opened is not None, f"kill at replace {crash_at}: opens with neither"
        assert opened.verksamhet.get().namn == "Vår" and opened.session.check() == []
        opened.session.close()
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{path.name}")]
        assert leftovers == [], leftovers  # no half-made copy stays behind
        if finished:
            break
        crash_at += 1
    assert crash_at > 2


def test_cli_rekey_writes_the_new_recovery_key(created, store_path: Path, tmp_path: Path):
    created.workspace.session.close()
    old = tmp_path / "gammal.txt"
    old.write_text(PASSPHRASE + "\n", encoding="utf-8")
    new = tmp_path / "ny.txt"
    new.write_text(NEW_PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "nyckel.txt"
    result = cli("rekey", "--db", str(store_path), "--passphrase-file", str(old),
                 "--new-passphrase-file", str(new), "--recovery-key-out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    recovery = out.read_text(encoding="utf-8").splitlines()[1]
    store_lifecycle.open_store(store_path, recovery_key=recovery).session.close()
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)


@pytest.mark.gui
def test_gui_byt_nyckel_button(qtbot, window, store_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from po_desk.ui.rekey_dialog import RekeyDialog
    from po_desk.ui.settings_view import SecurityTab

    tab = SecurityTab(window.workspace, window.settings, lambda: None)
    qtbot.addWidget(tab)
    shown: list[str] = []

    def drive() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RekeyDialog))
        try:
            dialog.current.setText(PASSPHRASE)
            dialog.fields.first.setText(NEW_PASSPHRASE)
            dialog.fields.second.setText(NEW_PASSPHRASE)
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=20000)
            shown.append(dialog.panel.key_label.text())
            dialog.panel.confirmed.setChecked(True)
            dialog.done_buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        finally:
            if dialog.isVisible():  # never leave the modal dialog open on a failure
                dialog.done(0)

    QTimer.singleShot(0, drive)
    tab.rekey_button.click()
    assert shown and len(shown[0]) == 47
    window.workspace.session.close()
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    store_lifecycle.open_store(store_path, recovery_key=shown[0]).session.close()


@pytest.mark.gui
def test_gui_restore_asks_before_another_stores_backup(
    qtbot, workspace, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk.ui import restore_dialog
    from po_desk.ui.restore_dialog import RestoreDialog

    other = make_store(tmp_path / "annan.podesk", "Annan", OTHER_PASSPHRASE)
    foreign = tmp_path / "annan.podesk-backup"
    other.workspace.backup.backup_to(foreign)
    other.workspace.session.close()
    workspace.session.close()
    before = snapshot(store_path.parent)
    questions: list[str] = []
    answers = iter([False, True])

    def answer(_parent, _title, text):
        questions.append(text)
        return next(answers)

    monkeypatch.setattr(restore_dialog, "confirm", answer)
    dialog = RestoreDialog(store_path)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(foreign))
    dialog.secret.setText(OTHER_PASSPHRASE)
    dialog.restore()
    qtbot.waitUntil(lambda: bool(dialog.errors.text()), timeout=20000)
    assert "annat register" in dialog.errors.text() and not dialog.restored
    assert snapshot(store_path.parent) == before
    dialog.restore()
    qtbot.waitUntil(lambda: dialog.restored, timeout=20000)
    assert len(questions) == 2 and "Annan" in questions[0]
    reopened = store_lifecycle.open_store(store_path, passphrase=OTHER_PASSPHRASE)
    try:
        assert reopened.verksamhet.get().namn == "Annan"
    finally:
        reopened.session.close()
